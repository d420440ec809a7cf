"""Group check-in sessions through the real bot on a real database: `create session` (times typed
naturally in the facilitator's zone, re-asked when unreadable or more than one, a link re-asked
until it is https), the RSVP buttons, `sessions` with its counts and `cancel session`.

Ada works in London and Sam in New York; Fran facilitates (named in FACILITATORS, London by default).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from channels.text import plain_text
from domain.core.model import Group, OutboxMessage, OutboxStatus
from domain.core.reply import Reply
from storage.store import SqlStore
from tests.dialogs.chat import NOW, Chat, make_bot

FAC = frozenset({"fac-1"})
LINK = "https://teams.microsoft.com/l/meetup-join/abc"
START = datetime(2027, 3, 10, 14, 0, tzinfo=UTC)


@pytest.fixture
async def people(engine: AsyncEngine) -> dict[str, int]:
    """Ada and Sam enrolled in Spring 2027; Fran, who facilitates."""
    async with SqlStore(engine).transaction() as uow:
        cohort = await uow.cohorts.create("Spring 2027", "SPRING", date(2027, 3, 1), 12, ["a", "b", "c"], NOW)
        ids = {"fran": (await uow.participants.upsert_identity("test", "fac-1", "Fran", "", NOW)).id}
        for key, zone in (("ada", "Europe/London"), ("sam", "America/New_York")):
            person = await uow.participants.upsert_identity("test", f"u-{key}", key.title(), "", NOW)
            await uow.participants.save_enrolment(person.id, cohort.id, Group.BOTH, [], "monthly", "online", zone, NOW)
            ids[key] = person.id
    return ids


async def _outbox(engine: AsyncEngine, participant_id: int, kind: str) -> list[OutboxMessage]:
    async with SqlStore(engine).transaction() as uow:
        return [m for m in await uow.outbox.list_for(participant_id) if m.kind == kind]


async def _create(fran: Chat) -> str:
    """Fran creates a session for Wednesday 10 March, 2pm London; the bot's last reply."""
    await fran.say("create session")
    await fran.say("Quarterly check-in")
    await fran.say("2027-03-10 14:00")
    await fran.say("1 hour")
    await fran.say(LINK)
    return await fran.last("Send invitations")


async def test_a_facilitator_creates_a_session_and_the_cohort_is_invited(
    engine: AsyncEngine, people: dict[str, int]
) -> None:
    wakes: list[int] = []
    fran = Chat(make_bot(engine, FAC, wakes=wakes), "fac-1", "Fran")
    assert "called" in await fran.last("create session")
    assert "When does it start" in await fran.last("Quarterly check-in")
    replies = await fran.say("Tuesday 2pm or Wednesday 3pm")
    assert "one start time" in replies[0] and "When does it start" in replies[-1]
    assert "already passed" in (await fran.say("2027-02-01 14:00"))[0]
    assert "How long" in await fran.last("2027-03-10 14:00")
    assert "meeting link" in await fran.last("1 hour")
    insecure = await fran.say("http://insecure.example/x")
    assert len(insecure) == 1 and "https://" in insecure[0] and "**none**" in insecure[0]  # one clear message
    preview = await fran.last(LINK.removeprefix("https://"))  # a bare address gets https://
    assert "Wednesday 10 March 2027, 14:00" in preview and "Spring 2027" in preview
    assert "1 hour" in preview and LINK in preview
    done = await fran.last("Send invitations")
    assert done.startswith("Session 1 created. Invitations are on their way to 2 people in Spring 2027")
    assert wakes == [1]
    [sam_invite] = await _outbox(engine, people["sam"], "session_invite")
    assert "Wednesday 10 March 2027, 09:00" in plain_text(Reply.from_dict(sam_invite.payload))
    assert len(await _outbox(engine, people["ada"], "session_invite")) == 1
    assert await _outbox(engine, people["fran"], "session_invite") == []
    async with SqlStore(engine).transaction() as uow:
        [session] = await uow.sessions.list_all()
    assert (session.title, session.starts_at, session.minutes, session.link) == ("Quarterly check-in", START, 60, LINK)


async def test_not_now_creates_nothing_and_partners_cannot_create(engine: AsyncEngine, people: dict[str, int]) -> None:
    bot = make_bot(engine, FAC)
    fran, ada = Chat(bot, "fac-1", "Fran"), Chat(bot, "u-ada", "Ada")
    for text in ("create session", "Check-in", "2027-03-10 14:00", "45 minutes", "none"):
        await fran.say(text)
    assert "no session created" in await fran.last("Not now")
    for command in ("create session", "sessions", "cancel session 1"):
        assert "facilitators do" in await ada.last(command)
    async with SqlStore(engine).transaction() as uow:
        assert await uow.sessions.list_all() == []


async def test_rsvp_buttons_change_the_answer_and_sessions_shows_counts(
    engine: AsyncEngine, people: dict[str, int]
) -> None:
    bot = make_bot(engine, FAC)
    fran, ada, sam = Chat(bot, "fac-1", "Fran"), Chat(bot, "u-ada", "Ada"), Chat(bot, "u-sam", "Sam")
    await _create(fran)
    assert "see you there" in await ada.last(value={"command": "session rsvp 1 yes"})
    assert (await ada.last(value={"command": "session rsvp 1 maybe"})).startswith("Changed to **Maybe**")
    assert "won't get reminders" in await sam.last(value={"command": "session rsvp 1 no"})
    assert "buttons" in await sam.last(value={"command": "session rsvp 1 perhaps"})
    assert "can't find" in await fran.last(value={"command": "session rsvp 1 yes"})
    listing = await fran.last("sessions")
    assert "1 upcoming" in listing and "1. Quarterly check-in" in listing
    assert "0 yes, 1 maybe, 1 no, 0 no answer" in listing
    assert "Wednesday 10 March 2027, 14:00" in listing


async def test_cancel_session_tells_invitees_and_is_for_facilitators_only(
    engine: AsyncEngine, people: dict[str, int]
) -> None:
    bot = make_bot(engine, FAC)
    fran, ada = Chat(bot, "fac-1", "Fran"), Chat(bot, "u-ada", "Ada")
    await _create(fran)
    assert "facilitators do" in await ada.last("cancel session 1")
    assert "number" in await fran.last("cancel session")
    assert "can't find" in await fran.last("cancel session 7")
    reply = await fran.last("cancel session 1")
    assert reply.startswith("Session 1 is cancelled.")
    # Nothing was sent yet, so both invitations are withdrawn and nobody needs a cancellation notice.
    for key in ("ada", "sam"):
        assert [m.status for m in await _outbox(engine, people[key], "session_invite")] == [OutboxStatus.CANCELLED]
    assert "(cancelled)" in await fran.last("sessions")
    assert "cancelled" in await ada.last(value={"command": "session rsvp 1 yes"})
