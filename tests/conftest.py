"""Shared fixtures: a fresh, migrated database per test on SQLite and (when
TEST_DATABASE_URL is set) on PostgreSQL, so storage-touching tests run on both."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from storage.engine import create_engine
from storage.migration import migrate

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


@pytest.fixture(params=BACKENDS)
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """URL of an empty database: an SQLite file in tmp_path, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"
        return
    async for url in _fresh_postgres_database():
        yield url


async def _fresh_postgres_database() -> AsyncIterator[str]:
    base = make_url(os.environ["TEST_DATABASE_URL"])
    if base.drivername == "postgresql":
        base = base.set(drivername="postgresql+asyncpg")
    name = f"plp_test_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(base, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


@pytest.fixture
async def empty_postgres_url() -> AsyncIterator[str]:
    """URL of a new, empty PostgreSQL database; skips without TEST_DATABASE_URL (SQLite has no replicas)."""
    if not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("needs PostgreSQL: set TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test to run")
    async for url in _fresh_postgres_database():
        yield url


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """A migrated engine on the fresh database."""
    eng = create_engine(database_url)
    await migrate(eng)
    try:
        yield eng
    finally:
        await eng.dispose()
