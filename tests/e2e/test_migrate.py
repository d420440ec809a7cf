"""`python bot.py migrate` and the normal start migrate an empty database; replicas that start
together on one PostgreSQL database take turns (an advisory lock), so the schema is built once."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from pathlib import Path

import aiohttp
from sqlalchemy import text
from sqlalchemy.engine import make_url

from storage.engine import create_engine
from storage.migration import head_revision

ROOT = Path(__file__).resolve().parents[2]


async def _migrate_command(database_url: str) -> str:
    """Run `bot.py migrate` in its own process, as a deploy step would; its one line of output."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "bot.py"),
        "migrate",
        cwd=str(ROOT),
        env=_bot_environment(database_url),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode == 0, err.decode()
    return out.decode().strip()


def _bot_environment(database_url: str) -> dict[str, str]:
    """This environment without credentials (local development mode), on `database_url`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MICROSOFT_APP")}
    env.update(DATABASE_URL=database_url, PLP_ENV="development")
    return env


async def _versions(database_url: str) -> list[str]:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            return list((await conn.execute(text("SELECT version_num FROM alembic_version"))).scalars())
    finally:
        await engine.dispose()


async def test_migrate_builds_the_schema_then_finds_nothing_to_do(empty_database_url: str) -> None:
    first = await _migrate_command(empty_database_url)
    again = await _migrate_command(empty_database_url)
    assert first == f"database schema migrated from revision (empty) to {head_revision()}"
    assert again == f"database schema already at revision {head_revision()}"
    assert str(make_url(empty_database_url).database) not in first + again  # nothing about where, so no secrets
    assert await _versions(empty_database_url) == [head_revision()]


async def test_replicas_migrating_together_build_the_schema_exactly_once(empty_postgres_url: str) -> None:
    outputs = await asyncio.gather(_migrate_command(empty_postgres_url), _migrate_command(empty_postgres_url))
    assert sorted(outputs) == [
        f"database schema already at revision {head_revision()}",
        f"database schema migrated from revision (empty) to {head_revision()}",
    ]
    assert await _versions(empty_postgres_url) == [head_revision()]


async def test_replicas_starting_together_on_an_empty_database_both_come_up(empty_postgres_url: str) -> None:
    ports = _free_ports(2)
    servers = await asyncio.gather(*(_start_server(empty_postgres_url, port) for port in ports))
    try:
        await asyncio.gather(*(_until_listening(server) for server in servers))
        async with aiohttp.ClientSession() as http:
            for port in ports:
                for probe in ("healthz", "readyz"):
                    async with http.get(f"http://127.0.0.1:{port}/{probe}") as response:
                        assert response.status == 200, probe
    finally:
        for server in servers:
            server.terminate()
        exits = await asyncio.gather(*(asyncio.wait_for(server.communicate(), timeout=60) for server in servers))
    assert [server.returncode for server in servers] == [0, 0], [err.decode()[-2000:] for _, err in exits]
    assert await _versions(empty_postgres_url) == [head_revision()]


def _free_ports(count: int) -> list[int]:
    """Distinct loopback ports nobody is listening on (the servers must be told theirs)."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


async def _start_server(database_url: str, port: int) -> asyncio.subprocess.Process:
    """`python bot.py` in local development mode on 127.0.0.1:`port`."""
    env = _bot_environment(database_url)
    env.update(PORT=str(port), HOST="127.0.0.1", LOG_LEVEL="INFO")
    return await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "bot.py"),
        cwd=str(ROOT),
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def _until_listening(server: asyncio.subprocess.Process) -> None:
    """Read the server's log until it says it is listening (logged once its socket is bound)."""
    assert server.stderr is not None
    async with asyncio.timeout(120):
        while line := await server.stderr.readline():
            if b"PLP Companion listening on" in line:
                return
    raise AssertionError("the server exited before listening")
