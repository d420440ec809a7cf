"""InboundLog: a redelivered activity key is seen as new exactly once, even under a race."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from storage.inbound_log import InboundLog

NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


async def test_first_time_is_true_once_per_key(engine: AsyncEngine) -> None:
    log = InboundLog(engine)
    assert await log.first_time("msteams:a:1:act-1", NOW) is True
    assert await log.first_time("msteams:a:1:act-1", NOW + timedelta(seconds=5)) is False
    assert await log.first_time("msteams:a:1:act-2", NOW) is True


async def test_concurrent_callers_of_one_key_get_exactly_one_true(engine: AsyncEngine) -> None:
    log = InboundLog(engine)
    results = await asyncio.gather(*(log.first_time("msteams:a:1:act-9", NOW) for _ in range(8)))
    assert sorted(results) == [False] * 7 + [True]


async def test_second_log_on_the_same_database_sees_the_key(engine: AsyncEngine) -> None:
    assert await InboundLog(engine).first_time("slack:C1:171.2", NOW) is True
    assert await InboundLog(engine).first_time("slack:C1:171.2", NOW) is False


async def test_prune_forgets_only_older_keys(engine: AsyncEngine) -> None:
    log = InboundLog(engine)
    await log.first_time("old-1", NOW - timedelta(days=3))
    await log.first_time("old-2", NOW - timedelta(days=2))
    await log.first_time("recent", NOW)
    assert await log.prune(before=NOW - timedelta(days=1)) == 2
    assert await log.prune(before=NOW - timedelta(days=1)) == 0
    assert await log.first_time("old-1", NOW) is True
    assert await log.first_time("recent", NOW) is False
