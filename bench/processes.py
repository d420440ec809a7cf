"""Start and stop the benchmark's processes: the fake Teams connector, `bot.py`, the echo bot.

Every process listens on 127.0.0.1 only, is started by this module and stopped by its own
id (SIGTERM, then SIGKILL after a bounded wait). Waits for readiness are bounded polls.
"""

from __future__ import annotations

import asyncio
import os
import socket
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
START_TIMEOUT = 120.0
STOP_TIMEOUT = 20.0


def free_port() -> int:
    """A loopback port free right now (the bot takes its port from the environment)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@asynccontextmanager
async def fake_connector(latency: float, tenant_rate: int = 50, nice: int = 0) -> AsyncIterator[str]:
    """The fake connector with Teams' limits as its own process; yields its URL.

    `nice` below 0 raises its scheduling priority where allowed (root), so that the fake, which
    stands for Teams' own servers, is not starved by other work on a shared machine: a starved
    fake stamps requests late and in bunches, and its sliding windows then refuse requests the
    bot sent evenly spaced. Prints the nice value it got.
    """
    command = ["-m", "tests.fakes.connector", "--port", "0", "--teams-limits", "--latency", str(latency)]
    process = await asyncio.create_subprocess_exec(
        PYTHON, *command, "--tenant-rate", str(tenant_rate), cwd=ROOT, stdout=asyncio.subprocess.PIPE
    )
    if nice:
        with suppress(PermissionError):
            os.setpriority(os.PRIO_PROCESS, process.pid, nice)
        print(f"fake connector: nice {os.getpriority(os.PRIO_PROCESS, process.pid)} (asked {nice})", flush=True)
    try:
        assert process.stdout is not None
        async with asyncio.timeout(START_TIMEOUT):
            url = (await process.stdout.readline()).decode().strip()
        if not url.startswith("http://127.0.0.1:"):
            raise SystemExit(f"the fake connector did not start (printed {url!r})")
        yield url
    finally:
        await stop(process)


@asynccontextmanager
async def server(argv: list[str], env: dict[str, str], port: int, log: Path) -> AsyncIterator[str]:
    """A bot process (`argv` after the interpreter) on `port`; yields its /api/messages URL once healthy."""
    base = {key: os.environ[key] for key in ("PATH", "HOME", "LANG", "TZ") if key in os.environ}
    with log.open("wb") as output:
        process = await asyncio.create_subprocess_exec(
            PYTHON, *argv, cwd=log.parent, env={**base, **env}, stdout=output, stderr=asyncio.subprocess.STDOUT
        )
    try:
        await _healthy(f"http://127.0.0.1:{port}/healthz", process, log)
        yield f"http://127.0.0.1:{port}/api/messages"
    finally:
        await stop(process)


async def _healthy(url: str, process: asyncio.subprocess.Process, log: Path) -> None:
    """Poll `url` every 0.2 s until it answers 200; stop with the log's tail if the process dies."""
    deadline = time.monotonic() + START_TIMEOUT
    async with aiohttp.ClientSession() as http:
        while time.monotonic() < deadline:
            if process.returncode is not None:
                raise SystemExit(f"{log.name}: exited with {process.returncode}\n{tail(log)}")
            with suppress(aiohttp.ClientError):
                async with http.get(url) as response:
                    if response.status == 200:
                        return
            await asyncio.sleep(0.2)
    raise SystemExit(f"{log.name}: not healthy after {START_TIMEOUT:.0f} s\n{tail(log)}")


async def stop(process: asyncio.subprocess.Process) -> None:
    """SIGTERM this process, SIGKILL it if it has not exited in time."""
    if process.returncode is not None:
        return
    process.terminate()
    try:
        async with asyncio.timeout(STOP_TIMEOUT):
            await process.wait()
    except TimeoutError:
        process.kill()
        await process.wait()


def tail(log: Path, lines: int = 20) -> str:
    """The last lines of a process log (for a failure message)."""
    return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


def bot_env(port: int, database_url: str, facilitators: str = "", worker_id: str = "") -> dict[str, str]:
    """`bot.py` in local development mode (no app id) on loopback, defaults otherwise (`worker_id`:
    PLP_WORKER_ID, which replicas on one database need distinct)."""
    env = {
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "DATABASE_URL": database_url,
        "FACILITATORS": facilitators,
        "PLP_PUBLIC_URL": f"http://127.0.0.1:{port}",
    }
    return env | ({"PLP_WORKER_ID": worker_id} if worker_id else {})


def machine() -> str:
    """`nproc`, `uname -m` and the load average now, for the results table."""
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    return f"{len(os.sched_getaffinity(0))} cores ({os.uname().machine}), load average {load}"
