"""`meetings`: what's coming up, suggestions waiting, and the recent log, in the viewer's zone.

The log shows the viewer's own "did you meet?" answer, never the reconciled outcome: the
outcome could reveal what the partner answered. Only the viewer's own notes are counted.
"""

from __future__ import annotations

from datetime import datetime

from domain.aims.wording import name
from domain.core.model import Participant
from domain.core.pairs import pair_people
from domain.core.ports import Store
from domain.core.reply import Action, Fact, Reply, Section
from domain.language.when import format_time_short
from domain.meetings.model import Answer, Meeting, MeetingStatus
from domain.meetings.rules import NOT_PAIRED
from domain.meetings.wording import HOW, duration_text

MAX_PAST = 10
MAX_BUTTONS = 5
_OWN_ANSWER = {Answer.MET: "Met", Answer.MOVED: "Moved", Answer.NOT_MET: "Didn't meet", Answer.SKIP: "Not recorded"}
_GENERAL = (
    Action("Propose a meeting", data={"command": "meet"}),
    Action("Log a meeting we had", data={"command": "we met"}),
    Action("Add a private note", data={"command": "meeting note"}),
)


async def overview(store: Store, participant_id: int, now: datetime) -> Reply:
    """The person's meetings card (a kind message when they have no partnership)."""
    async with store.transaction() as uow:
        partnership = await uow.partnerships.current_for(participant_id)
        if partnership is None:
            return Reply(text=NOT_PAIRED)
        me, partner = await pair_people(uow, partnership, participant_id)
        upcoming = await uow.meetings.upcoming(partnership.id, now)
        everything = await uow.meetings.for_partnership(partnership.id)
        notes = len(await uow.meetings.reflections(participant_id))
    past = sorted(
        (m for m in everything if m.status is MeetingStatus.CONFIRMED and m.start_at and m.start_at < now),
        key=lambda m: (m.start_at, m.id),
        reverse=True,
    )[:MAX_PAST]
    waiting = [m for m in everything if m.status is MeetingStatus.PROPOSED]
    return overview_card(me, partner, upcoming, waiting, past, notes)


def overview_card(
    me: Participant,
    partner: Participant,
    upcoming: list[Meeting],
    waiting: list[Meeting],
    past: list[Meeting],
    notes: int,
) -> Reply:
    """Coming up (with Move / Cancel), waiting for an answer, recent meetings; at most five buttons."""
    tz = me.time_zone
    sections = []
    if upcoming:
        sections.append(
            Section(
                "Coming up",
                facts=tuple(
                    Fact(_short(m.start_at, tz), f"{HOW[m.format]}, {duration_text(m.duration_minutes)}")
                    for m in upcoming
                ),
            )
        )
    if waiting:
        sections.append(
            Section(
                "Waiting for an answer",
                facts=tuple(
                    Fact("; ".join(_short(o, tz) for o in m.options), _suggested_by(m, me, partner)) for m in waiting
                ),
            )
        )
    if past:
        sections.append(
            Section("Recent meetings", facts=tuple(Fact(_short(m.start_at, tz), _log_label(m, me.id)) for m in past))
        )
    text = (
        f"Times are shown in {tz}."
        if sections
        else "No meetings yet. When you're ready, propose a time: a 20-minute catch-up still counts."
    )
    if notes:
        text += f"\n\nYou have {notes} private note{'s' if notes > 1 else ''}. Only you can see them."
    return Reply(title="Your meetings", text=text, sections=tuple(sections), actions=_actions(upcoming, tz))


def _actions(upcoming: list[Meeting], tz: str) -> tuple[Action, ...]:
    """Move / Cancel for the soonest meetings, then general actions, five at most."""
    manage = [
        action
        for m in upcoming[: (MAX_BUTTONS - 1) // 2]
        for action in (
            Action(f"Move {_short(m.start_at, tz)}", data={"command": f"meeting move {m.id}"}),
            Action(f"Cancel {_short(m.start_at, tz)}", data={"command": f"meeting cancel {m.id}"}),
        )
    ]
    return tuple([*manage, *_GENERAL][:MAX_BUTTONS])


def _short(at: datetime | None, tz: str) -> str:
    return format_time_short(at, tz) if at is not None else ""


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
