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
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from domain.core.spread import next_working_day_slot
from domain.core.timing import WorkingHours, local_date

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
# A person's local "today" began less than this long ago, and the pass never looks further ahead.
DAY_REACH = timedelta(days=2)


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
    """What deciding a day's budget needs to know about some people: their time zones, and per person the
    due times of budgeted messages already within a budget around now."""

    zones: Mapping[int, str]
    spent: Mapping[int, Sequence[datetime]]


@dataclass
class Allotment:
    """What the budget pass decided: rows to promote now, rows to move to a later day."""

    promote: list[int] = field(default_factory=list)
    postpone: list[tuple[int, datetime]] = field(default_factory=list)


def ready_people(held: Iterable[Held], now: datetime) -> set[int]:
    """Who has a planned message whose day (in their own zone) has come: only they need a decision."""
    return {m.participant_id for m in held if local_date(m.due_at, m.time_zone) <= local_date(now, m.time_zone)}


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
    decided = Allotment()
    for person, messages in by_person.items():
        _allot_person(person, messages, used.get(person, ()), now, hours, budget, decided)
    return decided


def _allot_person(
    person: int,
    messages: list[Held],
    used: Sequence[datetime],
    now: datetime,
    hours: WorkingHours,
    budget: int,
    decided: Allotment,
) -> None:
    """One person's share of the pass, in priority order, then due time, then id."""
    time_zone = messages[0].time_zone
    today = local_date(now, time_zone)
    ready = [m for m in messages if local_date(m.due_at, time_zone) <= today]
    room = max(0, budget - sum(1 for at in used if local_date(at, time_zone) == today))
    ready.sort(key=lambda m: (PRIORITY.get(m.kind, len(PRIORITY)), m.due_at, m.id))
    decided.promote.extend(m.id for m in ready[:room])
    if ready[room:]:
        later = next_working_day_slot(today, time_zone, hours, person)
        decided.postpone.extend((m.id, later) for m in ready[room:])
