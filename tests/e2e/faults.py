"""Fault injection at the database itself: triggers that refuse every write, as a full disk does.

Nothing in the bot is replaced: its own engine meets the error on its own statements. On
SQLite each table gets BEFORE INSERT/UPDATE/DELETE triggers that RAISE; on PostgreSQL one
trigger function raising SQLSTATE 53100 (disk_full) guards every table.
"""

from __future__ import annotations

from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

MESSAGE = "database or disk is full"
_PG_FUNCTION = (
    "CREATE OR REPLACE FUNCTION plp_test_disk_full() RETURNS trigger AS $$ BEGIN "
    f"RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'disk_full'; END $$ LANGUAGE plpgsql"
)


async def _tables(engine: AsyncEngine) -> list[str]:
    async with engine.connect() as conn:
        names = await conn.run_sync(lambda c: inspect(c).get_table_names())
    return [name for name in names if name != "alembic_version"]


async def refuse_writes(engine: AsyncEngine, tables: list[str] | None = None) -> None:
    """From now on every INSERT, UPDATE and DELETE on `tables` (default: all) fails."""
    wanted = tables if tables is not None else await _tables(engine)
    async with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            await conn.execute(text(_PG_FUNCTION))
        for table in wanted:
            for statement in _triggers(engine.dialect.name, table):
                await conn.execute(text(statement))


async def allow_writes(engine: AsyncEngine, tables: list[str] | None = None) -> None:
    """Drop the triggers again (the disk has room once more)."""
    wanted = tables if tables is not None else await _tables(engine)
    async with engine.begin() as conn:
        for table in wanted:
            if engine.dialect.name == "postgresql":
                await conn.execute(text(f'DROP TRIGGER IF EXISTS plp_test_full ON "{table}"'))
            else:
                for action in ("insert", "update", "delete"):
                    await conn.execute(text(f'DROP TRIGGER IF EXISTS "plp_test_full_{action}_{table}"'))


def _triggers(dialect: str, table: str) -> list[str]:
    if dialect == "postgresql":
        return [
            f'CREATE TRIGGER plp_test_full BEFORE INSERT OR UPDATE OR DELETE ON "{table}" '
            "FOR EACH ROW EXECUTE FUNCTION plp_test_disk_full()"
        ]
    return [
        f'CREATE TRIGGER "plp_test_full_{action}_{table}" BEFORE {action.upper()} ON "{table}" '
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
        for action in ("insert", "update", "delete")
    ]
