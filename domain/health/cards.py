"""What partners and facilitators receive unprompted about partnership health, and the outbox
messages that carry it: warm, brief, optional, never blaming.

Partners get the same nudge, naming neither of them, so the junior partner never has to chase.
Buttons that act on one partnership carry its card token: the private check-in ("checkin:<id>:current",
out of date once that partnership is not the person's current one), the choices after a partner leaves
("leaving:<id>:open", out of date once the person has a new partner) and a facilitator alert's pause
("partnership:<id>:active", out of date once the partnership is paused or ended).
Partner cards never say how long it has been and never compare pairs. Private check-in answers
reach facilitators only in the contact alert, i.e. when the person asked to be contacted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from domain.core.model import NewOutboxMessage, Participant, PartnershipStatus, outbox_key
from domain.core.reply import Action, Fact, Reply, Section, card_token, stamped, unmarked, verbatim
from domain.core.spread import spread_delivery_time
from domain.core.timing import FALLBACK_TIME_ZONE, WorkingHours, next_delivery_time
from domain.health.model import Booked, Health
from domain.health.wording import (
    CHECKIN_LABELS,
    PAUSE,
    PROPOSE,
    STATUS_LABELS,
    VIEW_HEALTH,
    WE_MET,
    booked_words,
    cancel_actions,
    long_date,
)


def to_partner(
    kind: str, subject: int, person: Participant, occurrence: str, reply: Reply, hours: WorkingHours, now: datetime
) -> NewOutboxMessage:
    """A message to a partner, arriving within their own working hours; one per kind, subject and occurrence."""
    return NewOutboxMessage(
        outbox_key(kind, subject, person.id, occurrence),
        kind,
        person.id,
        reply.to_dict(),
        next_delivery_time(now, person.time_zone, hours),
    )


def planned_for_partner(
    kind: str,
    subject: int,
    person: int,
    time_zone: str,
    occurrence: str,
    reply: Reply | dict[str, Any],
    hours: WorkingHours,
    now: datetime,
) -> NewOutboxMessage:
    """A scheduled message to a partner, at their own place in their working window (see core/spread.py)."""
    payload = reply if isinstance(reply, dict) else reply.to_dict()
    due = spread_delivery_time(now, time_zone, hours, person)
    return NewOutboxMessage(outbox_key(kind, subject, person, occurrence), kind, person, payload, due)


def to_facilitators(
    ids: Iterable[int], subject: int | str, occurrence: str, reply: Reply, now: datetime
) -> list[NewOutboxMessage]:
    """An alert to each facilitator, due now (it is about people, not to them); one per subject and occurrence."""
    return [
        NewOutboxMessage(
            outbox_key("facilitator_alert", subject, fid, occurrence), "facilitator_alert", fid, reply.to_dict(), now
        )
        for fid in ids
    ]


def nudge_card() -> Reply:
    """Step 1: the same encouraging nudge for both partners."""
    return Reply(
        title="A moment for your learning partnership",
        text=(
            "Diaries have been tough, and NHS pressures don't let up. If it helps, a 20-minute catch-up "
            "still counts: a call, a walk or a coffee, whenever suits you and your partner.\n\n"
            "Met already? Let me know and I'll add it to your log. And if now isn't the time, "
            "you can pause for a while."
        ),
        actions=(PROPOSE, WE_MET, PAUSE),
    )


CHECKIN_CARD, LEAVING_CARD, PARTNERSHIP_CARD = "checkin", "leaving", "partnership"


def checkin_token(partnership_id: int, current: bool) -> str:
    """A check-in answers for one partnership, while it is the person's current one."""
    return card_token(CHECKIN_CARD, partnership_id, "current" if current else "over")


def leaving_token(partnership_id: int, unpaired: bool) -> str:
    """The choices after a partner left `partnership_id` stand while the person has no new partner."""
    return card_token(LEAVING_CARD, partnership_id, "open" if unpaired else "paired")


def partnership_token(partnership_id: int, status: PartnershipStatus) -> str:
    """A facilitator alert's button acts on the partnership in the status it had."""
    return card_token(PARTNERSHIP_CARD, partnership_id, status.value)


def checkin_card(partnership_id: int) -> Reply:
    """Step 2: a private check-in, sent to each partner separately, about their current partnership."""
    token = checkin_token(partnership_id, current=True)
    return Reply(
        title="Just checking in",
        text=(
            "How is your learning partnership going for you at the moment? There's no wrong answer.\n\n"
            "This is private: your answer is never shown to your partner, and the programme team only "
            "sees it if you ask them to contact you."
        ),
        actions=tuple(
            Action(label, data=stamped(f"checkin {answer}", token)) for answer, label in CHECKIN_LABELS.items()
        ),
    )


def team_actions(chats: Sequence[tuple[str, str]], partnership_id: int | None) -> tuple[Action, ...]:
    """A facilitator alert's buttons: a chat with each person (name, chat link) where a link could be
    made, pause the partnership, and the health view."""
    chat_buttons = [
        Action(f"Chat with {unmarked(name)}", kind="open_url", url=link) for name, link in chats if name and link
    ]
    pause = [
        Action(
            "Pause partnership",
            data=stamped(
                f"pause partnership {partnership_id}", partnership_token(partnership_id or 0, PartnershipStatus.ACTIVE)
            ),
        )
    ]
    return (*chat_buttons, *(pause if partnership_id else []), VIEW_HEALTH)


