"""Meeting cards: the Reply each partner sees, worded identically for both (each in their own zone).

These are what the services queue in the outbox; domain.meetings.wording words what the person
who acted is told, reusing the cards where both see the same.

Cards sent to both partners name neither of them, so the same words reach both; only the
times (in each person's zone) and their personal calendar links differ.

Every button that acts on a meeting carries its card token (`meeting_token`: the meeting and its status):
a proposal is one row whose times never change, so once it is answered, withdrawn or replaced by another
suggestion its card's buttons are refused as out of date; a booking's Move / Cancel likewise once cancelled.
"""

from __future__ import annotations

from datetime import timedelta

from domain.core.links import teams_meeting_link
from domain.core.model import Participant
from domain.core.reply import Action, Fact, Reply, card_token, stamped, verbatim
from domain.core.wording import name
from domain.language.show import counted, format_clock, format_time
from domain.meetings.model import Meeting, MeetingFormat, MeetingStatus

SUBJECT = "Learning partnership meeting"
CARD = "meeting"  # the card token kind
HOW = {MeetingFormat.TEAMS: "Teams call", MeetingFormat.IN_PERSON: "In person", MeetingFormat.PHONE: "Phone"}


def meeting_token(meeting_id: int, status: MeetingStatus) -> str:
    """The card token of a meeting as it stands: its id and status ("meeting:12:proposed")."""
    return card_token(CARD, meeting_id, status.value)


def meeting_button(title: str, command: str, meeting: Meeting) -> Action:
    """A button acting on `meeting` as it is now (refused as out of date once its status changes)."""
    return Action(title, data=stamped(f"meeting {command} {meeting.id}", meeting_token(meeting.id, meeting.status)))


def duration_text(minutes: int) -> str:
    """'45 minutes', '1 hour', '1 hour 30 minutes'."""
    hours, rest = divmod(minutes, 60)
    parts = ([counted(hours, "hour")] if hours else []) + ([counted(rest, "minute")] if rest else [])
    return " ".join(parts)


def facts(meeting: Meeting, time_zone: str, when: str = "") -> tuple[Fact, ...]:
    """When / How long / How / Where / Agenda (Where and Agenda only when given)."""
    start = meeting.start_at or (meeting.options[0] if meeting.options else None)
    shown = when or (format_time(start, time_zone) if start else "")
    rows = [
        Fact("When", shown),
        Fact("How long", duration_text(meeting.duration_minutes)),
        Fact("How", HOW[meeting.format]),
    ]
    if meeting.place:
        rows.append(Fact("Where", verbatim(meeting.place)))
    if meeting.agenda:
        rows.append(Fact("Agenda", verbatim(meeting.agenda)))
    return tuple(rows)


def kept(meeting: Meeting) -> str:
    """What another time keeps from the meeting it replaces: "I'll keep the rest as it was: 1 hour, Teams call."."""
    parts = [duration_text(meeting.duration_minutes), HOW[meeting.format]]
    if meeting.place:
        parts.append(f"at {verbatim(meeting.place)}")
    if meeting.agenda:
        parts.append(f"agenda: {verbatim(meeting.agenda)}")
    return f"I'll keep the rest as it was: {', '.join(parts)}."


def _manage(meeting: Meeting) -> tuple[Action, ...]:
    return (
        meeting_button("Move", "move", meeting),
        meeting_button("Cancel", "cancel", meeting),
    )


def _link(title: str, url: str) -> tuple[Action, ...]:
    """An open_url button, or none when there is no link to give."""
    return (Action(title, kind="open_url", url=url),) if url else ()


def proposal_card(meeting: Meeting, proposer: Participant | None, time_zone: str, moving: Meeting | None) -> Reply:
    """'Meeting proposed': one button per suggested time (in `time_zone`), suggest another, decline."""
    if proposer is None:
        text = (
            "It's time to book your next learning partnership meeting. Here's a time at your usual rhythm: "
            "either of you can accept it, or suggest another."
        )
    elif moving is not None and moving.start_at is not None:
        text = (
            f"{name(proposer)} would like to move your meeting on {format_time(moving.start_at, time_zone)}. "
            "It stays as it is unless you accept a new time."
        )
    else:
        text = f"{name(proposer)} has suggested {'a time' if len(meeting.options) == 1 else 'some times'} to meet."
    when = "; ".join(format_time(o, time_zone) for o in meeting.options) if len(meeting.options) > 1 else ""
    picks = tuple(
        Action(
            format_time(o, time_zone),
            data=stamped(f"meeting accept {meeting.id} {i}", meeting_token(meeting.id, meeting.status)),
        )
        for i, o in enumerate(meeting.options)
    )
    return Reply(
        title="Meeting proposed",
        text=text,
        facts=facts(meeting, time_zone, when),
        actions=(
            *picks,
            meeting_button("Suggest another time", "suggest", meeting),
            meeting_button("Decline", "decline", meeting),
        ),
    )


