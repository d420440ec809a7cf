"""Anonymous poll answers on disk: held apart from "has responded", then moved in batches.

Every write here rewrites a poll's whole set at once: delete the poll's rows, insert them all
again under new random keys in content order (sorted by their JSON). So at any moment every
row of a poll's set carries the same transaction id (PostgreSQL `xmin`), physical position and
key order follow from the answers alone, and nothing marks which row came last. The caller
holds the poll's lock (`SqlPollsRepo.lock`), so two rewrites of one poll never interleave.
"""

from __future__ import annotations

import json
import uuid
from typing import Any, cast

from sqlalchemy import Table, delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.polls.model import Answers
from storage.tables_polls import PollAnonymousAnswerRow, PollHeldAnswerRow

HELD = cast(Table, PollHeldAnswerRow.__table__)
STORED = cast(Table, PollAnonymousAnswerRow.__table__)


def content_order(answers: list[Answers]) -> list[Answers]:
    """The answers sorted by their content: an order that says nothing about who answered or when."""
    return sorted(answers, key=lambda a: json.dumps(a, sort_keys=True, ensure_ascii=False))


async def read(session: AsyncSession, table: Table, poll_id: int) -> list[Answers]:
    """A poll's answers in one table, in key (random) order."""
    rows = await session.scalars(select(table.c.answers).where(table.c.poll_id == poll_id).order_by(table.c.id))
    return list(rows)


async def rewrite(session: AsyncSession, table: Table, poll_id: int, answers: list[Answers]) -> None:
    """Replace the poll's rows in `table` by `answers`, in content order under fresh random keys."""
    await session.execute(delete(table).where(table.c.poll_id == poll_id))
    if answers:
        rows: list[dict[str, Any]] = [
            {"id": str(uuid.uuid4()), "poll_id": poll_id, "answers": a} for a in content_order(answers)
        ]
        await session.execute(insert(table), rows)


async def hold(session: AsyncSession, poll_id: int, answers: Answers) -> int:
    """Add one response to the poll's holding area (rewritten whole); return how many now wait."""
    waiting = await read(session, HELD, poll_id) + [answers]
    await rewrite(session, HELD, poll_id, waiting)
    return len(waiting)


async def release(session: AsyncSession, poll_id: int) -> int:
    """Move every waiting answer into the poll's stored answers (both rewritten whole); return how many moved."""
    waiting = await read(session, HELD, poll_id)
    if not waiting:
        return 0
    stored = await read(session, STORED, poll_id)
    await session.execute(delete(HELD).where(HELD.c.poll_id == poll_id))
    await rewrite(session, STORED, poll_id, stored + waiting)
    return len(waiting)


async def held_counts(session: AsyncSession) -> dict[int, int]:
    """Polls with answers waiting, and how many wait for each."""
    rows = await session.execute(select(HELD.c.poll_id, func.count()).group_by(HELD.c.poll_id))
    return {poll_id: int(count) for poll_id, count in rows}
