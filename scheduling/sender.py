"""Bot Connector calls over our own async HTTP client (no threads, one pooled ClientSession).

botbuilder's connector client is synchronous under the hood (msrest + requests in a
thread), retries no POST and sends `tenantID` where Teams reads `channelData.tenant.id`.
This sender speaks the Bot Connector REST API directly (proactive sends here; in-turn
replies, updates and member lookups through `request`) and never raises: timeouts and
connection errors come back as status 0 for `scheduling.retry.classify`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import quote

import aiohttp
from yarl import URL

from domain.core.model import ConversationRef
from scheduling.credentials import TokenProvider

DEFAULT_TIMEOUT_SECONDS = 30.0
# Says on the wire which client posted (tests tell our requests from msrest's by it).
USER_AGENT = "PLP-Companion (aiohttp)"


@dataclass(frozen=True)
class SendResult:
    """What happened; `conversation_id` is where it went, `created` if we opened that 1:1 chat."""

    status: int
    retry_after: str | None = None
    activity_id: str = ""
    conversation_id: str = ""
    created: bool = False
    error: str = ""


class Sender(Protocol):
    """Anything that can deliver one activity to a conversation reference."""

    async def send(self, ref: ConversationRef, activity: dict[str, Any]) -> SendResult: ...


@dataclass(frozen=True)
class ConnectorAnswer:
    """One Bot Connector answer: status (0 for transport errors), JSON body of a 2xx, Retry-After."""

    status: int
    body: dict[str, Any]
    retry_after: str | None = None
    error: str = ""


class BotConnectorSender:
    """Posts activities to `{serviceUrl}v3/conversations/{id}/activities`, creating 1:1 chats as needed."""

    def __init__(
        self, session: aiohttp.ClientSession, tokens: TokenProvider, timeout: float = DEFAULT_TIMEOUT_SECONDS
    ) -> None:
        self._session = session
        self._tokens = tokens
        self._timeout = aiohttp.ClientTimeout(total=timeout)

    async def send(self, ref: ConversationRef, activity: dict[str, Any]) -> SendResult:
        """Deliver `activity` to the person behind `ref`; never raises."""
        conversation_id, created = ref.conversation_id, False
        if ref.conversation_type != "personal" or not conversation_id:
            answer = await self.request("POST", ref.service_url, "v3/conversations", _create_body(ref))
            new_id = str(answer.body.get("id", "")) if _ok(answer.status) else ""
            if not new_id:
                error = answer.error or ("create conversation: no id" if _ok(answer.status) else "")
                status = 0 if _ok(answer.status) else answer.status
                return SendResult(status, answer.retry_after, error=error)
            conversation_id, created = new_id, True
        path = f"v3/conversations/{quote(conversation_id, safe='')}/activities"
        answer = await self.request("POST", ref.service_url, path, _activity_body(ref, conversation_id, activity))
        activity_id = str(answer.body.get("id", "")) if _ok(answer.status) else ""
        return SendResult(answer.status, answer.retry_after, activity_id, conversation_id, created, answer.error)

    async def request(
        self, method: str, service_url: str, path: str, body: dict[str, Any] | None = None, within: float | None = None
    ) -> ConnectorAnswer:
        """One call (given up after `within` seconds); transport failures and timeouts become status 0."""
        try:
            headers = await self._headers()
        except Exception as exc:
            return ConnectorAnswer(0, {}, error=f"token: {type(exc).__name__}")
        url = URL(_base(service_url) + path, encoded=True)  # keep our percent-encoding of the id
        limit = self._timeout if within is None else aiohttp.ClientTimeout(total=within)
        try:
            async with self._session.request(method, url, json=body, headers=headers, timeout=limit) as resp:
                if resp.status == 401:
                    self._tokens.invalidate()  # maybe revoked or rotated: fetch anew before the retry
                return ConnectorAnswer(resp.status, await _json(resp), resp.headers.get("Retry-After"))
        except TimeoutError:
            return ConnectorAnswer(0, {}, error="timeout")
        except aiohttp.ClientError as exc:
            return ConnectorAnswer(0, {}, error=f"connection: {type(exc).__name__}")

    async def _headers(self) -> dict[str, str]:
        token = await self._tokens.token()
        auth = {"Authorization": f"Bearer {token}"} if token else {}
        return {"User-Agent": USER_AGENT, **auth}


def _ok(status: int) -> bool:
    return 200 <= status < 300


def _base(service_url: str) -> str:
    return service_url if service_url.endswith("/") else service_url + "/"


async def _json(resp: aiohttp.ClientResponse) -> dict[str, Any]:
    """The response body as a dict, or {} (error bodies are not needed and never logged)."""
    if not _ok(resp.status):
        return {}
    try:
        body = await resp.json(content_type=None)
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _create_body(ref: ConversationRef) -> dict[str, Any]:
    """A 1:1 create-conversation request; the tenant goes in both places Teams might read."""
    body: dict[str, Any] = {
        "bot": {"id": ref.bot_id, "name": ref.bot_name},
        "members": [{"id": ref.user_id}],
        "isGroup": False,
    }
    if ref.tenant_id:
        body["tenantId"] = ref.tenant_id
        body["channelData"] = {"tenant": {"id": ref.tenant_id}}
    return body


def _activity_body(ref: ConversationRef, conversation_id: str, activity: dict[str, Any]) -> dict[str, Any]:
    """The rendered activity addressed from the bot to the person in `conversation_id`."""
    conversation: dict[str, Any] = {"id": conversation_id, "conversationType": "personal"}
    if ref.tenant_id:
        conversation["tenantId"] = ref.tenant_id
    return {
        "type": "message",
        **activity,
        "from": {"id": ref.bot_id, "name": ref.bot_name},
        "recipient": {"id": ref.user_id},
        "conversation": conversation,
        "channelId": ref.channel_id,
    }
