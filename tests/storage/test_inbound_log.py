"""InboundLog: each activity key is claimed for one turn, even under a race; a finished turn's
redelivery is a duplicate, a running one's is busy, and a crashed turn's claim can be taken over."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.inbound_log import Claim, InboundLog
from storage.tables import ProcessedActivityRow

NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
LEASE = timedelta(minutes=2)


async def test_a_key_is_new_once_busy_while_its_turn_runs_and_a_duplicate_once_finished(engine: AsyncEngine) -> None:
    log = InboundLog(engine, LEASE)
    assert await log.claim("msteams|a:1|act-1", NOW) is Claim.NEW
    assert await log.claim("msteams|a:1|act-1", NOW + timedelta(seconds=5)) is Claim.BUSY
    await log.finish("msteams|a:1|act-1", NOW + timedelta(seconds=6))
    assert await log.claim("msteams|a:1|act-1", NOW + timedelta(seconds=7)) is Claim.DUPLICATE
    assert await log.claim("msteams|a:1|act-1", NOW + timedelta(hours=1)) is Claim.DUPLICATE
    assert await log.claim("msteams|a:1|act-2", NOW) is Claim.NEW


async def test_concurrent_callers_of_one_key_get_exactly_one_new(engine: AsyncEngine) -> None:
    log = InboundLog(engine, LEASE)
    results = await asyncio.gather(*(log.claim("msteams|a:1|act-9", NOW) for _ in range(8)))
    assert sorted(r.value for r in results) == ["busy"] * 7 + ["new"]


async def test_a_claim_never_finished_is_taken_over_once_stale_by_exactly_one_caller(engine: AsyncEngine) -> None:
    crashed, later = InboundLog(engine, LEASE), InboundLog(engine, LEASE)
    assert await crashed.claim("k", NOW) is Claim.NEW  # ... and its process died mid-turn
    assert await later.claim("k", NOW + LEASE - timedelta(seconds=1)) is Claim.BUSY
    takeovers = await asyncio.gather(*(later.claim("k", NOW + LEASE + timedelta(seconds=1)) for _ in range(4)))
    assert sorted(t.value for t in takeovers) == ["busy"] * 3 + ["new"]


async def test_a_released_claim_runs_again(engine: AsyncEngine) -> None:
    log = InboundLog(engine, LEASE)
    assert await log.claim("k", NOW) is Claim.NEW
    await log.release("k")
    assert await log.claim("k", NOW + timedelta(seconds=1)) is Claim.NEW
    await log.finish("k", NOW + timedelta(seconds=2))
    await log.release("k")  # a finished turn is never released
    assert await log.claim("k", NOW + timedelta(seconds=3)) is Claim.DUPLICATE


async def test_forgetting_unfinished_claims_keeps_finished_ones(engine: AsyncEngine) -> None:
    log = InboundLog(engine, LEASE)
    for key in ("done", "running"):
        await log.claim(key, NOW)
    await log.finish("done", NOW)
    assert await log.forget_unfinished() == 1
    assert await log.claim("running", NOW) is Claim.NEW
    assert await log.claim("done", NOW) is Claim.DUPLICATE


async def test_a_key_longer_than_its_column_is_kept_as_a_digest(engine: AsyncEngine) -> None:
    log = InboundLog(engine, LEASE)
    long_key = "msteams|a:" + "c" * 700 + "|act-1"
    assert await log.claim(long_key, NOW) is Claim.NEW
    await log.finish(long_key, NOW)
    assert await log.claim(long_key, NOW) is Claim.DUPLICATE
    assert await log.claim(long_key[:-1] + "2", NOW) is Claim.NEW
    async with engine.connect() as conn:
        keys = list((await conn.execute(select(ProcessedActivityRow.activity_key))).scalars())
    assert all(len(k) <= 600 for k in keys) and len(keys) == 2


async def test_prune_forgets_only_older_keys(engine: AsyncEngine) -> None:
    log = InboundLog(engine, LEASE)
    for key, at in (("old-1", NOW - timedelta(days=3)), ("old-2", NOW - timedelta(days=2)), ("recent", NOW)):
        await log.claim(key, at)
        await log.finish(key, at)
    assert await log.prune(before=NOW - timedelta(days=1)) == 2
    assert await log.prune(before=NOW - timedelta(days=1)) == 0
    assert await log.claim("old-1", NOW) is Claim.NEW
    assert await log.claim("recent", NOW) is Claim.DUPLICATE


async def test_claims_and_finishes_made_together_are_written_together(engine: AsyncEngine) -> None:
    log, commits = InboundLog(engine, LEASE), []
    event.listen(engine.sync_engine, "commit", lambda _conn: commits.append(1))
    await log.claim("done", NOW)
    await log.finish("done", NOW)
    await log.claim("running", NOW)
    commits.clear()
    keys = ["done", "running", *(f"new-{n}" for n in range(20)), "new-0"]
    answers = await asyncio.gather(*(log.claim(key, NOW + timedelta(seconds=1)) for key in keys))
    assert [a.value for a in answers] == ["duplicate", "busy"] + ["new"] * 20 + ["busy"]  # asked twice: one turn
    assert len(commits) == 1  # twenty-three claims, one transaction
    await asyncio.gather(*(log.finish(f"new-{n}", NOW + timedelta(seconds=n)) for n in range(20)))
    assert len(commits) == 2
    async with engine.connect() as conn:
        rows = await conn.execute(select(ProcessedActivityRow.activity_key, ProcessedActivityRow.finished_at))
        finished = {key: at for key, at in rows}
    assert all(finished[f"new-{n}"] == NOW + timedelta(seconds=n) for n in range(20))  # each its own time
    assert await log.claim("new-7", NOW + timedelta(minutes=1)) is Claim.DUPLICATE