def confirmed_card(meeting: Meeting, time_zone: str, calendar_url: str, invitee_email: str) -> Reply:
    """'Meeting confirmed': the same words for both, their calendar link, a Teams link inviting the other."""
    assert meeting.start_at is not None and meeting.end_at is not None  # confirmed meetings have a start
    teams_url = (
        teams_meeting_link(SUBJECT, meeting.start_at, meeting.end_at, invitee_email, meeting.agenda)
        if meeting.format is MeetingFormat.TEAMS
        else ""
    )
    every = "Every week" if meeting.rhythm_weeks == 1 else f"Every {meeting.rhythm_weeks} weeks"
    rhythm = (Fact("Rhythm", f"{every}: I'll suggest the next one afterwards"),) if meeting.rhythm_weeks else ()
    return Reply(
        title="Meeting confirmed",
        text="You're both booked in. If it helps, add it to your calendar.",
        facts=(*facts(meeting, time_zone), *rhythm),
        actions=(*_link("Add to calendar", calendar_url), *_link("Create Teams meeting", teams_url), *_manage(meeting)),
    )


def cancelled_card(meeting: Meeting, time_zone: str, calendar_url: str) -> Reply:
    """'Meeting cancelled' for a booked meeting: the same words for both partners."""
    when = format_time(meeting.start_at, time_zone) if meeting.start_at else ""
    return Reply(
        title="Meeting cancelled",
        text=(
            f"Your learning partnership meeting on {when} has been cancelled. "
            "When diaries allow, propose another time: a short catch-up still counts."
        ),
        actions=(*_link("Remove from calendar", calendar_url), Action("Propose a new time", data={"command": "meet"})),
    )


def withdrawn_card(meeting: Meeting, time_zone: str) -> Reply:
    """A suggestion taken back before anyone accepted it: the same words for both partners."""
    times = "; ".join(format_time(o, time_zone) for o in meeting.options)
    return Reply(
        title="Suggestion withdrawn",
        text=f"The suggested meeting time ({times}) has been withdrawn.",
        actions=(Action("Propose a new time", data={"command": "meet"}),),
    )


def declined_card(decliner: Participant, moving: Meeting | None, time_zone: str) -> Reply:
    """Told to the proposer (or the other partner, for the companion's suggestion)."""
    stays = (
        f" Your meeting on {format_time(moving.start_at, time_zone)} stays as it is."
        if moving is not None and moving.start_at is not None
        else ""
    )
    return Reply(
        title="Suggested time declined",
        text=f"{name(decliner)} can't make the suggested time.{stays} If it helps, suggest another.",
        actions=(Action("Suggest another time", data={"command": "meet"}),),
    )


def reminder_card(meeting: Meeting, time_zone: str, before: timedelta) -> Reply:
    """A warm, brief reminder `before` the start."""
    assert meeting.start_at is not None  # reminders are for booked meetings
    nudge = (
        "If it helps, glance at your agenda." if meeting.agenda else "If it helps, think of one thing to talk about."
    )
    text = (
        f"Your learning partnership meeting is {_lead(before)} at {format_clock(meeting.start_at, time_zone)}. {nudge}"
    )
    return Reply(title="Meeting reminder", text=text, facts=facts(meeting, time_zone), actions=_manage(meeting))


def _lead(before: timedelta) -> str:
    """'tomorrow', 'in an hour', 'in 2 hours', 'in 3 days', 'in 30 minutes'."""
    minutes = int(before.total_seconds() // 60)
    if minutes == 24 * 60:
        return "tomorrow"
    if minutes % (24 * 60) == 0:
        return f"in {minutes // (24 * 60)} days,"
    if minutes % 60 == 0:
        return "in an hour," if minutes == 60 else f"in {minutes // 60} hours,"
    return f"in {minutes} minutes,"


def did_you_meet_card(meeting: Meeting, time_zone: str) -> Reply:
    """'Did you meet?' after the end; the answer stays with the person who gives it."""
    assert meeting.start_at is not None  # asked only about booked meetings
    return Reply(
        title="Did you meet?",
        text=(
            f"How did your learning partnership meeting on {format_time(meeting.start_at, time_zone)} "
            "go? Your answer only keeps your meeting log; I won't share it with your partner."
        ),
        actions=(
            _answer_button("Yes, we met", meeting, "met"),
            _answer_button("We moved it", meeting, "moved"),
            _answer_button("No", meeting, "not_met"),
            _answer_button("Skip", meeting, "skip"),
        ),
    )


def _answer_button(title: str, meeting: Meeting, answer: str) -> Action:
    """One "did you meet?" answer: `meeting answer <id> <answer>`, for the meeting as booked."""
    return Action(
        title, data=stamped(f"meeting answer {meeting.id} {answer}", meeting_token(meeting.id, meeting.status))
    )
