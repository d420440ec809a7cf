"""The outbox speaks both channels: each row is rendered for its person's channel (Block Kit for
Slack, Adaptive Cards or text for the rest) and handed to that channel's sender."""

from __future__ import annotations

from typing import Any

from channels.render import render
from channels.slack.blocks import slack_message
from channels.slack.delivery import SlackDelivery
from channels.slack.inbound import SLACK
from domain.core.model import ConversationRef
from domain.core.reply import Reply
from scheduling.sender import Sender, SendResult


def channel_render(reply: Reply, channel_id: str) -> dict[str, Any]:
    """Slack people get chat.postMessage arguments; everyone else the Bot Framework activity."""
    return slack_message(reply) if channel_id == SLACK else render(reply, channel_id)


class ChannelSender:
    """Routes each send by the person's channel; Slack rows wait (and retry) while Slack is off."""

    def __init__(self, teams: Sender, slack: SlackDelivery | None) -> None:
        self._teams, self._slack = teams, slack

    async def send(self, ref: ConversationRef, activity: dict[str, Any]) -> SendResult:
        if ref.channel_id != SLACK:
            return await self._teams.send(ref, activity)
        if self._slack is None:
            return SendResult(503, error="slack: not configured (SLACK_BOT_TOKEN)")
        return await self._slack.send(ref, activity)
