"""`/readyz` over real HTTP: ready only when the database takes a committed write (a full disk
still answers SELECT 1), and it reports the outbox backlog and when the scheduler last ticked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from bot import DISPATCHER, ENGINE, SCHEDULER, STORE
from domain.core.clock import FixedClock
from domain.core.identity import Identity, register
from domain.core.model import NewOutboxMessage
from domain.core.reply import Reply
from scheduling.jobs import DISPATCH_JOB_ID
from tests.e2e.faults import allow_writes, refuse_writes
from tests.e2e.harness import Harness, running, settings_for

START = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


async def _readyz(h: Harness) -> tuple[int, dict[str, Any]]:
    async with h.http.get(h.bot_url.replace("/api/messages", "/readyz")) as response:
        return response.status, await response.json()


async def test_ready_reports_the_database_the_outbox_backlog_and_the_scheduler(database_url: str) -> None:
    clock = FixedClock(START)
    async with running(settings_for(database_url, dispatch_interval_seconds=30), clock) as h:
        status, body = await _readyz(h)
        assert status == 200 and body["status"] == "ready" and body["database"] == "ok"
        assert body["outbox"] == {"due": 0, "oldest_due_seconds": None}
        assert body["scheduler"] == {
            "running": True,
            "last_tick": None,
            "seconds_since_tick": None,
            "interval_seconds": 30,
            "late": False,
        }

        await h.app[SCHEDULER].get_job(DISPATCH_JOB_ID).func()  # one safety tick, as the scheduler runs it
        await h.app[DISPATCHER].close()  # from here the row below stays due, whatever the drain loop would do
        person = await register(h.app[STORE], Identity("msteams", "29:pat", "Pat"), None, START)
        async with h.app[STORE].transaction() as uow:
            message = NewOutboxMessage("test:readyz:1", "test", person.id, Reply(text="hi").to_dict(), START)
            await uow.outbox.enqueue([message], START)
        clock.current = START + timedelta(seconds=95)

        status, body = await _readyz(h)
        assert status == 200 and body["outbox"] == {"due": 1, "oldest_due_seconds": 95}
        assert body["scheduler"]["last_tick"] == START.isoformat()
        assert body["scheduler"]["seconds_since_tick"] == 95 and body["scheduler"]["late"] is True


async def test_a_database_that_refuses_writes_is_not_ready(database_url: str) -> None:
    async with running(settings_for(database_url)) as h:
        await refuse_writes(h.app[ENGINE], ["health_probes"])
        status, body = await _readyz(h)
        assert status == 503 and body["status"] == "not ready" and body["database"] == "refuses writes"
        await allow_writes(h.app[ENGINE], ["health_probes"])
        status, body = await _readyz(h)
        assert status == 200 and body["database"] == "ok"
