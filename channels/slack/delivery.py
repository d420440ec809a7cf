"""One Slack message to one person, as the outbox and in-turn replies both need it (and, for a
card answered in the turn, the same message redrawn in place with `chat.update`).

Opens the direct-message channel when we have none yet (`conversations.open`), waits for the
channel's pace, posts with `chat.postMessage`, and reports the result in the outbox's terms:
200 sent; 404 for a person Slack says cannot be reached (deactivated, gone, not visible), which
the outbox marks unreachable as it does for Teams; 503 with Retry-After for a 429 (the
workspace is held meanwhile, Teams sends go on); 401 for a token Slack refuses (retried, and
logged as an error for the operator); 400 for what Slack will never take.
"""

from __future__ import annotations

import logging
from typing import Any

from channels.slack.api import SlackAnswer, SlackApi
from channels.slack.pace import SlackPace
from domain.core.model import ConversationRef
from scheduling.retry import RETRY_AFTER_CAP_SECONDS
from scheduling.sender import SendResult

log = logging.getLogger(__name__)
UNREACHABLE = frozenset(
    {
        "account_inactive",
        "user_not_found",
        "users_not_found",
        "user_disabled",
        "user_not_visible",
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "cannot_dm_bot",
        "team_access_not_granted",
    }
)
TOKEN_REFUSED = frozenset({"invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive_token"})
SLACK_TROUBLE = frozenset({"fatal_error", "internal_error", "service_unavailable", "request_timeout"})
DEFAULT_HOLD_SECONDS = 30.0  # a 429 without Retry-After


def slack_user(person_key: str) -> str:
    """The Slack user id inside our person key "<workspace>:<user>"."""
    return person_key.rpartition(":")[2]


class SlackDelivery:
    """Posts Block Kit messages to people's DMs at Slack's pace."""

    def __init__(self, api: SlackApi, pace: SlackPace) -> None:
        self.api, self.pace = api, pace

    async def send(self, ref: ConversationRef, message: dict[str, Any]) -> SendResult:
        """Deliver `message` (chat.postMessage arguments) to the person behind `ref`; never raises."""
        workspace, channel, created = ref.tenant_id, ref.conversation_id, False
        if not channel:
            opened = await self.api.open_dm(slack_user(ref.user_id))
            channel = str((opened.data.get("channel") or {}).get("id") or "") if opened.ok else ""
            if not channel:
                return self._failed(opened if not opened.ok else SlackAnswer(200, False, error="no_channel"), workspace)
            created = True
        await self.pace.turn(channel, workspace)
        answer = await self.api.post_message(channel, message)
        if answer.ok:
            return SendResult(
                200, activity_id=str(answer.data.get("ts") or ""), conversation_id=channel, created=created
            )
        result = self._failed(answer, workspace)
        return SendResult(
            result.status, result.retry_after, conversation_id=channel, created=created, error=result.error
        )

    async def update(self, ref: ConversationRef, ts: str, message: dict[str, Any]) -> SendResult:
        """Replace the message `ts` in the person's DM (chat.update) at the channel's pace; never raises."""
        await self.pace.turn(ref.conversation_id, ref.tenant_id)
        answer = await self.api.update_message(ref.conversation_id, ts, message)
        return SendResult(200, activity_id=ts) if answer.ok else self._failed(answer, ref.tenant_id)

    def _failed(self, answer: SlackAnswer, workspace: str) -> SendResult:
        error = f"slack: {answer.error or 'no answer'}"
        if answer.status == 429 or answer.error == "ratelimited":
            seconds = _seconds(answer.retry_after)
            self.pace.hold(workspace, seconds)
            return SendResult(503, retry_after=str(int(seconds)), error=error)
        if answer.error in UNREACHABLE:
            return SendResult(404, error=error)
        if answer.error in TOKEN_REFUSED:
            log.error("Slack refused the bot token (%s): check SLACK_BOT_TOKEN", answer.error)
            return SendResult(401, error=error)
        if answer.status == 0 or answer.status >= 500 or answer.error in SLACK_TROUBLE:
            return SendResult(answer.status if answer.status >= 500 else 0, answer.retry_after, error=error)
        return SendResult(400, error=error)


def _seconds(retry_after: str | None) -> float:
    """Slack's Retry-After is whole seconds; a missing or odd one holds for a default while."""
    try:
        seconds = float(retry_after or "")
    except ValueError:
        return DEFAULT_HOLD_SECONDS
    return min(max(seconds, 1.0), RETRY_AFTER_CAP_SECONDS) if seconds == seconds else DEFAULT_HOLD_SECONDS
