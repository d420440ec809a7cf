"""The bot as operators run it: `python bot.py` in its own process, on a real database file.

`started` waits for the process's own "listening" log line (no polling, no sleeps) and
keeps draining its output, so a chatty process never blocks on a full pipe.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LISTENING = "PLP Companion listening on"


def bot_environment(database_url: str, **extra: str) -> dict[str, str]:
    """This process's environment without any bot settings, plus the database and `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MICROSOFT_APP", "PLP_", "DATABASE_URL"))}
    env.update(DATABASE_URL=database_url, PLP_ENV="development", HOST="127.0.0.1", LOG_LEVEL="INFO", **extra)
    return env


def free_port() -> int:
    """A loopback port nobody is listening on just now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class BotProcess:
    """A running `python bot.py` and what it has printed so far."""

    process: asyncio.subprocess.Process
    url: str
    output: list[str] = field(default_factory=list)

    def kill(self) -> None:
        """SIGKILL: the process dies mid-whatever, as in a crash or an OOM kill."""
        if self.process.returncode is None:
            self.process.kill()


@asynccontextmanager
async def started(env: dict[str, str], within: float = 60) -> AsyncIterator[BotProcess]:
    """Start the server, wait until it listens, yield it; kill it afterwards if still running."""
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "bot.py"),
        cwd=str(ROOT),
        env={**env, "PORT": str(port)},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    bot = BotProcess(process, f"http://127.0.0.1:{port}")
    ready = asyncio.Event()
    drain = asyncio.create_task(_drain(bot, ready))
    listening = asyncio.create_task(ready.wait())
    try:
        async with asyncio.timeout(within):
            await asyncio.wait({drain, listening}, return_when=asyncio.FIRST_COMPLETED)
        assert ready.is_set(), "the bot exited before listening:\n" + "".join(bot.output)
        yield bot
    finally:
        listening.cancel()
        bot.kill()
        await process.wait()
        drain.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await drain


async def _drain(bot: BotProcess, ready: asyncio.Event) -> None:
    assert bot.process.stdout is not None
    async for raw in bot.process.stdout:
        line = raw.decode(errors="replace")
        bot.output.append(line)
        if LISTENING in line:
            ready.set()
