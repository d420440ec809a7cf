"""The fake connector's opt-in Teams behaviour over HTTP: 429 + Retry-After without doing the
work, outages, counters, the `/_fake` control endpoints and the standalone process. Its clock
is injected, so windows and outages move only when a test moves it."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from tests.fakes.connector import FakeConnector
from tests.fakes.teams_limits import TeamsLimits, Window

ROOT = Path(__file__).resolve().parents[2]


class Now:
    """A settable monotonic clock."""

    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def now() -> Now:
    return Now()


@pytest.fixture
async def teams(now: Now) -> AsyncIterator[FakeConnector]:
    """A fake connector with Teams' limits on the injected clock."""
    fake = FakeConnector(limits=TeamsLimits(), clock=now, keep_requests=False)
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


async def post(http: aiohttp.ClientSession, fake: FakeConnector, cid: str) -> tuple[int, str | None]:
    async with http.post(f"{fake.url}v3/conversations/{cid}/activities", json={"text": f"to {cid}"}) as resp:
        return resp.status, resp.headers.get("Retry-After")


async def test_the_eighth_in_a_second_is_refused_with_retry_after_and_not_delivered(
    teams: FakeConnector, now: Now, http: aiohttp.ClientSession
) -> None:
    answers = [await post(http, teams, "a:x") for _ in range(8)]
    assert answers == [(201, None)] * 7 + [(429, "1")]
    assert len(teams.traffic.deliveries["a:x"]) == 7
    now.t += 1
    assert await post(http, teams, "a:x") == (201, None)
    snapshot = teams.traffic.snapshot()
    assert (snapshot["by_status"], snapshot["throttled"]) == ({"201": 8, "429": 1}, {"conversation": 1})
    assert teams.requests == []  # not kept: the counters are


async def test_the_tenant_cap_spans_conversations_and_retry_after_is_whole_seconds(
    now: Now, http: aiohttp.ClientSession
) -> None:
    fake = FakeConnector(limits=TeamsLimits(Window(3, 1.0), (Window(1, 30.0),)), clock=now)
    await fake.start()
    try:
        assert [await post(http, fake, f"a:{n}") for n in range(4)] == [(201, None)] * 3 + [(429, "1")]
        now.t += 1.5
        assert await post(http, fake, "a:0") == (429, "29")  # its own window: 28.5 s left, rounded up
        assert fake.traffic.throttled == {"tenant": 1, "conversation": 1}
    finally:
        await fake.stop()


async def test_an_outage_answers_503_until_it_ends(teams: FakeConnector, now: Now, http: aiohttp.ClientSession) -> None:
    teams.outage(60)
    assert await post(http, teams, "a:x") == (503, None)
    async with http.get(f"{teams.url}v3/conversations/a%3Ax/members/29%3Au") as resp:
        assert resp.status == 503
    assert teams.traffic.deliveries == {}
    now.t += 60
    assert await post(http, teams, "a:x") == (201, None)


async def test_stats_show_each_conversations_deliveries_so_duplicates_and_gaps_are_visible(
    teams: FakeConnector, now: Now, http: aiohttp.ClientSession
) -> None:
    for cid in ("a:bench-1", "a:bench-1", "a:bench-2", "a:other"):
        await post(http, teams, cid)
        now.t += 0.25
    async with http.get(f"{teams.url}_fake/stats", params={"prefix": "a:bench-", "times": "1"}) as resp:
        stats = await resp.json()
    assert stats["deliveries"] == {"a:bench-1": [1000.0, 1000.25], "a:bench-2": [1000.5]}
    assert stats["matching"] == {"conversations": 2, "delivered": 3}
    assert (stats["conversations"], stats["delivered"], stats["by_status"]) == (3, 4, {"201": 4})
    async with http.get(f"{teams.url}_fake/stats", params={"prefix": "a:bench-"}) as resp:
        assert "deliveries" not in await resp.json()  # counts only, unless asked: cheap to poll


async def test_wait_answers_the_first_delivery_since_a_time_with_its_text(
    teams: FakeConnector, now: Now, http: aiohttp.ClientSession
) -> None:
    await post(http, teams, "a:x")
    query = {"conversation": "a:x", "since": "1000.5", "timeout": "5"}
    async with asyncio.TaskGroup() as group:
        waiting = group.create_task(http.get(f"{teams.url}_fake/wait", params=query))
        now.t = 1001.0
        assert await post(http, teams, "a:x") == (201, None)
    async with waiting.result() as resp:
        assert await resp.json() == {"at": 1001.0, "summary": "to a:x"}
    async with http.get(f"{teams.url}_fake/wait", params={**query, "since": "1002", "timeout": "0.05"}) as resp:
        assert resp.status == 504


async def test_outage_and_clear_through_the_control_endpoints(
    teams: FakeConnector, now: Now, http: aiohttp.ClientSession
) -> None:
    await post(http, teams, "a:x")
    async with http.post(f"{teams.url}_fake/clear") as resp:
        assert resp.status == 200
    assert teams.traffic.snapshot() == {"by_status": {}, "throttled": {}, "conversations": 0, "delivered": 0}
    async with http.post(f"{teams.url}_fake/outage", params={"seconds": "30"}) as resp:
        assert await resp.json() == {"until": 1030.0}
    assert await post(http, teams, "a:x") == (503, None)
    async with http.get(f"{teams.url}_fake/latest", params={"conversation": "a:x"}) as resp:
        assert await resp.json() == {"count": 0, "summary": ""}


async def test_runs_as_its_own_process_and_prints_its_url(http: aiohttp.ClientSession) -> None:
    command = ["-m", "tests.fakes.connector", "--port", "0", "--teams-limits", "--latency", "0"]
    process = await asyncio.create_subprocess_exec(sys.executable, *command, cwd=ROOT, stdout=asyncio.subprocess.PIPE)
    try:
        async with asyncio.timeout(30):
            url = (await process.stdout.readline()).decode().strip()
        assert url.startswith("http://127.0.0.1:") and url.endswith("/")
        async with http.post(f"{url}v3/conversations/a%3Ax/activities", json={"text": "hi"}) as resp:
            assert resp.status == 201
        async with http.get(f"{url}_fake/stats") as resp:
            assert (await resp.json())["by_status"] == {"201": 1}
    finally:
        process.terminate()
        async with asyncio.timeout(30):
            assert await process.wait() == 0
