"""End to end over real HTTP: a confirmed broadcast is queued in the background and sent with no
job tick (the confirm wakes the background, each batch wakes the dispatcher), and a broadcast a
crash left half-queued is finished as soon as the bot starts again: everyone once, nobody twice.
Both interval jobs are set to an hour, so only the wakes can explain the delivery."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from bot import BROADCAST_ROWS, ENGINE
from domain.broadcasts import service as broadcasts
from domain.broadcasts.materialise import Progress, step
from domain.broadcasts.model import Audience, AudienceKind, Draft
from domain.core.clock import FixedClock
from storage.engine import create_engine
from storage.migration import migrate
from storage.store import SqlStore
from tests.e2e.harness import card_text, enrol_people, enrolled_conversation, running, settings_for
from tests.fakes.connector import FakeConnector, Recorded

START = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def conversation(n: int) -> str:
    return enrolled_conversation("bg", n)


def _everyone_has_one(people: int) -> Callable[[list[Recorded]], bool]:
    def check(requests: list[Recorded]) -> bool:
        got = {r.conversation_id for r in requests if r.is_activity and r.conversation_id.startswith("a:personal-bg-")}
        return len(got) == people

    return check


def _each_got_exactly_one(connector: FakeConnector, people: int) -> None:
    for n in range(people):
        [post] = connector.activities_to(conversation(n))
        assert "Launch is on **Monday**" in card_text(post.body)


async def test_a_confirmed_broadcast_goes_out_with_no_job_tick(database_url: str) -> None:
    settings = settings_for(database_url, facilitators=frozenset({"aad-fran"}), broadcast_interval_seconds=3600)
    async with running(settings, FixedClock(START)) as h:
        await enrol_people(SqlStore(h.app[ENGINE]), h.connector.url, "bg", 40, START)
        fran = h.person("Fran")
        for text in ("broadcast", "Launch is on **Monday**.", "No link", "Everyone", "Send now"):
            replies = await fran.say(text)
        assert "Send it to 40 people now?" in card_text(replies[-1])
        assert "On its way" in card_text((await fran.say("yes"))[-1])
        await h.connector.wait_for(_everyone_has_one(40), within=20)
        await h.app[BROADCAST_ROWS].settled()
        _each_got_exactly_one(h.connector, 40)


async def test_a_broadcast_a_crash_left_half_queued_is_finished_when_the_bot_starts(database_url: str) -> None:
    connector = FakeConnector()
    await connector.start()
    try:
        engine = create_engine(database_url)
        await migrate(engine)
        store = SqlStore(engine)
        await enrol_people(store, connector.url, "bg", 30, START)
        draft = Draft("Launch is on **Monday**.", Audience(AudienceKind.EVERYONE))
        made = (await broadcasts.create(store, draft, None, START, START)).broadcast
        assert await step(store, START, batch=10) == Progress(made.id, 10, False)
        await engine.dispose()  # ... and the process was killed here

        settings = settings_for(database_url, broadcast_interval_seconds=3600)
        async with running(settings, FixedClock(START), connector=connector) as h:
            await connector.wait_for(_everyone_has_one(30), within=20)
            await h.app[BROADCAST_ROWS].settled()
            async with SqlStore(h.app[ENGINE]).transaction() as uow:
                done = await uow.broadcasts.get(made.id)
                rows = await uow.broadcasts.deliveries(made.id)
        _each_got_exactly_one(connector, 30)
        assert done is not None and done.recipients == 30 and len(rows) == 30
    finally:
        await connector.stop()
