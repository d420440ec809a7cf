"""What the person in the chat reads about partnership health: replies to pause, resume,
check-in and after-leaving choices, kind refusals, and the facilitators' health report.

Replies never repeat a pause reason or a check-in answer to anyone but the person who gave it.
Cards and alerts queued for other people live in cards.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from domain.core.reply import Action, Reply, Section, listed, stamped, verbatim
from domain.health.model import (
    AfterLeaving,
    Booked,
    CheckinSaved,
    Health,
    HealthRow,
    PartnerLeft,
    Paused,
    Resumed,
)
from domain.language.show import counted, format_date, format_time
from domain.meetings.cards import meeting_token
from domain.meetings.model import MeetingStatus

CHECKIN_LABELS = {
    "fine": "All fine, just busy",
    "not_working": "It isn't working for me",
    "contact": "I'd like the programme team to contact me",
}
STATUS_LABELS = {
    Health.ACTIVE: "Active",
    Health.QUIET: "Quiet",
    Health.INACTIVE: "Inactive",
    Health.PAUSED: "Paused",
    Health.ENDED: "Ended",
}
# Pairs that may need support first, history last.
REPORT_ORDER = (Health.INACTIVE, Health.QUIET, Health.ACTIVE, Health.PAUSED, Health.ENDED)

PROPOSE = Action("Propose a time", data={"command": "meet"})
WE_MET = Action("We've met", data={"command": "we met"})
PAUSE = Action("Pause for a while", data={"command": "pause"})
ASK_CONTACT = Action(CHECKIN_LABELS["contact"], data={"command": "checkin contact"})

NOT_PAIRED = "You don't have a current learning partnership just now, so there's nothing to pause or resume."
CHECKIN_CLOSED = (
    "Thank you. That learning partnership has closed, so there's nothing to check in on. "
    "The programme team is always happy to hear from you."
)
ALREADY_PAIRED = "You already have a learning partner. Type **meet** to propose a time."
NOT_CURRENT = "That partnership isn't current any more. Type **health** to see where things are."
USE_BUTTONS = "Please use one of the buttons on the card."
UNKNOWN_REASON = "Please choose one of the listed reasons."
NOT_AFTER_TODAY = "Please choose a date after today."
PAUSED_BY_TEAM = "The programme team paused your partnership, so they'll pick it up with you."
NOT_IN_PARTNERSHIP = "That person isn't in this partnership."
CLOSE_NOTE = (
    "A proper closing is worth the time. If you can, meet once more: what you've each learned, "
    "what you'd thank each other for, and whether to keep in touch. The programme team is "
    "happy to help if you'd like a hand."
)
INFORMAL_NOTE = (
    "Of course. You're very welcome to carry on informally, in whatever way suits you both. "
    "I won't send any more prompts for that partnership; type **help** any time."
)

_THANKS = {
    "fine": (
        "Thanks for letting me know. Busy spells happen to everyone in the NHS. Whenever you're ready, "
        "a short catch-up still counts.",
        (PROPOSE,),
    ),
    "not_working": (
        "Thank you for telling me; it stays private. Partnerships don't always click, and that's "
        "nobody's fault. If it helps, the programme team can talk it through with you, or you can "
        "pause for a while.",
        (ASK_CONTACT, PAUSE),
    ),
    "contact": ("Thank you. I've asked the programme team to get in touch with you. Your partner won't be told.", ()),
}


VIEW_HEALTH = Action("View health", data={"command": "health"})


def long_date(day: date) -> str:
    """'Monday 3 May 2027' (the one date format, domain.language.show)."""
    return format_date(day)


def _until(until: date | None) -> str:
    return f"until {long_date(until)}" if until else "for now"


def booked_words(booked: Sequence[Booked], time_zone: str) -> str:
    """ "Your meeting on Tuesday 9 March 2027, 14:00 is still booked: it stays" (one or several)."""
    times = " and ".join(format_time(b.start_at, time_zone) for b in booked)
    if len(booked) == 1:
        return f"Your meeting on {times} is still booked: it stays"
    return f"Your meetings on {times} are still booked: they stay"


def cancel_actions(booked: Sequence[Booked], time_zone: str) -> tuple[Action, ...]:
    """One "Cancel the meeting" button per booked meeting (three at most)."""
    if len(booked) == 1:
        return (_cancel("Cancel that meeting", booked[0].meeting_id),)
    return tuple(_cancel(f"Cancel {format_time(b.start_at, time_zone)}", b.meeting_id) for b in booked[:3])


def _cancel(title: str, meeting_id: int) -> Action:
    """Cancel one booked meeting (out of date once it is no longer booked)."""
    return Action(
        title, data=stamped(f"meeting cancel {meeting_id}", meeting_token(meeting_id, MeetingStatus.CONFIRMED))
    )


def pause_reply(result: Paused) -> Reply:
    """To the partner who paused: done, their partner knows, the reason stayed private, and what happens to a
    meeting already booked inside the pause (kept, with a button to cancel it)."""
    text = (
        f"Done: your partnership is paused {_until(result.until)}. "
        f"I've let {verbatim(result.partner_name)} know, without any reason, and I won't send meeting "
        "nudges meanwhile. Type **resume** whenever you're ready."
    )
    if result.booked:
        text += (
            f"\n\n{booked_words(result.booked, result.time_zone)}, and {verbatim(result.partner_name)} has been told. "
            "If you'd rather not meet during the pause, you can cancel it."
        )
    return Reply(text=text, actions=cancel_actions(result.booked, result.time_zone) if result.booked else ())


def resume_reply(result: Resumed) -> Reply:
    """To the partner who resumed (or found nothing paused)."""
    if not result.was_paused:
        return Reply(text="Your partnership isn't paused. Type **meet** to propose a time.")
    return Reply(
        text=(
            f"Welcome back. Your partnership is active again and I've let {verbatim(result.partner_name)} "
            "know. Type **meet** whenever you'd like to propose a time."
        )
    )


def team_pause_reply(result: Paused) -> Reply:
    """To the facilitator who paused a partnership."""
    kept = (
        f" They have {counted(len(result.booked), 'meeting')} booked within the pause: it stays unless one of "
        "them cancels it, and they've been told so."
        if result.booked
        else ""
    )
    return Reply(text=f"Paused {_until(result.until)}. Both partners have been told.{kept}")


def team_resume_reply(result: Resumed) -> Reply:
    """To the facilitator who resumed a partnership (or found it not paused)."""
    if not result.was_paused:
        return Reply(text="That partnership isn't paused, so there's nothing to resume.")
    return Reply(text="Resumed. Both partners have been told.")


def checkin_thanks(answer: str) -> Reply:
    """Thanks for a check-in answer ("fine", "not_working" or "contact")."""
    if answer not in _THANKS:
        raise ValueError(f"unknown check-in answer {answer!r}")
    text, actions = _THANKS[answer]
    return Reply(text=text, actions=actions)


def checkin_reply(result: CheckinSaved) -> Reply:
    """To the partner who answered a private check-in."""
    return checkin_thanks(result.answer)


def after_leaving_reply(result: AfterLeaving) -> Reply:
    """To the partner who stays: a closing, carrying on, or a new partner asked for (or already there)."""
    if result.choice == "close":
        return Reply(text=CLOSE_NOTE)
    if result.choice == "informal":
        return Reply(text=INFORMAL_NOTE)
    if result.already_paired:
        return Reply(text=ALREADY_PAIRED)
    return Reply(
        text="Thank you. I've let the programme team know you'd like a new learning partner; they'll be in touch."
    )


def leaving_reply(result: PartnerLeft) -> Reply:
    """To the facilitator who ended a partnership because a partner left the trust."""
    return Reply(
        text=(
            f"The partnership has ended. {verbatim(result.leaver_name)} gets a closing note, and "
            f"{verbatim(result.staying_name)} is offered a new partner, a proper closing or carrying on "
            "informally."
        )
    )


def health_reply(rows: list[HealthRow]) -> Reply:
    """For facilitators: partnerships grouped by status, with a count per status."""
    if not rows:
        return Reply(title="Partnership health", text="There are no partnerships yet.")
    groups = {
        health: sorted((r for r in rows if r.health is health), key=lambda r: (r.cohort, r.names))
        for health in REPORT_ORDER
    }
    counts = ", ".join(f"{len(found)} {STATUS_LABELS[health].lower()}" for health, found in groups.items() if found)
    total = f"{len(rows)} partnership{'s' if len(rows) != 1 else ''}"
    return Reply(
        title="Partnership health",
        text=f"{total}: {counts}.",
        sections=tuple(
            Section(heading=f"{STATUS_LABELS[health]} ({len(found)})", text=listed(_row(row) for row in found))
            for health, found in groups.items()
            if found
        ),
    )


def _row(row: HealthRow) -> tuple[str, str]:
    """'Ada and Sam', 'Spring 2027 · last met 3 May 2027 · aims agreed': a `listed` row."""
    met = f"last met {long_date(row.last_met)}" if row.last_met else "no meeting logged yet"
    aims = "aims agreed" if row.aims_agreed else "aims not agreed yet"
    return f"{verbatim(row.names[0])} and {verbatim(row.names[1])}", f"{verbatim(row.cohort)} · {met} · {aims}"
