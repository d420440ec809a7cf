"""Start-up refusals as an operator sees them: a real `python bot.py` process on a real database
file, which exits 2 with one clear sentence (never a traceback) when it cannot start."""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest

from storage.engine import acquire_instance_lock

ROOT = Path(__file__).resolve().parents[2]
# Root ignores file modes; without the capability to override them it meets a read-only file as anyone would.
AS_ORDINARY_USER = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"] if os.geteuid() == 0 else []


async def _bot(database_url: str, *args: str, prefix: list[str] | None = None) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MICROSOFT_APP", "PLP_", "DATABASE_URL"))}
    env.update(DATABASE_URL=database_url, PLP_ENV="development", PORT="0", HOST="127.0.0.1")
    process = await asyncio.create_subprocess_exec(
        *(prefix or []),
        sys.executable,
        str(ROOT / "bot.py"),
        *args,
        cwd=str(ROOT),
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode is not None
    return process.returncode, (out + err).decode()


def _make_read_only(path: Path, folder_too: bool) -> None:
    path.chmod(0o444)
    if folder_too:
        path.parent.chmod(0o555)


def _make_writable(path: Path) -> None:
    path.parent.chmod(0o755)
    path.chmod(0o644)


@pytest.fixture
def sqlite_file(sqlite_template: Path, tmp_path: Path) -> Path:
    """A migrated SQLite database file of this test's own."""
    path = tmp_path / "data" / "plp.db"
    path.parent.mkdir()
    shutil.copyfile(sqlite_template, path)
    return path


@pytest.mark.parametrize("through", ["the same path", "a symlink", "a symlinked folder"])
async def test_a_second_bot_on_the_same_sqlite_file_refuses_to_start(
    sqlite_file: Path, tmp_path: Path, through: str
) -> None:
    other = sqlite_file
    if through == "a symlink":
        other = tmp_path / "elsewhere.db"
        other.symlink_to(sqlite_file)
    elif through == "a symlinked folder":
        (tmp_path / "linked").symlink_to(sqlite_file.parent, target_is_directory=True)
        other = tmp_path / "linked" / sqlite_file.name
    lock = acquire_instance_lock(f"sqlite+aiosqlite:///{sqlite_file}")
    try:
        code, output = await _bot(f"sqlite+aiosqlite:///{other}", "migrate")
    finally:
        lock.release()
    assert code == 2, output
    assert "cannot start" in output and "already using" in output and "Traceback" not in output
    code, output = await _bot(f"sqlite+aiosqlite:///{other}", "migrate")
    assert code == 0, output


@pytest.mark.parametrize("read_only", ["file", "file and folder"])
@pytest.mark.parametrize("command", [["migrate"], []], ids=["migrate", "serve"])
async def test_a_read_only_database_file_is_a_clean_cannot_start(
    sqlite_file: Path, command: list[str], read_only: str
) -> None:
    _make_read_only(sqlite_file, folder_too=read_only == "file and folder")
    try:
        code, output = await _bot(f"sqlite+aiosqlite:///{sqlite_file}", *command, prefix=AS_ORDINARY_USER)
    finally:
        _make_writable(sqlite_file)
    assert code == 2, output
    assert "PLP Companion cannot start" in output and "Traceback" not in output
    assert "write" in output  # says what it needs: to write to the file and its folder


async def test_a_database_from_a_newer_version_is_a_clean_cannot_start(sqlite_file: Path) -> None:
    with sqlite3.connect(sqlite_file) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0999'")
    code, output = await _bot(f"sqlite+aiosqlite:///{sqlite_file}", "migrate")
    assert code == 2, output
    assert "PLP Companion cannot start" in output and "0999" in output and "Traceback" not in output
