"""Shared fixtures: a fresh database per test on SQLite and (when TEST_DATABASE_URL is set)
on PostgreSQL, so storage-touching tests run on both.

Migrating is the slow part of a fresh database, so each backend migrates one template per
session and every test gets a copy: `database_url` and `engine` are at the newest schema.
Tests of migrating itself take `empty_database_url`.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import pytest
from sqlalchemy import URL, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from storage.engine import create_engine
from storage.migration import migrate

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])
T = TypeVar("T")


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The database backend this test runs on."""
    return str(request.param)


@pytest.fixture
async def empty_database_url(backend: str, tmp_path: Path) -> AsyncIterator[str]:
    """URL of an empty database (no tables): an SQLite file in tmp_path, or a new PostgreSQL database."""
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"
        return
    async for url in _fresh_postgres_database():
        yield url


@pytest.fixture
async def empty_postgres_url() -> AsyncIterator[str]:
    """URL of a new, empty PostgreSQL database; skips without TEST_DATABASE_URL (SQLite has no replicas)."""
    if not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("needs PostgreSQL: set TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test to run")
    async for url in _fresh_postgres_database():
        yield url


@pytest.fixture
async def postgres_database_url(request: pytest.FixtureRequest) -> AsyncIterator[str]:
    """URL of a fresh PostgreSQL database at the newest schema; skips without TEST_DATABASE_URL (replicas
    share a PostgreSQL database: on SQLite one process owns the file)."""
    if not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("needs PostgreSQL: set TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test to run")
    async for url in _fresh_postgres_database(template=request.getfixturevalue("postgresql_template")):
        yield url


@pytest.fixture
def migrated_template(backend: str, request: pytest.FixtureRequest) -> str:
    """The session's migrated template for this backend (built on first use only)."""
    return str(request.getfixturevalue(f"{backend}_template"))


@pytest.fixture
async def database_url(backend: str, migrated_template: str, tmp_path: Path) -> AsyncIterator[str]:
    """URL of a fresh database already at the newest schema (a copy of the migrated template)."""
    if backend == "sqlite":
        copy = tmp_path / "test.db"
        shutil.copyfile(migrated_template, copy)
        yield f"sqlite+aiosqlite:///{copy}"
        return
    async for url in _fresh_postgres_database(template=migrated_template):
        yield url


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine on a fresh database at the newest schema."""
    eng = create_engine(database_url)
    try:
        yield eng
    finally:
        await eng.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite file migrated once per session; tests copy it."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    _run_apart(_migrate(f"sqlite+aiosqlite:///{path}"))
    # Disposing the engine closed the last connection, which folds the WAL into the file.
    assert not Path(f"{path}-wal").exists(), "the template's WAL was not checkpointed; a file copy would miss it"
    return path


@pytest.fixture(scope="session")
def postgresql_template() -> Iterator[str]:
    """One PostgreSQL database migrated once per session; tests CREATE DATABASE … TEMPLATE it."""
    name = f"plp_template_{uuid.uuid4().hex[:12]}"
    _run_apart(_admin(f'CREATE DATABASE "{name}"'))
    try:
        # _migrate disposes its engine: CREATE DATABASE … TEMPLATE refuses while anyone is connected.
        _run_apart(_migrate(_postgres_base().set(database=name).render_as_string(hide_password=False)))
        yield name
    finally:
        _run_apart(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _fresh_postgres_database(template: str | None = None) -> AsyncIterator[str]:
    """A new, uniquely named PostgreSQL database (empty, or a copy of `template`), dropped afterwards."""
    name = f"plp_test_{uuid.uuid4().hex[:12]}"
    copy = f' TEMPLATE "{template}"' if template else ""
    await _admin(f'CREATE DATABASE "{name}"{copy}')
    try:
        yield _postgres_base().set(database=name).render_as_string(hide_password=False)
    finally:
        await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _postgres_base() -> URL:
    base = make_url(os.environ["TEST_DATABASE_URL"])
    return base.set(drivername="postgresql+asyncpg") if base.drivername == "postgresql" else base


async def _admin(statement: str) -> None:
    """Run one statement outside a transaction (CREATE/DROP DATABASE) on TEST_DATABASE_URL."""
    admin = create_async_engine(_postgres_base(), isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        async with admin.connect() as conn:
            await conn.execute(text(statement))
    finally:
        await admin.dispose()


async def _migrate(url: str) -> None:
    engine = create_engine(url)
    try:
        await migrate(engine)
    finally:
        await engine.dispose()


def _run_apart(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run on a private event loop in a worker thread: session fixtures outlive every test's own loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
