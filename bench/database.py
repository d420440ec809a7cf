"""A fresh database for a benchmark, migrated by the project's own migrations and seeded in bulk.

SQLite: a file in the run's temporary directory. PostgreSQL: a new database created on the
server the given URL names (the role needs CREATEDB), dropped again at the end; the database
the URL names is never touched.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Select, func, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from storage.engine import create_engine
from storage.migration import migrate
from storage.tables import CohortRow, ConversationRefRow, OutboxRow, ParticipantRow, PartnershipRow

BATCH = 5000
BOT_ID = "28:00000000-0000-4000-8000-00000000b071"  # the recipient in tests/fixtures' Teams messages
TENANT = "00000000-0000-4000-8000-0000000000a1"


@asynccontextmanager
async def fresh_database(postgres_url: str, workdir: Path) -> AsyncIterator[str]:
    """Yield the URL of an empty database: SQLite in `workdir`, or a new one on `postgres_url`'s server."""
    if not postgres_url:
        yield f"sqlite+aiosqlite:///{workdir / 'bench.db'}"
        return
    base = make_url(postgres_url)
    if base.drivername == "postgresql":
        base = base.set(drivername="postgresql+asyncpg")
    name = f"plp_bench_{uuid.uuid4().hex[:10]}"
    admin = create_async_engine(base, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


@asynccontextmanager
async def migrated(url: str) -> AsyncIterator[AsyncEngine]:
    """An engine on `url` after the project's migrations; disposed (and the file unlocked) after."""
    engine = create_engine(url)
    try:
        await migrate(engine)
        yield engine
    finally:
        await engine.dispose()


async def seed_cohort(engine: AsyncEngine, now: datetime) -> int:
    """One cohort that started four weeks ago; returns its id."""
    async with engine.begin() as conn:
        return int(
            (
                await conn.execute(
                    insert(CohortRow).returning(CohortRow.id),
                    [
                        {
                            "name": "Bench cohort",
                            "join_code": "BENCH",
                            "start_date": now.date() - timedelta(weeks=4),
                            "length_months": 12,
                            "profile_questions": [],
                            "created_at": now,
                        }
                    ],
                )
            ).scalar_one()
        )


async def seed_people(
    engine: AsyncEngine, service_url: str, keys: Sequence[str], cohort_id: int, now: datetime
) -> list[int]:
    """Enrolled people `29:<key>` with a personal conversation `a:<key>` at `service_url`; their ids in order."""
    ids: list[int] = []
    for start in range(0, len(keys), BATCH):
        chunk = keys[start : start + BATCH]
        async with engine.begin() as conn:
            await conn.execute(insert(ParticipantRow), [_person(key, cohort_id, now) for key in chunk])
            found = dict((await conn.execute(_ids_of(chunk))).tuples().all())
            await conn.execute(insert(ConversationRefRow), [_ref(found[key], key, service_url, now) for key in chunk])
        ids.extend(found[key] for key in chunk)
    return ids


def _ids_of(keys: Sequence[str]) -> Select[tuple[str, int]]:
    """(key, participant id) for the people with these keys."""
    return select(func.substr(ParticipantRow.user_id, 4), ParticipantRow.id).where(
        ParticipantRow.user_id.in_([f"29:{key}" for key in keys])
    )


def _person(key: str, cohort_id: int, now: datetime) -> dict[str, object]:
    return {
        "channel_id": "msteams",
        "user_id": f"29:{key}",
        "name": key.replace("-", " ").title(),
        "aad_object_id": f"aad-{key}",
        "cohort_id": cohort_id,
        "grp": "senior_leader",
        "consent_at": now,
        "meeting_rhythm": "monthly",
        "meeting_format": "online",
        "time_zone": "Europe/London",
        "enrolled_at": now,
        "created_at": now,
    }


def _ref(participant_id: int, key: str, service_url: str, now: datetime) -> dict[str, object]:
    return {
        "participant_id": participant_id,
        "channel_id": "msteams",
        "service_url": service_url,
        "conversation_id": f"a:{key}",
        "user_id": f"29:{key}",
        "bot_id": BOT_ID,
        "bot_name": "PLP Companion",
        "tenant_id": TENANT,
        "updated_at": now,
    }


async def seed_pairs(engine: AsyncEngine, ids: Sequence[int], cohort_id: int, now: datetime) -> None:
    """Active partnerships of consecutive people (ids 0+1, 2+3, ...), started when the cohort did."""
    started: date = now.date() - timedelta(weeks=4)
    rows = [
        {"cohort_id": cohort_id, "partner_a_id": a, "partner_b_id": b, "started_on": started, "created_at": now}
        for a, b in zip(ids[0::2], ids[1::2], strict=False)
    ]
    async with engine.begin() as conn:
        await conn.execute(insert(PartnershipRow), rows)


async def outbox_summary(url: str) -> dict[str, int]:
    """Outbox rows by status (read after the bot has stopped)."""
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(select(OutboxRow.status, func.count()).group_by(OutboxRow.status))
            return {str(status): int(count) for status, count in rows.tuples().all()}
    finally:
        await engine.dispose()


def utc_now() -> datetime:
    """Now, UTC (seeds are stamped with real time: the bot runs on the system clock)."""
    return datetime.now(UTC)
