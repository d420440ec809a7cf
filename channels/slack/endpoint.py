"""`POST /slack/events` and `POST /slack/interactivity`: verified, acknowledged at once, run after.

Every request is checked with the signing secret (slack_sdk's SignatureVerifier) and refused
with 401 outside Slack's 5-minute replay window or with a wrong signature; bodies are capped
and malformed ones get 400/413/415, never 500. A workspace not in ALLOWED_SLACK_TEAM_IDS is
refused: its events are acknowledged and dropped (so Slack neither retries nor disables the
subscription), its button presses get 403. Accepted acts are handed to `SlackTurns` and
answered 200 within milliseconds; Slack's retries of an event carry the same event id and the
inbound log runs it once. `SlackInbound` holds the checks both HTTP and Socket Mode share.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qs

from aiohttp import web
from slack_sdk.signature import SignatureVerifier

from channels.slack.inbound import event_turn, interaction_turn
from channels.slack.turns import SlackTurns
from domain.core.clock import Clock

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"
INTERACTIVITY_PATH = "/slack/interactivity"
Answer = tuple[int, dict[str, Any] | None]


class _SlackClock:
    """slack_sdk's clock interface over ours (tests move time; the window follows)."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    def now(self) -> float:
        return self._clock.now().timestamp()


class SlackInbound:
    """What to do with one verified envelope or interaction payload (HTTP and Socket Mode alike)."""

    def __init__(self, turns: SlackTurns, allowed_teams: Iterable[str]) -> None:
        self.turns = turns
        self._allowed = frozenset(team.upper() for team in allowed_teams)

    def allowed(self, *ids: Any) -> bool:
        """True when no allow-list is set, or one of the team / enterprise ids is on it."""
        if not self._allowed:
            return True
        return any(isinstance(i, str) and i.upper() in self._allowed for i in ids)

    def event(self, envelope: dict[str, Any]) -> Answer:
        """An Events API envelope: the URL challenge, or an event to run after the ack."""
        kind = envelope.get("type")
        if kind == "url_verification":
            challenge = envelope.get("challenge")
            if not isinstance(challenge, str) or not challenge or len(challenge) > 500:
                return 400, {"error": "url_verification needs a challenge"}
            return 200, {"challenge": challenge}
        if kind != "event_callback":
            return 200, None  # app_rate_limited and the like: nothing to do
        if not self.allowed(envelope.get("team_id"), envelope.get("enterprise_id")):
            log.warning("Slack event from a workspace not in ALLOWED_SLACK_TEAM_IDS dropped")
            return 200, None
        turn = event_turn(envelope, self.turns.bot_user_id)
        if turn is not None and not self.turns.accept(turn):
            return 503, {"error": "shutting down; Slack will retry"}
        return 200, None

    def interaction(self, payload: dict[str, Any]) -> Answer:
        """A button press, a select or a modal submission: run after the ack."""
        team, enterprise = payload.get("team"), payload.get("enterprise")
        ids = (part.get("id") for part in (team, enterprise) if isinstance(part, dict))
        if not self.allowed(*ids):
            log.warning("Slack interaction from a workspace not in ALLOWED_SLACK_TEAM_IDS refused")
            return 403, {"error": "this workspace is not served by this companion"}
        turn = interaction_turn(payload)
        if turn is not None and not self.turns.accept(turn):
            return 503, {"error": "shutting down; try again"}
        return 200, None


class SlackEndpoint:
    """The two aiohttp handlers: verify, parse, acknowledge."""

    def __init__(self, inbound: SlackInbound, signing_secret: str, clock: Clock, max_bytes: int) -> None:
        self.inbound = inbound
        self._verifier = SignatureVerifier(signing_secret, clock=_SlackClock(clock))  # type: ignore[arg-type]
        self._max_bytes = max_bytes

    async def events(self, request: web.Request) -> web.StreamResponse:
        """POST /slack/events (Events API, JSON)."""
        body = await self._verified_body(request, "application/json")
        if isinstance(body, web.Response):
            return body
        try:
            envelope = json.loads(body)
        except (UnicodeDecodeError, ValueError, RecursionError):
            return _answer(400, {"error": "the body is not valid JSON"})
        if not isinstance(envelope, dict):
            return _answer(400, {"error": "the body must be one JSON object"})
        return _answer(*self.inbound.event(envelope))

    async def interactivity(self, request: web.Request) -> web.StreamResponse:
        """POST /slack/interactivity (form-encoded `payload=<json>`)."""
        body = await self._verified_body(request, "application/x-www-form-urlencoded")
        if isinstance(body, web.Response):
            return body
        try:
            fields = parse_qs(body.decode("utf-8"), strict_parsing=False)
            payload = json.loads(fields["payload"][0])
        except (UnicodeDecodeError, ValueError, KeyError, IndexError, RecursionError):
            return _answer(400, {"error": "expected a form field `payload` holding JSON"})
        if not isinstance(payload, dict) or not isinstance(payload.get("type"), str):
            return _answer(400, {"error": "the payload must be one JSON object with a type"})
        return _answer(*self.inbound.interaction(payload))

    async def _verified_body(self, request: web.Request, content_type: str) -> bytes | web.Response:
        if request.content_length is not None and request.content_length > self._max_bytes:
            return _answer(413, {"error": f"request bodies are limited to {self._max_bytes} bytes"})
        try:
            body = await request.content.read(self._max_bytes + 1)
        except Exception:
            return _answer(400, {"error": "could not read the request body"})
        if len(body) > self._max_bytes:
            return _answer(413, {"error": f"request bodies are limited to {self._max_bytes} bytes"})
        if not self._signed(body, request.headers.get("X-Slack-Request-Timestamp"), request):
            return _answer(401, {"error": "the Slack signature is missing, wrong or outside the 5-minute window"})
        if request.content_type != content_type:
            return _answer(415, {"error": f"send {content_type}"})
        return body

    def _signed(self, body: bytes, timestamp: str | None, request: web.Request) -> bool:
        signature = request.headers.get("X-Slack-Signature")
        if not timestamp or not signature or not timestamp.strip().isdigit() or len(timestamp) > 20:
            return False
        try:
            return self._verifier.is_valid(body, timestamp.strip(), signature)
        except (UnicodeDecodeError, ValueError):
            return False


def _answer(status: int, body: dict[str, Any] | None) -> web.Response:
    if body is None:
        return web.Response(status=status)
    return web.json_response(body, status=status)
