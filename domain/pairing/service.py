"""Pairing is a facilitator's decision: validate it, record it, queue both introductions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from domain.core.model import Group, NewOutboxMessage, Participant, Partnership, outbox_key
from domain.core.ports import Store, UnitOfWork
from domain.core.reply import Reply
from domain.meetings.lookup import cancel_reminders
from domain.pairing.wording import introduction

END_REASONS = {
    "left_trust": "A partner left the trust",
    "completed": "The partnership has run its course",
    "not_working": "It wasn't working out",
    "other": "Another reason",
}


class PairingError(ValueError):
    """A pairing that cannot be made; the message is safe to show the facilitator."""


@dataclass(frozen=True)
class Suggestion:
    """A possible pair for a facilitator to consider (never acted on automatically)."""

    first: Participant
    second: Participant
    reason: str


async def pair(store: Store, first_id: int, second_id: int, now: datetime) -> Partnership:
    """Create a partnership and queue the same introduction to both partners."""
    if first_id == second_id:
        raise PairingError("Please choose two different people.")
    async with store.transaction() as uow:
        first, second = await _pairable(uow, first_id), await _pairable(uow, second_id)
        if first.cohort_id != second.cohort_id:
            raise PairingError(f"{first.name} and {second.name} are in different cohorts.")
        cohort = await uow.cohorts.get(first.cohort_id or 0)
        assert cohort is not None  # enrolled participants always have a cohort
        started_on = max(cohort.start_date, now.date())
        partnership = await uow.partnerships.create(cohort.id, first.id, second.id, started_on, now)
        messages = [
            await _introduction_message(uow, partnership, recipient=first, partner=second, now=now),
            await _introduction_message(uow, partnership, recipient=second, partner=first, now=now),
        ]
        await uow.outbox.enqueue(messages, now)
        return partnership


async def _pairable(uow: UnitOfWork, participant_id: int) -> Participant:
    person = await uow.participants.get(participant_id)
    if person is None or not person.is_enrolled:
        raise PairingError(f"Participant {participant_id} hasn't finished enrolling.")
    if await uow.partnerships.current_for(person.id) is not None:
        raise PairingError(f"{person.name} already has a learning partner.")
    return person


async def _introduction_message(
    uow: UnitOfWork, partnership: Partnership, recipient: Participant, partner: Participant, now: datetime
) -> NewOutboxMessage:
    cohort = await uow.cohorts.get(partnership.cohort_id)
    assert cohort is not None
    reply = introduction(partner, await uow.participants.profile(partner.id), cohort)
    return NewOutboxMessage(
        outbox_key("intro", partnership.id, recipient.id), "introduction", recipient.id, reply.to_dict(), now
    )


async def end_partnership(store: Store, partnership_id: int, reason: str, now: datetime) -> Partnership:
    """End a partnership and tell both partners, kindly and identically."""
    async with store.transaction() as uow:
        return await close_partnership(uow, partnership_id, reason, now)


async def close_partnership(
    uow: UnitOfWork, partnership_id: int, reason: str, now: datetime, notify: Sequence[int] | None = None
) -> Partnership:
    """End a partnership inside the caller's transaction; the closing note goes to `notify` (default both)."""
    if reason not in END_REASONS:
        raise PairingError("Please choose one of the listed reasons.")
    partnership = await uow.partnerships.get(partnership_id)
    if partnership is None or partnership.status.value == "ended":
        raise PairingError("That partnership isn't active.")
    await uow.partnerships.end(partnership_id, reason, now)
    await _withdraw_pending(uow, partnership_id)
    note = Reply(
        title="Your learning partnership has closed",
        text=(
            "The programme team has closed your learning partnership. Thank you for the time "
            "and openness you brought to it. If you'd like to talk about what comes next, "
            "the programme team is happy to hear from you."
        ),
    )
    recipients = (partnership.partner_a_id, partnership.partner_b_id) if notify is None else notify
    await uow.outbox.enqueue(
        [
            NewOutboxMessage(
                outbox_key("partnership_ended", partnership_id, pid), "partnership_ended", pid, note.to_dict(), now
            )
            for pid in recipients
        ],
        now,
    )
    return partnership


async def _withdraw_pending(uow: UnitOfWork, partnership_id: int) -> None:
    """Nothing more goes out for an ended partnership: guide prompts, invitations, nudges, reminders."""
    for kind in ("guide", "aims_invite", "nudge", "private_checkin", "paused", "resumed"):
        prefix = f"{kind}:{partnership_id}:"
        await uow.outbox.cancel_pending(prefix)
    for meeting in await uow.meetings.for_partnership(partnership_id):
        await cancel_reminders(uow, meeting.id)


def suggest_pairs(unpaired: list[Participant]) -> list[Suggestion]:
    """Suggest senior leader + BME colleague pairs, preferring the same meeting format.

    Only a starting point for the facilitators' own judgement, which uses far more than
    these fields; people in both groups can sit on either side.
    """
    # People in both groups go last on each side, so they fill whichever side is short.
    leaders = [p for p in unpaired if p.group == Group.SENIOR_LEADER] + [p for p in unpaired if p.group == Group.BOTH]
    colleagues = [p for p in unpaired if p.group in (Group.BME_COLLEAGUE, Group.BOTH)]
    suggestions: list[Suggestion] = []
    used: set[int] = set()
    for leader in leaders:
        options = [c for c in colleagues if c.id not in used and c.id != leader.id and leader.id not in used]
        if not options:
            continue
        best = max(
            options,
            key=lambda c: (
                c.group == Group.BME_COLLEAGUE,
                c.meeting_format == leader.meeting_format,
                c.meeting_rhythm == leader.meeting_rhythm,
                -c.id,
            ),
        )
        reason = "same meeting preferences" if best.meeting_format == leader.meeting_format else "available"
        suggestions.append(Suggestion(leader, best, reason))
        used.update({leader.id, best.id})
    return suggestions
