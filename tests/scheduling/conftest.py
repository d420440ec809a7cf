"""Fixtures for the dispatcher tests: a fixed clock, the fake Bot Connector, a dispatcher factory."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from channels.render import render
from config import Settings
from domain.core.clock import FixedClock
from scheduling.credentials import TokenProvider
from scheduling.dispatcher import Dispatcher
from scheduling.ratelimit import RateLimiter, limiter_for
from scheduling.sender import BotConnectorSender
from storage.outbox_store import OutboxStore
from tests.fakes.connector import FakeConnector
from tests.scheduling.seed import START, DispatcherFactory, LimiterTime


@pytest.fixture
def clock() -> FixedClock:
    """The database clock, fixed at START; tests move it explicitly."""
    return FixedClock(START)


@pytest.fixture
def limiter_time(clock: FixedClock) -> LimiterTime:
    """Rate-limiter time that follows `clock` and records waits instead of sleeping."""
    return LimiterTime(clock)


@pytest.fixture
async def connector() -> AsyncIterator[FakeConnector]:
    """A started fake Bot Connector on an ephemeral loopback port."""
    fake = FakeConnector()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    """One pooled HTTP client session, as the app would share."""
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
def make_dispatcher(
    engine: AsyncEngine, http: aiohttp.ClientSession, clock: FixedClock, limiter_time: LimiterTime
) -> DispatcherFactory:
    """Build a Dispatcher wired to the real store, sender and renderer; one limiter per owner, on the fixed clock."""

    def build(
        owner: str = "dispatcher-a", *, batch_size: int = 5, limiter: RateLimiter | None = None, **settings: Any
    ) -> Dispatcher:
        config = Settings(**settings)
        limiter = limiter or limiter_for(
            config, time=limiter_time.time, sleep=limiter_time.wait_virtually, on_grant=limiter_time.grant
        )
        sender = BotConnectorSender(http, TokenProvider("", ""), timeout=5)
        return Dispatcher(
            OutboxStore(engine),
            sender,
            render,
            clock,
            config,
            owner,
            limiter=limiter,
            rng=random.Random(7),
            batch_size=batch_size,
            sleep=limiter_time.pass_time,
        )

    return build
