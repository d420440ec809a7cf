"""`SlackAdapter`: the botbuilder adapter for Slack turns, so the same bot and dialogs run.

A turn's replies are the neutral `Reply`s `say` attached to each activity: rendered as Block
Kit and posted to the person's DM, in order, at Slack's pace. A reply Slack will not take for
a passing reason (429, 5xx, timeout) goes to the outbox, and the turn's later replies follow
it there, so the order holds. A reply Slack refuses for good is logged and the turn goes on
(as on the Teams path). An answered card is redrawn in place, read-only (`chat.update` on the
message's ts); when Slack will not, the card stays as it was, which is harmless, and the turn
goes on. Typing indicators and traces have no Slack equivalent and are dropped.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from botbuilder.core import BotAdapter, TurnContext
from botbuilder.schema import Activity, ActivityTypes, ConversationReference, ResourceResponse

from channels.outgoing import neutral_reply
from channels.slack.blocks import slack_message, updated_message
from channels.slack.delivery import SlackDelivery
from domain.core.model import ConversationRef
from domain.core.reply import Reply
from scheduling.reply_outbox import QueuedReply, ReplyOutbox

log = logging.getLogger(__name__)
TURN_KEY = "plp.slack_turn"
TRANSIENT = frozenset({0, 401, 500, 502, 503, 504})


@dataclass
class _Turn:
    replies: int = 0
    diverted: bool = False


class SlackAdapter(BotAdapter):
    """Posts a Slack turn's replies; falls back to the outbox; never raises for a send."""

    def __init__(self, delivery: SlackDelivery, outbox: ReplyOutbox) -> None:
        super().__init__()
        self._delivery, self._outbox = delivery, outbox

    async def send_activities(self, context: TurnContext, activities: list[Activity]) -> list[ResourceResponse]:
        """Each message in order; anything else is acknowledged and dropped."""
        return [await self._send(context, activity) for activity in activities]

    async def update_activity(self, context: TurnContext, activity: Activity) -> ResourceResponse | None:
        """Redraw the sent message `activity.id` (its ts) in the person's DM as `activity`'s reply; never raises."""
        reply = neutral_reply(activity)
        ref = _ref(context.activity)
        if reply is None or not activity.id or not ref.conversation_id:
            return None
        try:
            result = await self._delivery.update(ref, activity.id, updated_message(reply))
        except Exception as exc:  # an answered card left as it was is harmless: the turn goes on
            log.warning("Slack message not redrawn (%s)", type(exc).__name__)
            return None
        if not 200 <= result.status < 300:
            log.warning("Slack message not redrawn (%s)", result.error)  # Slack's error code, never the text
            return None
        return ResourceResponse(id=activity.id)

    async def delete_activity(self, context: TurnContext, reference: ConversationReference) -> None:
        """Nothing in the companion deletes a sent message."""

    async def _send(self, context: TurnContext, activity: Activity) -> ResourceResponse:
        if activity.type != ActivityTypes.message:
            return ResourceResponse(id="")
        reply = neutral_reply(activity)
        if reply is None:
            return ResourceResponse(id="")
        turn = context.turn_state.setdefault(TURN_KEY, _Turn())
        index, turn.replies = turn.replies, turn.replies + 1
        if not turn.diverted:
            result = await self._delivery.send(_ref(context.activity), slack_message(reply))
            if 200 <= result.status < 300:
                return ResourceResponse(id=result.activity_id)
            if result.status not in TRANSIENT:
                log.error("Slack refused reply %d (%s)", index, result.error)
                return ResourceResponse(id="")
            log.warning("Slack reply %d not delivered in the turn (%s): queued", index, result.error)
            turn.diverted = True
        await self._queue(context, reply, index)
        return ResourceResponse(id="")

    async def _queue(self, context: TurnContext, reply: Reply, index: int) -> None:
        inbound = context.activity
        try:
            queued = await self._outbox.queue(
                QueuedReply(inbound.channel_id or "", inbound.from_property.id or "", inbound.id or "", index, reply)
            )
        except Exception as exc:
            log.error("Slack reply %d lost: could not queue it (%s)", index, type(exc).__name__)
            return
        if not queued:
            log.error("Slack reply %d lost: the person is not registered", index)


def _ref(activity: Activity) -> ConversationRef:
    """Where this turn's replies go: the person's DM in their workspace."""
    tenant = activity.channel_data.get("tenant", {}) if isinstance(activity.channel_data, dict) else {}
    return ConversationRef(
        participant_id=0,
        channel_id=activity.channel_id or "",
        service_url=activity.service_url or "",
        conversation_id=activity.conversation.id or "",
        user_id=activity.from_property.id or "",
        bot_id=activity.recipient.id or "",
        tenant_id=str(tenant.get("id") or ""),
    )
