"""BotConnectorSender against the fake Bot Connector over real loopback HTTP."""

from __future__ import annotations

import asyncio
import json
import socket
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from domain.core.model import ConversationRef
from scheduling.credentials import TokenGrant, TokenProvider
from scheduling.sender import BotConnectorSender
from tests.fakes.connector import FakeConnector, Recorded
from tests.scheduling.seed import BOT_ID, TENANT

FIXTURES = Path(__file__).parent.parent / "fixtures"
USER = "29:1XJKJMvc5GBtc2JwZq0oj8tHZmzrQgFmB39ATiQWA85gQtHieVkKilBZ9XHoq9j7Zaqt7CZ-NJWi7me2kHTL3Bw"
MESSAGE = {"type": "message", "text": "Hello"}


def personal(url: str, conversation_id: str = "a:1qhNLqpUtmuI6U35") -> ConversationRef:
    """A personal-chat reference for the documented sample user."""
    return ConversationRef(
        participant_id=1,
        channel_id="msteams",
        service_url=url,
        conversation_id=conversation_id,
        user_id=USER,
        bot_id=BOT_ID,
        bot_name="PLP Companion",
        tenant_id=TENANT,
    )


def sender(http: aiohttp.ClientSession, tokens: TokenProvider | None = None, timeout: float = 5) -> BotConnectorSender:
    """The real sender; no app id (no token) unless `tokens` is given."""
    return BotConnectorSender(http, tokens or TokenProvider("", ""), timeout=timeout)


@pytest.mark.parametrize("trailing_slash", [True, False])
async def test_posts_to_the_percent_encoded_conversation(
    connector: FakeConnector, http: aiohttp.ClientSession, trailing_slash: bool
) -> None:
    url = connector.url if trailing_slash else connector.url.rstrip("/")
    result = await sender(http).send(personal(url), MESSAGE)
    [request] = connector.requests
    assert request.path == "/v3/conversations/a%3A1qhNLqpUtmuI6U35/activities"
    assert request.conversation_id == "a:1qhNLqpUtmuI6U35"
    assert (result.status, result.activity_id, result.conversation_id, result.created) == (
        201,
        "activity-1",
        "a:1qhNLqpUtmuI6U35",
        False,
    )


async def test_fills_the_addressing_fields(connector: FakeConnector, http: aiohttp.ClientSession) -> None:
    await sender(http).send(personal(connector.url), {"text": "Hi", "attachments": []})
    body = connector.sent_activities()[0].body
    assert body == {
        "type": "message",
        "text": "Hi",
        "attachments": [],
        "from": {"id": BOT_ID, "name": "PLP Companion"},
        "recipient": {"id": USER},
        "conversation": {"id": "a:1qhNLqpUtmuI6U35", "conversationType": "personal", "tenantId": TENANT},
        "channelId": "msteams",
    }


async def test_a_channel_reference_first_creates_a_one_to_one_conversation(
    connector: FakeConnector, http: aiohttp.ClientSession
) -> None:
    team = ConversationRef(
        participant_id=1,
        channel_id="msteams",
        service_url=connector.url,
        conversation_id="19:abc@thread.tacv2",
        user_id=USER,
        bot_id=BOT_ID,
        bot_name="PLP Companion",
        tenant_id=TENANT,
        conversation_type="channel",
    )
    result = await sender(http).send(team, MESSAGE)
    [create] = connector.creates()
    # The request matches Microsoft's documented shape, tenant in both tenantId and channelData.
    assert create.body == json.loads((FIXTURES / "expected_create_conversation_request.json").read_text())
    assert (result.status, result.created, result.conversation_id) == (201, True, f"a:conv-{USER}")
    assert len(connector.activities_to(f"a:conv-{USER}")) == 1


async def test_a_reference_without_conversation_id_creates_one(
    connector: FakeConnector, http: aiohttp.ClientSession
) -> None:
    result = await sender(http).send(personal(connector.url, conversation_id=""), MESSAGE)
    assert len(connector.creates()) == 1 and result.created


async def test_a_failed_create_reports_its_status(connector: FakeConnector, http: aiohttp.ClientSession) -> None:
    connector.respond_with(lambda r: web.json_response({}, status=403) if r.is_create else None)
    result = await sender(http).send(personal(connector.url, conversation_id=""), MESSAGE)
    assert (result.status, result.created) == (403, False)
    assert connector.sent_activities() == []


async def test_error_status_and_retry_after_come_back(connector: FakeConnector, http: aiohttp.ClientSession) -> None:
    connector.fail("a:1qhNLqpUtmuI6U35", 429, headers={"Retry-After": "12"})
    result = await sender(http).send(personal(connector.url), MESSAGE)
    assert (result.status, result.retry_after, result.activity_id) == (429, "12", "")


async def test_bearer_token_is_sent_and_dropped_after_a_401(
    connector: FakeConnector, http: aiohttp.ClientSession
) -> None:
    issued: list[str] = []

    def fetch() -> TokenGrant:
        issued.append(f"t{len(issued) + 1}")
        return TokenGrant(issued[-1], 3600)

    tokens = TokenProvider("app", "secret", fetch=fetch)
    connector.fail("a:1qhNLqpUtmuI6U35", 401)
    assert (await sender(http, tokens).send(personal(connector.url), MESSAGE)).status == 401
    assert (await sender(http, tokens).send(personal(connector.url), MESSAGE)).status == 201
    assert [r.headers["Authorization"] for r in connector.requests] == ["Bearer t1", "Bearer t2"]


async def test_no_authorization_header_without_an_app_id(connector: FakeConnector, http: aiohttp.ClientSession) -> None:
    await sender(http).send(personal(connector.url), MESSAGE)
    assert "Authorization" not in connector.requests[0].headers


async def test_connection_refused_is_status_zero(http: aiohttp.ClientSession) -> None:
    with socket.socket() as sock:  # a port nobody listens on once closed
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = await sender(http).send(personal(f"http://127.0.0.1:{port}/"), MESSAGE)
    assert result.status == 0 and result.error.startswith("connection")


async def test_timeout_is_status_zero(connector: FakeConnector, http: aiohttp.ClientSession) -> None:
    never = asyncio.Event()

    async def hang(_: Recorded) -> None:
        await never.wait()  # answer only after the client has given up

    connector.respond_with(hang)
    result = await sender(http, timeout=0.2).send(personal(connector.url), MESSAGE)
    never.set()  # let the fake's handler finish so the server stops promptly
    assert (result.status, result.error) == (0, "timeout")


async def test_token_failure_is_status_zero(connector: FakeConnector, http: aiohttp.ClientSession) -> None:
    def broken() -> TokenGrant:
        raise PermissionError("AADSTS7000215")

    result = await sender(http, TokenProvider("app", "secret", fetch=broken)).send(personal(connector.url), MESSAGE)
    assert (result.status, result.error) == (0, "token: PermissionError")
    assert connector.requests == []
