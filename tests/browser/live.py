"""The real app, served on 127.0.0.1:<ephemeral port> from a thread of its own, for browser tests.

Playwright's sync API drives the browser from the test's thread; the app runs on its own
event loop in a background thread, as a separate server process would. `call` runs a
coroutine on that loop (seed data through the services, read what the bot stored), so
tests never touch the app's objects from the wrong loop. A fake Bot Connector (Teams'
side) runs on the same loop, for tests whose people are Teams users.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import Future
from typing import Any, TypeVar

from aiohttp import web

from bot import STORE, create_app
from config import Settings
from domain.core.clock import Clock
from storage.store import SqlStore
from tests.e2e.harness import unthrottled
from tests.fakes.connector import FakeConnector

T = TypeVar("T")
START_SECONDS = 60.0
StartApp = Callable[..., "LiveApp"]  # the `start_app` fixture: (clock=None, settings=None, **overrides) -> LiveApp


class LiveApp:
    """One running bot: `url` to browse, `call` to reach its loop, `stop` when done."""

    def __init__(self, settings: Settings, clock: Clock | None = None) -> None:
        self.settings, self.clock = settings, clock
        self.connector = FakeConnector()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="live-app", daemon=True)
        self._runner: web.AppRunner | None = None
        self.app: web.Application | None = None
        self.url = ""

    def start(self) -> LiveApp:
        """Start the loop, the fake connector and the app; `url` is set once it listens."""
        self._thread.start()
        self.call(self._start, timeout=START_SECONDS)
        return self

    def call(self, work: Callable[[], Awaitable[T]], timeout: float = 30.0) -> T:
        """Run `work()` on the app's loop and return its result (its exception is raised here)."""
        future: Future[T] = asyncio.run_coroutine_threadsafe(_awaited(work), self._loop)
        return future.result(timeout)

    @property
    def store(self) -> SqlStore:
        """The app's store (use it inside `call`)."""
        assert self.app is not None, "the app is not running"
        return self.app[STORE]

    def stop(self) -> None:
        """Stop the app, the connector and the loop."""
        if self._thread.is_alive():
            try:
                self.call(self._stop, timeout=START_SECONDS)
            finally:
                self._loop.call_soon_threadsafe(self._loop.stop)
                self._thread.join(timeout=START_SECONDS)
        self._loop.close()

    async def _start(self) -> None:
        await self.connector.start()
        self.app = create_app(self.settings, self.clock, limiter=unthrottled())
        self._runner = web.AppRunner(self.app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.url = f"http://{host}:{port}"

    async def _stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        await self.connector.stop()


async def _awaited(work: Callable[[], Awaitable[Any]]) -> Any:
    return await work()
