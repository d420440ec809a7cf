"""A crowd for background-broadcast tests: many enrolled people inserted in bulk, plus helpers
that read the outbox and count SQL statements (to prove a step does not grow with the audience)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import event, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.core.model import OutboxStatus
from storage.tables import CohortRow, OutboxRow, ParticipantRow

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
_crowds = itertools.count(1)


async def seed_crowd(engine: AsyncEngine, enrolled: int, others: int = 0) -> list[int]:
    """`enrolled` people enrolled before NOW (ids returned, in order), and `others` who are not in
    the audience at NOW: half never enrolled, half enrolled a minute after; interleaved by id."""
    crowd = next(_crowds)
    async with engine.begin() as conn:
        cohort = (
            await conn.execute(
                insert(CohortRow)
                .values(name="Crowd", join_code=f"CROWD{crowd}", start_date=date(2027, 1, 4), length_months=12)
                .values(profile_questions=[], created_at=NOW)
                .returning(CohortRow.id)
            )
        ).scalar_one()
        rows = [_person(n, cohort, "in", crowd) for n in range(enrolled)]
        rows += [_person(n, cohort, "never" if n % 2 else "late", crowd) for n in range(others)]
        rows.sort(key=lambda row: int(str(row["user_id"]).split("-")[1]))
        await conn.execute(insert(ParticipantRow), rows)
        ids = await conn.scalars(
            select(ParticipantRow.id).where(ParticipantRow.user_id.like(f"in-%-{crowd}")).order_by(ParticipantRow.id)
        )
        return list(ids)


def _person(n: int, cohort: int, kind: str, crowd: int) -> dict[str, Any]:
    enrolled = {"in": NOW - timedelta(days=1), "late": NOW + timedelta(minutes=1), "never": None}[kind]
    return {
        "channel_id": "msteams",
        "user_id": f"{kind}-{n}-{crowd}",
        "name": f"{kind.title()} {n}",
        "cohort_id": cohort if enrolled else None,
        "grp": "senior_leader",
        "enrolled_at": enrolled,
        "created_at": NOW,
    }


async def broadcast_rows(engine: AsyncEngine, broadcast_id: int) -> list[tuple[str, int, str]]:
    """(key, participant, status) of every outbox row of the broadcast, in id order."""
    prefix = f"broadcast:{broadcast_id}:"
    statement = (
        select(OutboxRow.idempotency_key, OutboxRow.participant_id, OutboxRow.status)
        .where(func.substr(OutboxRow.idempotency_key, 1, len(prefix)) == prefix)
        .order_by(OutboxRow.id)
    )
    async with engine.connect() as conn:
        return [(key, pid, status) for key, pid, status in await conn.execute(statement)]


async def set_status(engine: AsyncEngine, participant_ids: list[int], status: OutboxStatus) -> None:
    """What the dispatcher would record for these recipients' rows."""
    async with engine.begin() as conn:
        await conn.execute(
            update(OutboxRow).where(OutboxRow.participant_id.in_(participant_ids)).values(status=status.value)
        )


@contextmanager
def counting_statements(engine: AsyncEngine) -> Iterator[list[str]]:
    """Record every SQL statement sent on `engine` inside the block."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)
