"""Liveness and readiness probes for the host (App Service, Kubernetes, a load balancer).

`/healthz`: the process answers. `/readyz`: the database takes a committed write (a full
disk or a read-only file still answers `SELECT 1`, so reading proves too little); 503 when
it does not. Its JSON also reports the outbox backlog (messages due and not yet sent, and
how long the oldest has waited) and the scheduler's last safety tick, "late" after three
missed intervals. Those two are for monitoring: they do not make the bot unready, since it
still answers people while its scheduled work is behind.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, Protocol

from aiohttp import web

from web.logsafe import error_summary

log = logging.getLogger(__name__)
CHECK_SECONDS = 5.0  # a database that takes longer than this to answer a probe is not ready
LATE_AFTER_INTERVALS = 3


class Backlog(Protocol):
    @property
    def due(self) -> int: ...

    @property
    def oldest_due_at(self) -> datetime | None: ...


class ProbeStore(Protocol):
    """The database side of the probe (storage.probes.Probes)."""

    async def write(self, probe: str, now: datetime) -> None: ...

    async def outbox_backlog(self, now: datetime) -> Backlog: ...


class SchedulerLiveness(Protocol):
    """The scheduler side (scheduling.jobs.Liveness)."""

    @property
    def running(self) -> bool: ...

    @property
    def last_tick(self) -> datetime | None: ...

    @property
    def started_at(self) -> datetime | None: ...

    @property
    def interval_seconds(self) -> float: ...


async def healthz(_request: web.Request) -> web.Response:
    """The process is up."""
    return web.json_response({"status": "ok"})


def readyz(
    probes: ProbeStore,
    scheduler: SchedulerLiveness,
    probe_name: str,
    now: Callable[[], datetime],
    ping: Callable[[], Awaitable[bool]],
) -> Callable[[web.Request], Awaitable[web.Response]]:
    """Ready when the database takes a write; the backlog and the scheduler's tick are reported alongside."""

    async def handler(_request: web.Request) -> web.Response:
        at = now()
        database = await _database(probes, probe_name, at, ping)
        body = {
            "status": "ready" if database == "ok" else "not ready",
            "database": database,
            "outbox": await _outbox(probes, at) if database == "ok" else None,
            "scheduler": _scheduler(scheduler, at),
        }
        return web.json_response(body, status=200 if database == "ok" else 503)

    return handler


async def _database(probes: ProbeStore, probe_name: str, at: datetime, ping: Callable[[], Awaitable[bool]]) -> str:
    """'ok', 'refuses writes' (answers, but a write fails: full disk, read-only) or 'unreachable'."""
    try:
        async with asyncio.timeout(CHECK_SECONDS):
            await probes.write(probe_name, at)
        return "ok"
    except Exception as exc:
        log.warning("readiness write failed: %s", error_summary(exc))
    try:
        async with asyncio.timeout(CHECK_SECONDS):
            reachable = await ping()
    except Exception:
        reachable = False
    return "refuses writes" if reachable else "unreachable"


async def _outbox(probes: ProbeStore, at: datetime) -> dict[str, Any] | None:
    try:
        async with asyncio.timeout(CHECK_SECONDS):
            backlog = await probes.outbox_backlog(at)
    except Exception as exc:
        log.warning("outbox backlog unavailable: %s", error_summary(exc))
        return None
    oldest = backlog.oldest_due_at
    return {"due": backlog.due, "oldest_due_seconds": _seconds(at, oldest) if oldest is not None else None}


def _scheduler(scheduler: SchedulerLiveness, at: datetime) -> dict[str, Any]:
    """Late when not running, or when no tick came for three intervals (counting from the start)."""
    last = scheduler.last_tick
    since = _seconds(at, last) if last is not None else None
    quiet_since = last or scheduler.started_at
    late = quiet_since is not None and _seconds(at, quiet_since) > LATE_AFTER_INTERVALS * scheduler.interval_seconds
    return {
        "running": scheduler.running,
        "last_tick": last.isoformat() if last is not None else None,
        "seconds_since_tick": since,
        "interval_seconds": scheduler.interval_seconds,
        "late": late or not scheduler.running,
    }


def _seconds(at: datetime, earlier: datetime) -> int:
    return max(0, int((at - earlier).total_seconds()))