def quiet_alert(
    names: tuple[str, str],
    health: Health,
    cohort_name: str,
    partnership_id: int | None = None,
    chat_links: tuple[str, str] = ("", ""),
) -> Reply:
    """Step 3, to facilitators: the pair and its status only (never a private answer), with buttons to chat
    with either partner, pause the partnership or see everyone's health."""
    pair = f"{verbatim(names[0])} and {verbatim(names[1])}"
    return Reply(
        title="A partnership may need support",
        text=(
            f"{pair} have been {STATUS_LABELS[health].lower()} for a while. I've sent them both an "
            "encouraging nudge and a private check-in. If it helps, a friendly word from the programme "
            "team may get things going again."
        ),
        facts=(Fact("Partnership", pair), Fact("Cohort", verbatim(cohort_name)), Fact("Status", STATUS_LABELS[health])),
        actions=team_actions(tuple(zip(names, chat_links, strict=True)), partnership_id),
    )


def contact_alert(
    name: str, partner_name: str, answer: str, partnership_id: int | None = None, chat_link: str = ""
) -> Reply:
    """To facilitators when someone asks to be contacted: the only place a check-in answer is shown. Buttons:
    chat with the person (never the partner), pause the partnership, see everyone's health."""
    if answer not in CHECKIN_LABELS:
        raise ValueError(f"unknown check-in answer {answer!r}")
    name, partner_name = verbatim(name), verbatim(partner_name)
    return Reply(
        title="A partner asked to be contacted",
        text=(
            f"{name} would like the programme team to get in touch about their learning partnership "
            f"with {partner_name}. Their private check-in answer stays private: please contact {name} directly, and "
            f"don't mention it to {partner_name}."
        ),
        facts=(
            Fact("Who", name),
            Fact("Learning partner", partner_name),
            Fact("Check-in answer", CHECKIN_LABELS[answer]),
        ),
        actions=team_actions(((name, chat_link),), partnership_id),
    )


def unreachable_alert(name: str) -> Reply:
    """To facilitators: a person the companion can no longer reach in chat."""
    return Reply(
        title="Someone can't be reached",
        text=(
            f"I can no longer reach {verbatim(name)} in chat: they may have removed the companion or left the "
            "trust. If it helps, you could contact them another way."
        ),
    )


def new_partner_request(name: str, cohort_name: str | None) -> Reply:
    """To facilitators: the partner who stays after a leaving would like a new learning partner."""
    where = f" ({verbatim(cohort_name)})" if cohort_name is not None else ""
    return Reply(
        title="A new learning partner, please",
        text=f"{verbatim(name)}{where} would like a new learning partner. Type **pair** when you're ready.",
    )


def paused_notice(until: date | None, booked: Sequence[Booked] = (), time_zone: str = FALLBACK_TIME_ZONE) -> Reply:
    """To the partner of whoever paused: when it picks up again, never why; and that a meeting already
    booked inside the pause is kept unless one of them cancels it (a button to cancel it)."""
    when = (
        f"is paused until {long_date(until)}. There's nothing you need to do; I'll keep things quiet until then."
        if until is not None
        else "is paused for now. There's nothing you need to do; I'll let you know when it picks up again."
    )
    text = f"Your learning partnership {when} Taking a break is fine."
    if booked:
        text += f"\n\n{booked_words(booked, time_zone)} unless one of you cancels it."
    return Reply(title="Partnership paused", text=text, actions=cancel_actions(booked, time_zone))


def resumed_notice() -> Reply:
    """To both partners when a pause ends."""
    return Reply(
        title="Welcome back",
        text=("Your learning partnership is back on. If it helps, propose a time: a short catch-up still counts."),
        actions=(PROPOSE,),
    )


A_PARTNER = "Your learning partner"  # who is leaving, when their name is being erased


def leaving_support(leaver_name: str | None, had_met: bool, ending_prompt: str, partnership_id: int) -> Reply:
    """To the partner who stays when the other leaves `partnership_id`: choices, plus an ending-well prompt if
    they had met. No name (None) when the leaver's data is being erased: the note then says A_PARTNER."""
    token = leaving_token(partnership_id, unpaired=True)
    who = verbatim(leaver_name) if leaver_name is not None else A_PARTNER
    thanks = " and what you've learned together still counts" if had_met else ""
    sections = (Section(heading="Ending well", text=ending_prompt),) if had_met and ending_prompt else ()
    return Reply(
        title="Your learning partnership",
        text=(
            f"{who} is leaving the programme, so your learning partnership is coming to an end. "
            f"That's nobody's fault{thanks}. What would help you now?"
        ),
        sections=sections,
        actions=(
            Action("A new learning partner", data=stamped("after leaving repair", token)),
            Action("A proper closing", data=stamped("after leaving close", token)),
            Action("Carry on informally", data=stamped("after leaving informal", token)),
        ),
    )
