"""Partner-side partnership care: pause and resume, private check-ins (facilitator side: health_team_services).

Each service runs one transaction and returns what to show. Pause reasons and check-in
answers are private: the partner never hears either, and facilitators hear of an answer
only when someone asks to be contacted. Nothing here logs names, reasons or answers.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from domain.core.identity import facilitator_ids
from domain.core.jobs import JobContext
from domain.core.model import NewOutboxMessage, Participant, PartnershipStatus, outbox_key
from domain.core.pairs import locked_pair, pair_people
from domain.core.ports import Store, UnitOfWork
from domain.core.reply import Reply
from domain.core.timing import WorkingHours, next_delivery_time
from domain.health.nudging import run_health_checks
from domain.health.rules import CHECKIN_ANSWERS
from domain.health.wording import checkin_thanks, contact_alert, long_date, paused_notice, resumed_notice

log = logging.getLogger(__name__)
PAUSE_REASONS = ("leave", "clinical_pressure", "other")
AFTER_LEAVING = ("repair", "close", "informal")
FACILITATOR_PAUSE = "facilitator"  # stored as the pause reason when the programme team pauses a pair
NOT_PAIRED = "You don't have a current learning partnership just now, so there's nothing to pause or resume."
CHECKIN_CLOSED = (
    "Thank you. That learning partnership has closed, so there's nothing to check in on. "
    "The programme team is always happy to hear from you."
)
NOT_CURRENT = "That partnership isn't current any more. Type **health** to see where things are."
USE_BUTTONS = "Please use one of the buttons on the card."
CLOSE_NOTE = (
    "A proper closing is worth the time. If you can, meet once more: what you've each learned, "
    "what you'd thank each other for, and whether to keep in touch. The programme team is "
    "happy to help if you'd like a hand."
)
INFORMAL_NOTE = (
    "Of course. You're very welcome to carry on informally, in whatever way suits you both. "
    "I won't send any more prompts for that partnership; type **help** any time."
)


class HealthError(ValueError):
    """A request that cannot go ahead; the message is kind and safe to show the person."""


@dataclass(frozen=True)
class HealthResult:
    """The reply for the person in the chat; `queued` means call `wake_dispatcher()`."""

    reply: Reply
    queued: bool = False


def notice(
    kind: str, partnership_id: int, person: Participant, reply: Reply, hours: WorkingHours, now: datetime
) -> NewOutboxMessage:
    """A message to a partner, arriving within their own working hours."""
    return NewOutboxMessage(
        outbox_key(kind, partnership_id, person.id, now.isoformat()),
        kind,
        person.id,
        reply.to_dict(),
        next_delivery_time(now, person.time_zone, hours),
    )


async def alert_facilitators(
    uow: UnitOfWork, configured: frozenset[str], subject: str, reply: Reply, now: datetime, exclude: set[int]
) -> int:
    """Queue an alert to every facilitator (due now) except `exclude`; one per subject a day."""
    recipients = [fid for fid in await facilitator_ids(uow, configured) if fid not in exclude]
    if not recipients:
        log.warning("a facilitator alert had nobody to go to")  # no names: only that it happened
        return 0
    return await uow.outbox.enqueue(
        [
            NewOutboxMessage(
                outbox_key("facilitator_alert", subject, fid, now.date().isoformat()),
                "facilitator_alert",
                fid,
                reply.to_dict(),
                now,
            )
            for fid in recipients
        ],
        now,
    )


def until_words(until: date | None) -> str:
    return f"until {long_date(until)}" if until else "for now"


async def pause(
    store: Store,
    participant_id: int,
    until: date | None,
    reason: str,
    now: datetime,
    hours: WorkingHours = WorkingHours(),
) -> HealthResult:
    """Pause the person's partnership; the partner is told, never the reason."""
    if reason not in PAUSE_REASONS:
        raise HealthError("Please choose one of the listed reasons.")
    if until is not None and until <= now.date():
        raise HealthError("Please choose a date after today.")
    async with store.transaction() as uow:
        partnership, _, partner = await locked_pair(uow, participant_id, HealthError(NOT_PAIRED))
        await uow.partnerships.pause(partnership.id, until, reason)
        await tell(uow, partnership.id, (partner,), "paused", paused_notice(until), hours, now)
    return HealthResult(
        Reply(
            text=(
                f"Done: your partnership is paused {until_words(until)}. I've let {partner.name} know, without any "
                "reason, and I won't send meeting nudges meanwhile. Type **resume** whenever you're ready."
            )
        ),
        queued=True,
    )


async def resume(
    store: Store, participant_id: int, now: datetime, hours: WorkingHours = WorkingHours()
) -> HealthResult:
    """Resume the person's paused partnership; the partner is told."""
    async with store.transaction() as uow:
        partnership, _, partner = await locked_pair(uow, participant_id, HealthError(NOT_PAIRED))
        if partnership.status != PartnershipStatus.PAUSED:
            return HealthResult(Reply(text="Your partnership isn't paused. Type **meet** to propose a time."))
        if partnership.pause_reason == FACILITATOR_PAUSE:
            raise HealthError("The programme team paused your partnership, so they'll pick it up with you.")
        await uow.partnerships.resume(partnership.id, now.date())
        await tell(uow, partnership.id, (partner,), "resumed", resumed_notice(), hours, now)
    return HealthResult(
        Reply(
            text=(
                f"Welcome back. Your partnership is active again and I've let {partner.name} "
                "know. Type **meet** whenever you'd like to propose a time."
            )
        ),
        queued=True,
    )


async def save_checkin(
    store: Store, participant_id: int, answer: str, configured: frozenset[str], now: datetime
) -> HealthResult:
    """Keep a private check-in answer; "contact" alerts every facilitator, never the partner."""
    if answer not in CHECKIN_ANSWERS:
        raise HealthError(USE_BUTTONS)
    async with store.transaction() as uow:
        partnership = await uow.partnerships.current_for(participant_id)
        if partnership is None:
            raise HealthError(CHECKIN_CLOSED)
        me, partner = await pair_people(uow, partnership, participant_id)
        await uow.health.save_checkin(partnership.id, me.id, answer, now)
        queued = 0
        if answer == "contact":
            # Why: a partner who also facilitates must not learn of it through the alert.
            queued = await alert_facilitators(
                uow,
                configured,
                f"contact-{me.id}",
                contact_alert(me.name, partner.name, answer),
                now,
                exclude={me.id, partner.id},
            )
    return HealthResult(checkin_thanks(answer), queued=queued > 0)


async def tell(
    uow: UnitOfWork,
    partnership_id: int,
    people: Sequence[Participant],
    kind: str,
    reply: Reply,
    hours: WorkingHours,
    now: datetime,
) -> None:
    """Queue a pause or resume notice; a resume instead withdraws a pause notice not yet sent."""
    messages = []
    for person in people:
        # Why: someone who never heard of the pause needs no "welcome back".
        if kind == "resumed" and await uow.outbox.cancel_pending(f"paused:{partnership_id}:{person.id}:"):
            continue
        messages.append(notice(kind, partnership_id, person, reply, hours, now))
    await uow.outbox.enqueue(messages, now)


async def run_due(ctx: JobContext, now: datetime) -> int:
    """Partnership health: end due pauses, take the next nudge step for quiet pairs, flag the unreachable."""
    return await run_health_checks(ctx.store, ctx.settings.hours, ctx.facilitators.configured, now)
