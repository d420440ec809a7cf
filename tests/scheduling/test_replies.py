"""ReplyPoster against the fake Bot Connector over real loopback HTTP, on a fake turn clock:
retries honour Retry-After and end at the turn's budget; the limiter is drawn on and paused."""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass, field

import aiohttp
import pytest
from aiohttp import web

from domain.core.clock import FixedClock
from scheduling.credentials import TokenProvider
from scheduling.ratelimit import RateLimiter
from scheduling.replies import Delivery, ReplyPoster, activities_path
from scheduling.sender import USER_AGENT, BotConnectorSender
from tests.fakes.connector import FakeConnector, Recorded

CONVERSATION = "a:1qhNLqpUtmuI6U35"
BODY = {"type": "message", "text": "Hello", "replyToId": "in-1"}
BUDGET = 10.0


@dataclass
class TurnTime:
    """The turn's clock: sleeping moves it (so the budget is spent without waiting)."""

    now: float = 1000.0
    slept: list[float] = field(default_factory=list)

    def time(self) -> float:
        return self.now

    async def wait_virtually(self, seconds: float) -> None:
        """A virtual sleep: the turn's clock jumps on; no real time passes."""
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def turn_time() -> TurnTime:
    return TurnTime()


@pytest.fixture
def limiter(turn_time: TurnTime) -> RateLimiter:
    return RateLimiter(time=turn_time.time, sleep=turn_time.wait_virtually)


@pytest.fixture
def poster(http: aiohttp.ClientSession, limiter: RateLimiter, clock: FixedClock, turn_time: TurnTime) -> ReplyPoster:
    connector = BotConnectorSender(http, TokenProvider("", ""), timeout=5)
    return ReplyPoster(
        connector, limiter, clock, sleep=turn_time.wait_virtually, time=turn_time.time, rng=random.Random(7)
    )


async def reply(poster: ReplyPoster, connector: FakeConnector) -> Delivery:
    path = activities_path(CONVERSATION, "in-1")
    return await poster.call("POST", connector.url, path, BODY, CONVERSATION, poster.deadline(BUDGET))


async def test_a_429_is_retried_after_its_retry_after_and_delivered_once(
    poster: ReplyPoster, connector: FakeConnector, turn_time: TurnTime
) -> None:
    connector.fail(CONVERSATION, 429, headers={"Retry-After": "2"})
    delivery = await reply(poster, connector)
    assert delivery == Delivery(201, "activity-1")
    first, second = connector.activities_to(CONVERSATION)
    assert first.path == second.path == "/v3/conversations/a%3A1qhNLqpUtmuI6U35/activities/in-1"
    assert turn_time.slept == [2.0] and turn_time.now == 1002.0


async def test_an_outage_ends_the_retries_inside_the_budget_as_a_transient_failure(
    poster: ReplyPoster, connector: FakeConnector, turn_time: TurnTime
) -> None:
    connector.fail(CONVERSATION, 503, times=100)
    delivery = await reply(poster, connector)
    assert delivery.status == 503 and delivery.transient and not delivery.sent
    assert len(connector.activities_to(CONVERSATION)) >= 2  # retried while the backoff fit
    assert turn_time.now < 1000.0 + BUDGET  # and never slept past the budget


async def test_a_retry_after_beyond_the_budget_is_not_waited_for_but_pauses_other_sends(
    poster: ReplyPoster, connector: FakeConnector, limiter: RateLimiter, turn_time: TurnTime
) -> None:
    connector.fail(CONVERSATION, 429, headers={"Retry-After": "30"})
    delivery = await reply(poster, connector)
    assert delivery.status == 429 and delivery.transient
    assert len(connector.activities_to(CONVERSATION)) == 1 and turn_time.slept == []
    assert limiter.paused_for() == 30.0


async def test_a_pause_outlasting_the_budget_sends_nothing(
    poster: ReplyPoster, connector: FakeConnector, limiter: RateLimiter
) -> None:
    limiter.pause_for(BUDGET + 5)
    delivery = await reply(poster, connector)
    assert delivery.transient and delivery.error == "reply budget spent"
    assert connector.requests == []


async def test_a_refusal_is_final_and_not_retried(poster: ReplyPoster, connector: FakeConnector) -> None:
    connector.fail(CONVERSATION, 400)
    delivery = await reply(poster, connector)
    assert (delivery.status, delivery.transient, delivery.sent) == (400, False, False)
    assert len(connector.activities_to(CONVERSATION)) == 1


async def test_replies_are_posted_by_our_client(poster: ReplyPoster, connector: FakeConnector) -> None:
    await reply(poster, connector)
    (request,) = connector.requests
    assert request.headers["User-Agent"] == USER_AGENT
    assert request.body == BODY


async def test_a_hung_connector_is_given_up_on_within_the_budget(
    http: aiohttp.ClientSession, connector: FakeConnector, clock: FixedClock, turn_time: TurnTime
) -> None:
    released = asyncio.Event()

    async def hang(_: Recorded) -> web.StreamResponse | None:
        await released.wait()
        return None

    connector.respond_with(hang)
    sender = BotConnectorSender(http, TokenProvider("", ""), timeout=5)
    limiter = RateLimiter(time=turn_time.time, sleep=turn_time.wait_virtually)
    # A short budget on the turn clock; each attempt's HTTP timeout is what is left of it.
    poster = ReplyPoster(
        sender, limiter, clock, sleep=turn_time.wait_virtually, time=turn_time.time, rng=random.Random(1)
    )
    path = activities_path(CONVERSATION, "in-1")
    delivery = await poster.call("POST", connector.url, path, BODY, CONVERSATION, poster.deadline(0.2))
    released.set()
    assert delivery.transient and delivery.error == "timeout"
