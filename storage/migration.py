"""Alembic migrations on start or on demand, one migrator at a time on PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from storage.engine import StorageError

MIGRATIONS_DIR = Path(__file__).parent / "migrations"

# Fixed key of the PostgreSQL advisory lock every migrator takes: the bytes of "PLP_MIGR"
# read as a (positive) 64-bit integer, so it cannot collide with another app's small keys.
MIGRATION_LOCK_KEY = int.from_bytes(b"PLP_MIGR", "big")


@dataclass(frozen=True)
class MigrationResult:
    """The schema revision before and after migrating (None: an empty database)."""

    before: str | None
    after: str | None

    @property
    def changed(self) -> bool:
        """True when this call applied at least one migration."""
        return self.before != self.after


def alembic_config(url: str) -> Config:
    """Alembic configuration pointing at our migrations, for `url`."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revision() -> str | None:
    """The newest revision among our migrations."""
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


async def migrate(engine: AsyncEngine) -> MigrationResult:
    """Apply all migrations (idempotent): the schema is current when this returns."""
    async with engine.connect() as connection, _one_migrator(connection):
        result = await connection.run_sync(_upgrade)
        await connection.commit()
    return result


@asynccontextmanager
async def _one_migrator(connection: AsyncConnection) -> AsyncIterator[None]:
    """On PostgreSQL hold a session advisory lock, so replicas starting together migrate in turn.

    SQLite needs nothing here: its instance file lock already admits one process per file.
    A session (not transaction) lock, because Alembic commits as it goes; the server drops it
    if this process dies mid-migration.
    """
    if connection.dialect.name != "postgresql":
        yield
        return
    await connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
    await connection.commit()
    try:
        yield
    finally:
        await connection.rollback()  # a failed migration leaves an aborted transaction behind
        await connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY})
        await connection.commit()


def _upgrade(connection: Connection) -> MigrationResult:
    before = _revision(connection)
    connection.commit()  # end the read, so Alembic opens its own transactions exactly as before
    config = alembic_config(str(connection.engine.url))
    config.attributes["connection"] = connection
    try:
        command.upgrade(config, "head")
    except CommandError as exc:  # e.g. a database a newer version of the bot has already migrated
        raise StorageError(f"cannot migrate the database from revision {before}: {exc}") from exc
    connection.commit()
    return MigrationResult(before, _revision(connection))


def _revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()
