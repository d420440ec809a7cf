"""What the person who acted is told: a meeting service's result, the meetings overview, and the
words of a calendar file.

The overview shows the viewer's own "did you meet?" answer, never the reconciled outcome: the
outcome could reveal what the partner answered. Answers are thanked by the viewer's answer only.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from domain.core.model import Participant
from domain.core.reply import Action, Reply, Section, listed
from domain.core.wording import name
from domain.language.show import format_time
from domain.meetings.cards import HOW, cancelled_card, confirmed_card, duration_text, meeting_button, withdrawn_card
from domain.meetings.model import Answer, Done, Meeting, MeetingResult, Overview
from domain.meetings.rules import NOT_PAIRED

CALENDAR_SUMMARY = "PLP learning partners meeting"


def calendar_summary(partner_name: str) -> str:
    """The calendar event's title, naming the partner: "PLP meeting with Ada Okafor"."""
    return f"PLP meeting with {partner_name}" if partner_name.strip() else CALENDAR_SUMMARY


MAX_BUTTONS = 5
_ANSWER_TEXT = {
    Answer.MET: "Lovely, thank you. I've added it to your meeting log.",
    Answer.MOVED: "Thanks for letting me know. When you have a new time in mind, propose it here.",
    Answer.NOT_MET: (
        "Thanks for letting me know. Diaries have been tough; a 20-minute catch-up still counts whenever you're ready."
    ),
    Answer.SKIP: "No problem. I won't ask about this one again.",
}
_OWN_ANSWER = {Answer.MET: "Met", Answer.MOVED: "Moved", Answer.NOT_MET: "Didn't meet", Answer.SKIP: "Not recorded"}
_PROPOSE_AGAIN = Action("Propose a new time", data={"command": "meet"})
_GENERAL = (
    Action("Propose a meeting", data={"command": "meet"}),
    Action("Log a meeting we had", data={"command": "we met"}),
    Action("Add a private note", data={"command": "meeting note"}),
)


def meeting_reply(result: MeetingResult) -> Reply:
    """What a meeting service's result says to the person who asked for it."""
    return _REPLIES[result.done](result)


def _meeting(result: MeetingResult) -> Meeting:
    assert result.meeting is not None  # every result but a general note is about one meeting
    return result.meeting


def _partner(result: MeetingResult) -> Participant:
    assert result.partner is not None  # proposals, declines and bookings name the other partner
    return result.partner


def _proposal_sent(result: MeetingResult) -> Reply:
    return Reply(
        text=f"Thanks, I've sent your suggestion to {name(_partner(result))}. I'll let you know when they answer."
    )


def _booked(result: MeetingResult) -> Reply:
    """The same confirmation card the partner gets, in the asker's zone and with the asker's links."""
    return confirmed_card(_meeting(result), result.time_zone, result.calendar_url, _partner(result).email)


def _declined(result: MeetingResult) -> Reply:
    return Reply(
        text=f"Thanks, I've let {name(_partner(result))} know. If another time suits, you can suggest one.",
        actions=(Action("Suggest another time", data={"command": "meet"}),),
    )


def _answered(result: MeetingResult) -> Reply:
    """Thanks for one person's answer; depends on their answer only, never on the partner's."""
    assert result.answer is not None  # an answered result carries the asker's answer
    if result.answer is Answer.MET:
        return Reply(text=_ANSWER_TEXT[result.answer], actions=(note_action(_meeting(result)),))
    if result.answer in (Answer.MOVED, Answer.NOT_MET):
        return Reply(text=_ANSWER_TEXT[result.answer], actions=(_PROPOSE_AGAIN,))
    return Reply(text=_ANSWER_TEXT[result.answer])


def _logged(result: MeetingResult) -> Reply:
    return Reply(text="Lovely, I've added it to your meeting log.", actions=(note_action(_meeting(result)),))


_REPLIES: dict[Done, Callable[[MeetingResult], Reply]] = {
    Done.PROPOSED: _proposal_sent,
    Done.BOOKED: _booked,
    Done.DECLINED: _declined,
    Done.CANCELLED: lambda r: cancelled_card(_meeting(r), r.time_zone, r.calendar_url),
    Done.WITHDRAWN: lambda r: withdrawn_card(_meeting(r), r.time_zone),
    Done.ANSWERED: _answered,
    Done.LOGGED: _logged,
    Done.NOTED: lambda _: Reply(text="Saved. Only you can see this note."),
}


def note_action(meeting: Meeting) -> Action:
    """'Add a private note' about one meeting."""
    return Action("Add a private note", data={"command": f"meeting note {meeting.id}"})


def meetings_card(overview: Overview | None) -> Reply:
    """Coming up (with Move / Cancel), waiting for an answer, recent meetings; a kind message when unpaired."""
    if overview is None:
        return Reply(text=NOT_PAIRED)
    tz, sections = overview.me.time_zone, _sections(overview)
    text = (
        f"Times are shown in {tz}."
        if sections
        else "No meetings yet. When you're ready, propose a time: a 20-minute catch-up still counts."
    )
    if overview.notes:
        notes = overview.notes
        text += f"\n\nYou have {notes} private note{'s' if notes > 1 else ''}. Only you can see them."
    return Reply(title="Your meetings", text=text, sections=sections, actions=_actions(overview.upcoming, tz))


def _sections(overview: Overview) -> tuple[Section, ...]:
    """Only the sections that have something in them, in the viewer's zone."""
    tz, me, partner = overview.me.time_zone, overview.me, overview.partner
    coming = [
        (_short(m.start_at, tz), f"{HOW[m.format]}, {duration_text(m.duration_minutes)}") for m in overview.upcoming
    ]
    waiting = [("; ".join(_short(o, tz) for o in m.options), _suggested_by(m, me, partner)) for m in overview.waiting]
    past = [(_short(m.start_at, tz), _log_label(m, me.id)) for m in overview.past]
    found = (("Coming up", coming), ("Waiting for an answer", waiting), ("Recent meetings", past))
    return tuple(Section(heading, text=listed(rows)) for heading, rows in found if rows)


def _actions(upcoming: list[Meeting], tz: str) -> tuple[Action, ...]:
    """Move / Cancel for the soonest meetings, then general actions, five at most."""
    manage = [
        action
        for m in upcoming[: (MAX_BUTTONS - 1) // 2]
        for action in (
            meeting_button(f"Move {_short(m.start_at, tz)}", "move", m),
            meeting_button(f"Cancel {_short(m.start_at, tz)}", "cancel", m),
        )
    ]
    return tuple([*manage, *_GENERAL][:MAX_BUTTONS])


def _short(at: datetime | None, tz: str) -> str:
    return format_time(at, tz) if at is not None else ""


def _suggested_by(meeting: Meeting, me: Participant, partner: Participant) -> str:
    if meeting.proposed_by is None:
        return "Suggested by the companion"
    return "Suggested by you" if meeting.proposed_by == me.id else f"Suggested by {name(partner)}"


def _log_label(meeting: Meeting, viewer_id: int) -> str:
    """The viewer's own answer; a meeting logged afterwards reads as met for both."""
    own = meeting.answers.get(viewer_id)
    if own is not None:
        return _OWN_ANSWER[own]
    return "Met (logged)" if meeting.logged_only else "Not recorded yet"


def calendar_description(meeting: Meeting) -> str:
    """The calendar event's description: the agenda (when given) and what the time is for."""
    agenda = f"Agenda: {meeting.agenda}\n\n" if meeting.agenda else ""
    return agenda + "Protected time for your learning partnership, arranged with the PLP Companion."
