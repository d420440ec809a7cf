"""Meetings: the pure rules (what may be booked, who may answer, outcomes, the next time).

No storage and no wording of cards: services in domain.meetings.service use these, cards live
in domain.meetings.cards and domain.meetings.wording. Every refusal is a MeetingError whose message is kind and safe
to show the person.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta

from domain.core.timing import zone
from domain.language.recognize import AnswerError
from domain.language.show import format_time
from domain.meetings.model import Answer, Meeting, MeetingStatus, Outcome

MIN_MINUTES, MAX_MINUTES = 15, 240
MAX_OPTIONS = 5
MAX_RHYTHM_WEEKS = 12
MAX_PLACE, MAX_AGENDA, MAX_NOTE = 200, 1000, 4000
MAX_PAST = 10  # meetings shown in the overview's recent log
NOT_FOUND = "I couldn't find that meeting. Type **meetings** to see yours."
NOT_PAIRED = (
    "Meetings start once you're paired with a learning partner. The programme team will "
    "introduce you both here, and then you can propose a time."
)


class MeetingError(AnswerError):
    """A meeting request that cannot go ahead; the message is kind and safe to show the person."""


def check_details(duration_minutes: int, place: str, agenda: str, rhythm_weeks: int) -> None:
    """Length 15 minutes to 4 hours, short place and agenda, a rhythm of at most 12 weeks."""
    if not MIN_MINUTES <= duration_minutes <= MAX_MINUTES:
        raise MeetingError("Meetings can be from 15 minutes to 4 hours long.")
    if len(place.strip()) > MAX_PLACE:
        raise MeetingError(f"Please keep the place under {MAX_PLACE} characters.")
    if len(agenda.strip()) > MAX_AGENDA:
        raise MeetingError(f"Please keep the agenda under {MAX_AGENDA:,} characters.")
    if not 0 <= rhythm_weeks <= MAX_RHYTHM_WEEKS:
        raise MeetingError(f"A meeting rhythm can be every 1 to {MAX_RHYTHM_WEEKS} weeks.")


def check_times(
    options: Sequence[datetime], duration_minutes: int, now: datetime, booked: Sequence[Meeting], time_zone: str
) -> list[datetime]:
    """The options sorted and de-duplicated; each must be ahead and clear of the pair's booked meetings."""
    times = sorted({o.astimezone(UTC) for o in options})
    if not times:
        raise MeetingError("Please suggest at least one time.")
    if len(times) > MAX_OPTIONS:
        raise MeetingError(f"Please suggest up to {MAX_OPTIONS} times, so the choice stays easy.")
    for start in times:
        check_start(start, duration_minutes, now, booked, time_zone)
    return times


def check_start(
    start: datetime, duration_minutes: int, now: datetime, booked: Sequence[Meeting], time_zone: str
) -> None:
    """One start time: still ahead, and not overlapping a booked meeting."""
    if start <= now:
        raise MeetingError(
            f"{format_time(start, time_zone)} has already passed. Please pick a time that's still ahead."
        )
    for other in booked:
        if other.start_at is not None and overlaps(start, duration_minutes, other):
            raise MeetingError(
                f"{format_time(start, time_zone)} overlaps the meeting you already have booked for "
                f"{format_time(other.start_at, time_zone)}. Please pick another time."
            )


def overlaps(start: datetime, duration_minutes: int, other: Meeting) -> bool:
    """Whether [start, start + duration) meets `other`'s booked interval."""
    if other.start_at is None or other.end_at is None:
        return False
    return start < other.end_at and other.start_at < start + timedelta(minutes=duration_minutes)


def check_responder(meeting: Meeting, participant_id: int) -> None:
    """Only an open proposal can be answered, and only by the partner who did not propose it."""
    if meeting.status is not MeetingStatus.PROPOSED:
        raise MeetingError("That suggestion has already been answered or withdrawn. Type **meetings** to see yours.")
    if meeting.proposed_by == participant_id:
        raise MeetingError("You suggested this time, so it's with your partner to accept or suggest another.")


def pick_option(meeting: Meeting, option_index: int, now: datetime) -> datetime:
    """The chosen option, which must exist and still be ahead."""
    if not 0 <= option_index < len(meeting.options):
        raise MeetingError("That time isn't one of the suggested options. Please use a button on the card.")
    start = meeting.options[option_index]
    if start <= now:
        raise MeetingError("That time has already passed. If it helps, suggest another time.")
    return start


def reconcile(answers: Iterable[Answer]) -> Outcome:
    """The pair's outcome: any "met" wins, then any "moved", then "not met" once both said so."""
    given = list(answers)
    if Answer.MET in given:
        return Outcome.MET
    if Answer.MOVED in given:
        return Outcome.MOVED
    if given.count(Answer.NOT_MET) >= 2:
        return Outcome.NOT_MET
    return Outcome.UNKNOWN


def is_later(other: Meeting, source: Meeting) -> bool:
    """Whether `other` already follows `source`: open, booked after it, or created once it ended."""
    if other.id == source.id:
        return False
    if other.status is MeetingStatus.PROPOSED:
        return True
    booked_after = other.start_at and source.start_at and other.start_at > source.start_at
    if other.status is MeetingStatus.CONFIRMED and booked_after:
        return True
    # Anything arranged (or declined) after the meeting counts, so the automatic proposal comes once.
    return bool(other.created_at and source.end_at and other.created_at >= source.end_at)


def next_start(source: Meeting, time_zone: str, now: datetime) -> datetime:
    """Same local weekday and time, `rhythm_weeks` on (and on again until it is ahead of `now`)."""
    assert source.start_at is not None and source.rhythm_weeks > 0  # only booked meetings with a rhythm
    tz = zone(time_zone)
    local = source.start_at.astimezone(tz)
    step, day = timedelta(weeks=source.rhythm_weeks), local.date()
    while True:
        day += step
        candidate = datetime.combine(day, local.time(), tzinfo=tz).astimezone(UTC)
        if candidate > now:
            return candidate


def reminder_prefixes(meeting_id: int) -> tuple[str, str]:
    """Key prefixes of every reminder and "did you meet?" row of one meeting (for cancelling)."""
    return f"reminder:{meeting_id}:", f"did_you_meet:{meeting_id}:"


def recent(meetings: Iterable[Meeting], now: datetime) -> list[Meeting]:
    """The pair's booked meetings that have started, latest first, at most MAX_PAST."""
    return sorted(
        (m for m in meetings if m.status is MeetingStatus.CONFIRMED and m.start_at and m.start_at < now),
        key=lambda m: (m.start_at, m.id),
        reverse=True,
    )[:MAX_PAST]


def waiting(meetings: Iterable[Meeting]) -> list[Meeting]:
    """Suggestions nobody has answered yet."""
    return [m for m in meetings if m.status is MeetingStatus.PROPOSED]
