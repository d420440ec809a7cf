"""The daily budget for unprompted messages: at most a few a day per person, the most useful first.

Unprompted messages (guide prompts, nudges and private check-ins, aims and poll invitations,
poll reminders) are queued as *planned*: not yet for sending. Once a tick, the budget pass
looks at each person's planned messages whose day has come and promotes them, in priority
order, while that local day has room; the rest move to the person's next working day and
wait there for the next pass. Meeting reminders, "did you meet?", session invitations and
reminders, notices and broadcasts are outside the budget (they are due at a set time or
answer something the person did).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from domain.core.spread import next_working_day_slot
from domain.core.timing import WorkingHours, instants, local_date, zone

# Lower goes first when a day has less room than messages.
PRIORITY: Mapping[str, int] = {
    "nudge": 0,
    "private_checkin": 0,
    "poll_reminder": 1,
    "guide_prompt": 2,
    "aims_invite": 3,
    "poll_invite": 3,
}
BUDGETED_KINDS = frozenset(PRIORITY)
# Statuses of a budgeted message that count against the day it is due: waiting to be sent, being sent, sent.
SPENT = frozenset(("pending", "sending", "sent"))
# A person's local "today" began less than this long ago, and the pass never looks further ahead.
DAY_REACH = timedelta(days=2)
# Every zone's local "today" ends less than this after now (25 hours on the day the clocks go back):
# planned messages due later cannot be today's, so the pass does not even read them.
TODAY_REACH = timedelta(hours=26)


def is_budgeted(kind: str) -> bool:
    """Whether messages of this kind count against the person's daily budget."""
    return kind in BUDGETED_KINDS


@dataclass(frozen=True)
class Held:
    """A planned message waiting for its day's budget, with its recipient's time zone."""

    id: int
    participant_id: int
    kind: str
    due_at: datetime
    time_zone: str


@dataclass(frozen=True)
class BudgetView:
    """What deciding a day's budget needs to know about some people: their time zones, per person the due
    times of budgeted messages already within a budget around now, and which keys are already queued."""

    zones: Mapping[int, str]
    spent: Mapping[int, Sequence[datetime]]
    known: AbstractSet[str] = frozenset()  # keys of budgeted messages already queued around now (any status)


@dataclass
class Allotment:
    """What the budget pass decided: rows to promote now, rows to move to a later day."""

    promote: list[int] = field(default_factory=list)
    postpone: list[tuple[int, datetime]] = field(default_factory=list)


def ready_people(held: Iterable[Held], now: datetime) -> set[int]:
    """Who has a planned message whose day (in their own zone) has come: only they need a decision."""
    days = _LocalDays(now)
    return {m.participant_id for m in held if m.due_at < days.of(m.time_zone).ends}


def allot(
    held: Iterable[Held],
    used: Mapping[int, Sequence[datetime]],
    now: datetime,
    hours: WorkingHours,
    budget: int,
) -> Allotment:
    """Promote each person's messages for today within what today's budget has left; postpone the rest.

    `used` holds, per person, the due times of budgeted messages already promoted around now.
    Messages for a later day wait; one whose day has passed counts as today's.
    """
    by_person: dict[int, list[Held]] = defaultdict(list)
    for message in held:
        by_person[message.participant_id].append(message)
    decided, days = Allotment(), _LocalDays(now)
    for person, messages in by_person.items():
        today = days.of(messages[0].time_zone)
        _allot_person(person, messages, used.get(person, ()), today, hours, budget, decided)
    return decided


@dataclass(frozen=True)
class _Today:
    """A person's local today: its date and the UTC instants it starts and ends."""

    time_zone: str
    date: date
    starts: datetime
    ends: datetime


class _LocalDays:
    """Local "today" at `now` per time zone, worked out once per zone (a tick decides for thousands)."""

    def __init__(self, now: datetime) -> None:
        self._now, self._days = now, dict[str, _Today]()

    def of(self, time_zone: str) -> _Today:
        found = self._days.get(time_zone)
        if found is None:
            today = local_date(self._now, time_zone)
            starts, ends = (_midnight(today + timedelta(days=n), time_zone) for n in (0, 1))
            found = self._days[time_zone] = _Today(time_zone, today, starts, ends)
        return found


def _midnight(day: date, time_zone: str) -> datetime:
    """The first instant of `day` in `time_zone` (aware UTC; the end of the gap if midnight is skipped)."""
    return min(instants(datetime.combine(day, time.min), zone(time_zone)))


def _allot_person(
    person: int,
    messages: list[Held],
    used: Sequence[datetime],
    today: _Today,
    hours: WorkingHours,
    budget: int,
    decided: Allotment,
) -> None:
    """One person's share of the pass, in priority order, then due time, then id."""
    ready = [m for m in messages if m.due_at < today.ends]
    if not ready:
        return
    room = max(0, budget - sum(1 for at in used if today.starts <= at < today.ends))
    ready.sort(key=lambda m: (PRIORITY.get(m.kind, len(PRIORITY)), m.due_at, m.id))
    decided.promote.extend(m.id for m in ready[:room])
    if ready[room:]:
        later = next_working_day_slot(today.date, today.time_zone, hours, person)
        decided.postpone.extend((m.id, later) for m in ready[room:])
