"""What the meeting service tests share: a pair in two time zones, calendar links, outbox reads.

Ada works in London and Sam in New York, so every card can be checked in each person's zone.
On NOW (Monday 1 March 2027) London is UTC+0 and New York UTC-5.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache

from domain.core.clock import FixedClock
from domain.core.jobs import JobContext
from domain.core.model import Group, OutboxMessage, OutboxStatus
from domain.core.reply import Reply
from domain.guide.content import load_guide
from domain.guide.model import Guide
from domain.meetings import service as meetings
from domain.meetings.model import Meeting, MeetingFormat
from storage.store import SqlStore

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
TUE_2PM = datetime(2027, 3, 2, 14, 0, tzinfo=UTC)  # 9:00am in New York
WED_10AM = datetime(2027, 3, 3, 10, 0, tzinfo=UTC)  # 5:00am in New York
REMINDERS = (timedelta(hours=24), timedelta(hours=1))
FORBIDDEN = ("mentor", "mentee")


class CalendarLinks:
    """The web seam: a predictable per-person calendar address."""

    def calendar_url(self, meeting_id: int, participant_id: int, ends_at: datetime) -> str:
        return f"https://plp.test/calendar/m{meeting_id}.p{participant_id}.ics"


LINKS = CalendarLinks()


def jobs(store: SqlStore) -> JobContext:
    """What scheduled work gets: this store, the calendar links and the real guide."""
    return JobContext(store, FixedClock(NOW), _guide(), links=LINKS)


@cache
def _guide() -> Guide:
    return load_guide()


@dataclass
class Pair:
    """Ada and Sam's ids and their partnership."""

    partnership: int
    ada: int
    sam: int


async def make_pair(
    store: SqlStore,
    code: str = "SPRING",
    names: tuple[str, str] = ("Ada", "Sam"),
    zones: tuple[str, str] = ("Europe/London", "America/New_York"),
) -> Pair:
    """Two enrolled partners, paired (the first is partner a)."""
    async with store.transaction() as uow:
        cohort = await uow.cohorts.create("Spring", code, date(2027, 3, 1), 12, ["a", "b", "c"], NOW)
        ids = []
        for name, zone in zip(names, zones, strict=False):
            person = await uow.participants.upsert_identity("test", f"u-{name}-{code}", name, "", NOW)
            await uow.participants.set_email(person.id, f"{name.lower()}@nhs.test")
            await uow.participants.save_enrolment(person.id, cohort.id, Group.BOTH, [], "monthly", "online", zone, NOW)
            ids.append(person.id)
        partnership = await uow.partnerships.create(cohort.id, ids[0], ids[1], date(2027, 3, 1), NOW)
    return Pair(partnership.id, ids[0], ids[1])


async def propose(
    store: SqlStore,
    by: int,
    *options: datetime,
    now: datetime = NOW,
    minutes: int = 45,
    rhythm: int = 0,
    replaces: int | None = None,
    agenda: str = "Insight visits",
) -> Meeting:
    """Propose a Teams meeting and return it."""
    result = await meetings.propose(
        store, by, list(options), minutes, MeetingFormat.TEAMS, "", agenda, rhythm, now, replaces=replaces
    )
    assert result.meeting is not None and result.queued
    return result.meeting


async def book(
    store: SqlStore, pair: Pair, start: datetime, now: datetime = NOW, rhythm: int = 0, minutes: int = 45
) -> Meeting:
    """Ada proposes `start`, Sam accepts it."""
    proposal = await propose(store, pair.ada, start, now=now, rhythm=rhythm, minutes=minutes)
    result = await meetings.accept(store, pair.sam, proposal.id, 0, LINKS, now, REMINDERS)
    assert result.meeting is not None
    return result.meeting


async def outbox(store: SqlStore, participant_id: int, status: OutboxStatus | None = None) -> list[OutboxMessage]:
    """The person's outbox rows (optionally only those with `status`), in insertion order."""
    async with store.transaction() as uow:
        rows = await uow.outbox.list_for(participant_id)
    return [m for m in rows if status is None or m.status is status]


async def stored(store: SqlStore, meeting_id: int) -> Meeting:
    """The meeting as stored now."""
    async with store.transaction() as uow:
        found = await uow.meetings.get(meeting_id)
    assert found is not None
    return found


def card(message: OutboxMessage) -> Reply:
    """The Reply an outbox row will render."""
    return Reply.from_dict(message.payload)


def commands(reply: Reply) -> list[str]:
    """The submit commands of a reply's buttons."""
    return [a.data.get("command", "") for a in reply.actions if a.kind == "submit"]
