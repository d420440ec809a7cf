"""The Slack Web API calls we make, on slack_sdk's AsyncWebClient over our pooled aiohttp session.

Every call comes back as a `SlackAnswer` and never raises: Slack's `ok: false` errors keep
their error code (`ratelimited`, `user_not_found`, ...), HTTP statuses and Retry-After are
kept, and timeouts or connection failures become status 0. Bodies are never logged (they
hold what people wrote).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 15


@dataclass(frozen=True)
class SlackAnswer:
    """One Web API answer: HTTP status (0: none), Slack's `ok` and error code, its data, Retry-After."""

    status: int
    ok: bool
    data: dict[str, Any] = field(default_factory=dict)
    error: str = ""
    retry_after: str | None = None


class SlackApi:
    """chat.postMessage, chat.update, conversations.open, users.info, views.publish, auth.test."""

    def __init__(self, session: aiohttp.ClientSession, token: str, base_url: str) -> None:
        self.client = AsyncWebClient(token=token, base_url=base_url, session=session, timeout=TIMEOUT_SECONDS)

    async def post_message(self, channel: str, message: dict[str, Any]) -> SlackAnswer:
        """Post `message` (text and maybe blocks) to a channel or DM; links are not unfurled."""
        return await self._call(
            self.client.chat_postMessage(channel=channel, unfurl_links=False, unfurl_media=False, **message)
        )

    async def update_message(self, channel: str, ts: str, message: dict[str, Any]) -> SlackAnswer:
        """Replace the message `ts` in `channel` with `message` (text and blocks): a card redrawn answered."""
        return await self._call(self.client.chat_update(channel=channel, ts=ts, **message))

    async def open_dm(self, slack_user_id: str) -> SlackAnswer:
        """Open (or find) the app's direct-message channel with one person."""
        return await self._call(self.client.conversations_open(users=slack_user_id))

    async def user_info(self, slack_user_id: str) -> SlackAnswer:
        """The person's profile (name, and email with users:read.email)."""
        return await self._call(self.client.users_info(user=slack_user_id))

    async def publish_home(self, slack_user_id: str, view: dict[str, Any]) -> SlackAnswer:
        """Show `view` on the person's Home tab."""
        return await self._call(self.client.views_publish(user_id=slack_user_id, view=view))

    async def auth_test(self) -> SlackAnswer:
        """Which workspace and bot user the token belongs to."""
        return await self._call(self.client.auth_test())

    async def _call(self, request: Any) -> SlackAnswer:
        try:
            response = await request
        except SlackApiError as exc:
            answer = exc.response
            data = answer.data if isinstance(answer.data, dict) else {}
            return SlackAnswer(
                answer.status_code,
                False,
                data,
                str(data.get("error") or f"http {answer.status_code}"),
                _header(answer.headers, "Retry-After"),
            )
        except TimeoutError:
            return SlackAnswer(0, False, error="timeout")
        except aiohttp.ClientError as exc:
            return SlackAnswer(0, False, error=f"connection: {type(exc).__name__}")
        except Exception as exc:  # a body that is not JSON, a proxy's HTML page: never crash a send
            log.warning("Slack call failed (%s)", type(exc).__name__)
            return SlackAnswer(0, False, error=f"client: {type(exc).__name__}")
        data = response.data if isinstance(response.data, dict) else {}
        return SlackAnswer(response.status_code, True, data)


def _header(headers: Any, name: str) -> str | None:
    """One header of aiohttp's case-insensitive headers (or a plain dict), if present."""
    get = getattr(headers, "get", None)
    value = get(name) if callable(get) else None
    if value is None and isinstance(headers, dict):
        value = next((v for k, v in headers.items() if str(k).lower() == name.lower()), None)
    if isinstance(value, list):
        value = value[0] if value else None
    return None if value is None else str(value)
