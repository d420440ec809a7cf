"""TurnAdapter driving real botbuilder turns against the fake Bot Connector and a real database:
sends and updates take our path; a turn diverted to the outbox keeps its replies in order;
nothing a send does fails the turn."""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.schema import Activity, ActivityTypes
from sqlalchemy.ext.asyncio import AsyncEngine

from channels.outgoing import reply_activity
from domain.core.clock import FixedClock
from domain.core.identity import Identity, register
from domain.core.reply import Reply
from scheduling.credentials import TokenProvider
from scheduling.ratelimit import RateLimiter
from scheduling.replies import ReplyPoster
from scheduling.reply_outbox import ReplyOutbox
from scheduling.sender import USER_AGENT, BotConnectorSender
from scheduling.turn_adapter import TurnAdapter
from scheduling.turn_clients import ReusedClientsAuthentication
from storage.store import SqlStore
from tests.fakes.connector import FakeConnector, Recorded
from tests.scheduling.seed import START
from tests.scheduling.test_replies import TurnTime

USER, CONVERSATION = "29:sam", "a:personal-sam"
Logic = Callable[[TurnContext], Awaitable[None]]


@dataclass
class Rig:
    adapter: TurnAdapter
    store: SqlStore
    connector: FakeConnector
    participant_id: int
    wakes: list[int] = field(default_factory=list)

    async def turn(self, logic: Logic, kind: str = ActivityTypes.message) -> InvokeResponse | None:
        """Run one turn for an inbound activity from Sam, as MessagesEndpoint does."""
        inbound = Activity().deserialize(
            {
                "type": kind,
                "id": "in-1",
                "channelId": "msteams",
                "serviceUrl": self.connector.url,
                "from": {"id": USER, "name": "Sam"},
                "recipient": {"id": "28:bot", "name": "PLP Companion"},
                "conversation": {"id": CONVERSATION, "conversationType": "personal"},
                "text": "hi",
            }
        )
        authenticated = await self.adapter.bot_framework_authentication.authenticate_request(inbound, "")
        return await self.adapter.process_activity(authenticated, inbound, logic)

    async def queued_texts(self) -> list[tuple[str, str]]:
        async with self.store.transaction() as uow:
            rows = await uow.outbox.list_for(self.participant_id)
        return [(row.idempotency_key, row.payload["text"]) for row in rows]


@pytest.fixture
async def rig(engine: AsyncEngine, http: aiohttp.ClientSession, connector: FakeConnector, clock: FixedClock) -> Rig:
    store = SqlStore(engine)
    person = await register(store, Identity("msteams", USER, "Sam", "aad-sam"), None, START)
    time = TurnTime()
    limiter = RateLimiter(time=time.time, sleep=time.wait_virtually)
    sender = BotConnectorSender(http, TokenProvider("", ""), timeout=5)
    poster = ReplyPoster(sender, limiter, clock, sleep=time.wait_virtually, time=time.time, rng=random.Random(7))
    config = SimpleNamespace(APP_ID="", APP_PASSWORD="", APP_TYPE="MultiTenant", APP_TENANTID="")
    wakes: list[int] = []
    outbox = ReplyOutbox(store, clock, lambda: wakes.append(1))
    adapter = TurnAdapter(ReusedClientsAuthentication(config), poster, outbox, budget_seconds=10)
    return Rig(adapter, store, connector, person.id, wakes)


def says(text: str) -> Activity:
    return reply_activity(Reply(text=text), "msteams")


async def test_replies_and_updates_are_sent_by_our_client_and_updates_retried(rig: Rig) -> None:
    puts: list[Recorded] = []

    def first_put_412(recorded: Recorded) -> web.StreamResponse | None:
        if recorded.method != "PUT":
            return None
        puts.append(recorded)
        return web.json_response({}, status=412) if len(puts) == 1 else None

    rig.connector.respond_with(first_put_412)

    async def logic(context: TurnContext) -> None:
        sent = await context.send_activity(says("one"))
        await context.update_activity(Activity(type=ActivityTypes.message, id=sent.id, text="two"))

    await rig.turn(logic)
    post, *retried = rig.connector.requests
    assert (post.method, post.path) == ("POST", "/v3/conversations/a%3Apersonal-sam/activities/in-1")
    assert retried == puts and len(puts) == 2  # the 412 was retried within the turn
    assert puts[-1].path == "/v3/conversations/a%3Apersonal-sam/activities/activity-1"
    assert puts[-1].body["text"] == "two"
    assert all(r.headers["User-Agent"] == USER_AGENT for r in rig.connector.requests)


async def test_once_a_reply_is_queued_the_rest_of_the_turn_follows_it_in_order(rig: Rig) -> None:
    rig.connector.fail(CONVERSATION, 503, times=100)

    async def logic(context: TurnContext) -> None:
        await context.send_activity(says("one"))
        await context.send_activity(Activity(type=ActivityTypes.typing))
        await context.send_activities([says("two"), says("three")])

    await rig.turn(logic)
    attempted = {r.body.get("text") for r in rig.connector.requests}
    assert attempted == {"one"}  # only the first reply spent the budget; the others went straight on
    assert await rig.queued_texts() == [
        (f"reply:in-1:{rig.participant_id}:0", "one"),
        (f"reply:in-1:{rig.participant_id}:1", "two"),
        (f"reply:in-1:{rig.participant_id}:2", "three"),
    ]
    assert rig.wakes == [1, 1, 1]


async def test_a_refused_reply_is_logged_not_queued_and_the_turn_carries_on(
    rig: Rig, caplog: pytest.LogCaptureFixture
) -> None:
    rig.connector.fail(CONVERSATION, 403)
    finished: list[bool] = []

    async def logic(context: TurnContext) -> None:
        await context.send_activity(says("one"))
        await context.send_activity(says("two"))
        finished.append(True)

    await rig.turn(logic)
    assert finished == [True] and await rig.queued_texts() == []
    assert [r.body["text"] for r in rig.connector.requests] == ["one", "two"]
    assert "reply 0 refused by the connector (http 403)" in caplog.text


async def test_an_invoke_response_is_left_for_the_endpoint_to_return(rig: Rig) -> None:
    async def logic(context: TurnContext) -> None:
        await context.send_activity(says("thanks"))
        body: dict[str, Any] = {"statusCode": 200}
        await context.send_activity(
            Activity(type=ActivityTypes.invoke_response, value=InvokeResponse(status=200, body=body))
        )

    response = await rig.turn(logic, kind=ActivityTypes.invoke)
    assert response is not None and (response.status, response.body) == (200, {"statusCode": 200})
    assert [r.body.get("text") for r in rig.connector.requests] == ["thanks"]


async def test_turns_share_botbuilders_clients_instead_of_building_them_each_time(rig: Rig) -> None:
    seen: list[tuple[object, object]] = []

    async def remember(context: TurnContext) -> None:
        state = context.turn_state
        seen.append((state[rig.adapter.BOT_CONNECTOR_CLIENT_KEY], state[rig.adapter.USER_TOKEN_CLIENT_KEY]))

    await rig.turn(remember)
    await rig.turn(remember)
    (connector, token_client), again = seen
    assert again == (connector, token_client) and connector is not None and token_client is not None
    assert connector.config.base_url == rig.connector.url  # built for the turn's service URL
