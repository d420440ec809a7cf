"""Group check-in sessions on the real database: invitations to the cohort only, each in the
invitee's own zone and working hours; RSVPs and their changes; reminders at exact instants to
the right people; idempotent reruns; cancellation.

Ada works in London, Sam in New York and Kai in Tokyo (cohort Spring); Olu is in another cohort.
On NOW (Monday 1 March 2027, 9:00 UTC) London is UTC+0, New York UTC-5 and Tokyo UTC+9.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.core.clock import FixedClock
from domain.core.jobs import JobContext, JobSettings
from domain.core.model import Group, OutboxMessage, OutboxStatus
from domain.core.reply import Reply
from domain.core.timing import WorkingHours
from domain.guide.content import load_guide
from domain.sessions.model import SessionCounts, SessionDraft
from domain.sessions.rules import SessionError, parse_link
from domain.sessions.service import cancel_session, create_session, list_sessions, rsvp, run_due
from domain.sessions.wording import answered_reply, cancelled_reply, created_reply
from storage.outbox_store import OutboxStore
from storage.store import SqlStore

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
START = datetime(2027, 3, 10, 14, 0, tzinfo=UTC)  # Wednesday: 2pm London, 9am New York, 11pm Tokyo
HOURS = WorkingHours()
LINK = "https://teams.microsoft.com/l/meetup-join/abc"
MINUTE, HOUR, DAY = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)
GUIDE = load_guide()
ZONES = {"ada": "Europe/London", "sam": "America/New_York", "kai": "Asia/Tokyo"}


@dataclass
class People:
    ada: int
    sam: int
    kai: int
    olu: int
    fran: int
    cohort: int


async def _enrol(store: SqlStore, key: str, cohort_id: int, zone: str, now: datetime = NOW) -> int:
    async with store.transaction() as uow:
        person = await uow.participants.upsert_identity("test", f"u-{key}", key.title(), "", now)
        await uow.participants.save_enrolment(person.id, cohort_id, Group.BOTH, [], "monthly", "online", zone, now)
    return person.id


@pytest.fixture
async def people(store: SqlStore) -> People:
    async with store.transaction() as uow:
        spring = await uow.cohorts.create("Spring 2027", "SPRING", date(2027, 3, 1), 12, ["a", "b", "c"], NOW)
        autumn = await uow.cohorts.create("Autumn 2027", "AUTUMN", date(2027, 9, 1), 12, ["a", "b", "c"], NOW)
        fran = (await uow.participants.upsert_identity("test", "fac-1", "Fran", "", NOW)).id
    ids = {key: await _enrol(store, key, spring.id, zone) for key, zone in ZONES.items()}
    olu = await _enrol(store, "olu", autumn.id, "Europe/London")
    return People(ids["ada"], ids["sam"], ids["kai"], olu, fran, spring.id)


async def _create(store: SqlStore, people: People, link: str = LINK) -> int:
    result = await create_session(
        store, SessionDraft(people.cohort, "Quarterly check-in", START, 60, link), people.fran, NOW, HOURS
    )
    assert result.queued
    return int(created_reply(result).text.split()[1])


def _ctx(store: SqlStore) -> JobContext:
    return JobContext(store, FixedClock(NOW), GUIDE, JobSettings(hours=HOURS))


async def _outbox(store: SqlStore, participant_id: int, kind: str) -> list[OutboxMessage]:
    async with store.transaction() as uow:
        return [m for m in await uow.outbox.list_for(participant_id) if m.kind == kind]


async def _deliver(engine: AsyncEngine, now: datetime) -> None:
    """What the sender would do at `now`: every due row marked sent."""
    sender = OutboxStore(engine)
    for message in await sender.claim(now, 100, "test", 60):
        assert await sender.mark_sent(message.id, "test", now, f"activity-{message.id}")


async def test_invitations_go_to_the_cohort_only_in_each_zone_and_working_hours(
    store: SqlStore, people: People
) -> None:
    session_id = await _create(store, people)
    expected = {
        people.ada: ("Wednesday 10 March 2027, 14:00", NOW),
        people.sam: ("Wednesday 10 March 2027, 09:00", datetime(2027, 3, 1, 14, tzinfo=UTC)),
        people.kai: ("Wednesday 10 March 2027, 23:00", datetime(2027, 3, 2, 0, tzinfo=UTC)),
    }
    for pid, (when, due) in expected.items():
        [invite] = await _outbox(store, pid, "session_invite")
        card = Reply.from_dict(invite.payload)
        assert invite.due_at == due and invite.idempotency_key == f"session_invite:{session_id}:{pid}:0"
        assert ("When", when) in [(f.title, f.value) for f in card.facts]
        assert [a.data.get("command") for a in card.actions if a.kind == "submit"] == [
            f"session rsvp {session_id} {answer}" for answer in ("yes", "maybe", "no")
        ]
        assert [a.url for a in card.actions if a.kind == "open_url"] == [LINK]
    assert await _outbox(store, people.olu, "session_invite") == []
    assert await _outbox(store, people.fran, "session_invite") == []


async def test_a_session_is_refused_in_the_past_too_short_or_with_a_bad_link(store: SqlStore, people: People) -> None:
    for draft in (
        SessionDraft(people.cohort, "Check-in", NOW - MINUTE, 60),
        SessionDraft(people.cohort, "Check-in", START, 5),
        SessionDraft(people.cohort, " ", START, 60),
        SessionDraft(people.cohort, "Check-in", START, 60, "http://insecure.example/x"),
        SessionDraft(9999, "Check-in", START, 60),
    ):
        with pytest.raises(SessionError):
            await create_session(store, draft, people.fran, NOW, HOURS)
    async with store.transaction() as uow:
        assert await uow.sessions.list_all() == []


@pytest.mark.parametrize(
    "text, link",
    [
        ("none", ""),
        ("", ""),
        (" Skip ", ""),
        (LINK, LINK),
        ("https://zoom.us/j/123?pwd=x", "https://zoom.us/j/123?pwd=x"),
        ("teams.microsoft.com/l/x", "https://teams.microsoft.com/l/x"),  # a bare address gets https://
        (" <https://zoom.us/j/1>. ", "https://zoom.us/j/1"),
    ],
)
def test_parse_link_keeps_https_links_or_none(text: str, link: str) -> None:
    assert parse_link(text) == link


@pytest.mark.parametrize(
    "text",
    [
        "http://zoom.us/j/1",
        "javascript:alert(1)",
        "https://has space.com/x",
        "mailto:team@example.org",
        "see you there",
        "https://" + "a" * 500 + ".com",
    ],
)
def test_parse_link_refuses_anything_but_an_https_url(text: str) -> None:
    with pytest.raises(SessionError):
        parse_link(text)


async def test_rsvp_can_change_until_the_session_starts(store: SqlStore, people: People) -> None:
    session_id = await _create(store, people)
    first = await rsvp(store, people.ada, session_id, "yes", NOW)
    changed = await rsvp(store, people.ada, session_id, "maybe", NOW + HOUR)
    await rsvp(store, people.sam, session_id, "no", NOW)
    assert "Changed" not in answered_reply(first).text
    assert answered_reply(changed).text.startswith("Changed to **Maybe**.")
    with pytest.raises(SessionError, match="already started"):
        await rsvp(store, people.ada, session_id, "no", START)
    with pytest.raises(SessionError, match="can't find"):
        await rsvp(store, people.olu, session_id, "yes", NOW)
    with pytest.raises(SessionError, match="buttons"):
        await rsvp(store, people.ada, session_id, "perhaps", NOW)
    [(_, cohort, counts)] = await list_sessions(store)
    assert cohort == "Spring 2027" and counts == SessionCounts(yes=0, maybe=1, no=1, no_answer=1)


async def _reminders(store: SqlStore, people: People) -> dict[str, list[datetime]]:
    found = {}
    for key in ZONES:
        found[key] = [m.due_at for m in await _outbox(store, getattr(people, key), "session_reminder")]
    return found


async def test_reminders_reach_yes_maybe_and_unanswered_at_exact_instants_and_reruns_add_nothing(
    store: SqlStore, people: People
) -> None:
    session_id = await _create(store, people)
    await rsvp(store, people.ada, session_id, "yes", NOW)
    await rsvp(store, people.sam, session_id, "no", NOW)
    assert await run_due(_ctx(store), START - DAY - MINUTE) == 0
    assert await run_due(_ctx(store), START - DAY) == 2
    assert await run_due(_ctx(store), START - DAY) == 0
    assert await run_due(_ctx(store), START - 2 * HOUR) == 0
    await rsvp(store, people.sam, session_id, "maybe", START - 2 * HOUR)
    assert await run_due(_ctx(store), START - HOUR + MINUTE) == 3
    assert await run_due(_ctx(store), START - MINUTE) == 0
    assert await run_due(_ctx(store), START) == 0
    assert await _reminders(store, people) == {
        "ada": [START - DAY, START - HOUR],
        "sam": [START - HOUR],
        "kai": [START - DAY, START - HOUR],
    }
    [kai_day, _] = await _outbox(store, people.kai, "session_reminder")
    assert ("When", "Wednesday 10 March 2027, 23:00") in [
        (f.title, f.value) for f in Reply.from_dict(kai_day.payload).facts
    ]


async def test_saying_no_withdraws_a_reminder_not_yet_sent(store: SqlStore, people: People) -> None:
    session_id = await _create(store, people)
    await run_due(_ctx(store), START - HOUR)
    await rsvp(store, people.kai, session_id, "no", START - HOUR + MINUTE)
    [reminder] = await _outbox(store, people.kai, "session_reminder")
    assert reminder.status is OutboxStatus.CANCELLED


async def test_late_joiners_are_invited_and_not_reminded_before_their_invitation(
    store: SqlStore, people: People
) -> None:
    await _create(store, people)
    late = await _enrol(store, "lee", people.cohort, "Europe/London", START - DAY - HOUR)
    assert await run_due(_ctx(store), START - DAY - HOUR) == 1
    [invite] = await _outbox(store, late, "session_invite")
    assert invite.due_at == START - DAY - HOUR  # Tuesday 1pm London: within working hours
    # A Monday 9:30 UTC session set up on Saturday evening: invitations wait for each person's Monday
    # working hours, except Sam's (New York's start after the session, so his goes at once). No reminder
    # may come before the invitation it follows.
    monday = datetime(2027, 3, 15, 9, 30, tzinfo=UTC)
    saturday = datetime(2027, 3, 13, 21, 30, tzinfo=UTC)
    result = await create_session(
        store, SessionDraft(people.cohort, "Monday check-in", monday, 45), people.fran, saturday, HOURS
    )
    assert result.queued
    invites = {
        key: [m.due_at for m in await _outbox(store, pid, "session_invite") if "Monday" in str(m.payload)]
        for key, pid in (("ada", people.ada), ("sam", people.sam), ("kai", people.kai), ("lee", late))
    }
    assert invites == {
        "ada": [datetime(2027, 3, 15, 9, tzinfo=UTC)],
        "sam": [saturday],
        "kai": [datetime(2027, 3, 15, 0, tzinfo=UTC)],
        "lee": [datetime(2027, 3, 15, 9, tzinfo=UTC)],
    }
    assert await run_due(_ctx(store), monday - DAY) == 1
    assert await run_due(_ctx(store), monday - HOUR) == 2
    reminded = {
        key: [m.due_at for m in await _outbox(store, pid, "session_reminder")]
        for key, pid in (("ada", people.ada), ("sam", people.sam), ("kai", people.kai), ("lee", late))
    }
    assert reminded == {"ada": [], "sam": [monday - DAY, monday - HOUR], "kai": [monday - HOUR], "lee": []}


async def test_cancelling_tells_those_who_heard_and_withdraws_reminders(
    store: SqlStore, engine: AsyncEngine, people: People
) -> None:
    session_id = await _create(store, people)
    await _deliver(engine, START - DAY)  # every invitation has gone out
    assert await run_due(_ctx(store), START - DAY) == 3
    result = await cancel_session(store, session_id, START - DAY + MINUTE, HOURS)
    reply = cancelled_reply(result)
    assert result.queued and "3 invited people are being told" in reply.text
    assert "3 pending reminders withdrawn" in reply.text
    for key in ZONES:
        pid = getattr(people, key)
        assert [m.status for m in await _outbox(store, pid, "session_reminder")] == [OutboxStatus.CANCELLED]
        [notice] = await _outbox(store, pid, "session_cancelled")
        assert notice.status is OutboxStatus.PENDING
    assert await run_due(_ctx(store), START - HOUR) == 0
    with pytest.raises(SessionError):
        await rsvp(store, people.ada, session_id, "yes", START - 2 * HOUR)
    with pytest.raises(SessionError):
        await cancel_session(store, session_id, START - 2 * HOUR, HOURS)


async def test_cancelling_before_an_invitation_went_out_withdraws_it_silently(
    store: SqlStore, engine: AsyncEngine, people: People
) -> None:
    session_id = await _create(store, people)
    await _deliver(engine, NOW)  # only Ada's invitation is due yet
    result = await cancel_session(store, session_id, NOW + MINUTE, HOURS)
    assert "1 invited person is being told" in cancelled_reply(result).text
    assert len(await _outbox(store, people.ada, "session_cancelled")) == 1
    for pid in (people.sam, people.kai):
        assert [m.status for m in await _outbox(store, pid, "session_invite")] == [OutboxStatus.CANCELLED]
        assert await _outbox(store, pid, "session_cancelled") == []
    with pytest.raises(SessionError):
        await cancel_session(store, 9999, NOW, HOURS)
