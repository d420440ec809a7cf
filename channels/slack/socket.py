"""Socket Mode: Slack's events and interactions over a WebSocket the app opens (SLACK_APP_TOKEN),
for organisations that cannot expose a public URL. slack_sdk's aiohttp client keeps the
connection (and reconnects); each envelope gets the same handling as POST /slack/... (the
allow-list, the hand-over to the turns) and is acknowledged at once, the turn run after."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from slack_sdk.socket_mode.aiohttp import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse
from slack_sdk.web.async_client import AsyncWebClient

from channels.slack.endpoint import SlackInbound

log = logging.getLogger(__name__)


class SlackSocket:
    """One Socket Mode connection feeding `SlackInbound`."""

    def __init__(self, app_token: str, api_url: str, inbound: SlackInbound) -> None:
        self._inbound = inbound
        self._connecting: asyncio.Task[None] | None = None
        self.client = SocketModeClient(
            app_token=app_token,
            web_client=AsyncWebClient(base_url=api_url),
            logger=logging.getLogger("slack_sdk.socket_mode"),
        )
        self.client.socket_mode_request_listeners.append(self._on_request)  # type: ignore[arg-type]

    def start(self) -> None:
        """Open the connection in the background (apps.connections.open, then the WebSocket)."""
        self._connecting = asyncio.get_running_loop().create_task(self._connect())

    async def connected(self) -> None:
        """Wait until the first connection attempt has finished (tests, start-up logs)."""
        if self._connecting is not None:
            await asyncio.gather(self._connecting, return_exceptions=True)

    async def close(self) -> None:
        if self._connecting is not None:
            self._connecting.cancel()
            await asyncio.gather(self._connecting, return_exceptions=True)
        await self.client.close()

    async def _connect(self) -> None:
        try:
            await self.client.connect()
        except Exception as exc:
            log.error("Slack Socket Mode could not connect (%s); check SLACK_APP_TOKEN", type(exc).__name__)
            return
        log.info("Slack Socket Mode connected")

    async def _on_request(self, client: SocketModeClient, request: SocketModeRequest) -> None:
        """Acknowledge every envelope; only an accepted act runs a turn (after the ack)."""
        payload: dict[str, Any] = request.payload if isinstance(request.payload, dict) else {}
        status, body = 200, None
        if request.type == "events_api":
            status, body = self._inbound.event(payload)
        elif request.type == "interactive":
            status, body = self._inbound.interaction(payload)
        if status != 200:
            log.warning("Slack Socket Mode envelope refused (%d)", status)
        answer = body if status == 200 and body else None
        await client.send_socket_mode_response(SocketModeResponse(envelope_id=request.envelope_id, payload=answer))
