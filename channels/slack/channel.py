"""Slack's parts, built from the settings: the Web API client, the pace, the sender, the people
directory, and (once the bot exists) the turn runner and the HTTP endpoint."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import aiohttp
from botbuilder.core import TurnContext

from channels.slack.adapter import SlackAdapter
from channels.slack.api import SlackApi
from channels.slack.delivery import SlackDelivery
from channels.slack.endpoint import SlackEndpoint, SlackInbound
from channels.slack.pace import SlackPace
from channels.slack.turns import HomeTab, InboundLog, OnTurn, SlackTurns
from channels.slack.users import SlackUsers
from config import Settings
from domain.core.clock import Clock
from scheduling.reply_outbox import ReplyOutbox

OnError = Callable[[TurnContext, Exception], Awaitable[None]]


@dataclass
class SlackParts:
    """What the outbox and the turns share."""

    api: SlackApi
    delivery: SlackDelivery
    users: SlackUsers


def slack_parts(settings: Settings, session: aiohttp.ClientSession, pace: SlackPace | None = None) -> SlackParts:
    """The Web API client on the shared HTTP session, Slack's pace, the sender and the directory."""
    api = SlackApi(session, settings.slack_bot_token, settings.slack_api_url)
    return SlackParts(api, SlackDelivery(api, pace or SlackPace()), SlackUsers(api))


def slack_turns(
    parts: SlackParts,
    outbox: ReplyOutbox,
    on_turn: OnTurn,
    on_error: OnError,
    inbound_log: InboundLog,
    clock: Clock,
    settings: Settings,
    home: HomeTab | None = None,
) -> SlackTurns:
    """The turn runner: Slack's adapter (replies as Block Kit, the outbox behind) and the bot."""
    adapter = SlackAdapter(parts.delivery, outbox)
    adapter.on_turn_error = on_error  # the same apology and state reset as on the Teams path
    return SlackTurns(parts.api, adapter, on_turn, parts.users, inbound_log, clock, settings.slack_api_url, home)


def slack_inbound(turns: SlackTurns, settings: Settings) -> SlackInbound:
    """What HTTP and Socket Mode share: the workspace allow-list and the hand-over to the turns."""
    return SlackInbound(turns, settings.allowed_slack_team_ids)


def slack_endpoint(inbound: SlackInbound, settings: Settings, clock: Clock) -> SlackEndpoint:
    """The two HTTP handlers (only with a signing secret: Socket Mode alone needs none)."""
    return SlackEndpoint(inbound, settings.slack_signing_secret, clock, settings.max_request_bytes)
