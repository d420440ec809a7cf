"""`TurnAdapter`: botbuilder's CloudAdapter with in-turn replies and updates on our own path.

The seam is the adapter's `send_activities` / `update_activity`, which `TurnContext` calls
for everything a turn sends. Messages (and typing indicators) are posted by `ReplyPoster`:
our aiohttp client, cached token, the shared rate budget, retries within the turn's budget.
Invoke responses, traces and delays keep botbuilder's handling (the invoke response stays
on the turn for `process_activity` to return). A message that still fails for a passing
reason is queued in the outbox; once one reply of a turn is queued, the turn's later replies
follow it there, in order. Nothing here raises: a reply Teams refuses for good (400, 403,
404) is logged as an error and the turn carries on, because failing the turn would wipe
the person's dialog and tell them something failed when the work itself was done (a
facilitator told their broadcast failed would send it again).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity, ActivityTypes, ResourceResponse
from botframework.connector.auth import BotFrameworkAuthentication

from channels.outgoing import neutral_reply
from scheduling.replies import Delivery, ReplyPoster, activities_path
from scheduling.reply_outbox import QueuedReply, ReplyOutbox

log = logging.getLogger(__name__)
TURN_KEY = "plp.reply_turn"
KEPT_BY_BOTBUILDER = frozenset({ActivityTypes.invoke_response, ActivityTypes.trace, "delay"})


@dataclass
class _Turn:
    """One turn's reply budget and bookkeeping."""

    deadline: float
    inbound_id: str
    replies: int = 0
    diverted: bool = False  # a reply went to the outbox: the rest of the turn's replies follow it
    lost: int = 0  # messages neither delivered nor queued (Teams refused them, or the outbox did)


class TurnAdapter(CloudAdapter):
    """CloudAdapter whose in-turn sends go through `ReplyPoster`, falling back to the outbox."""

    def __init__(
        self,
        authentication: BotFrameworkAuthentication,
        poster: ReplyPoster,
        outbox: ReplyOutbox,
        budget_seconds: float,
    ) -> None:
        super().__init__(authentication)
        self._poster, self._outbox, self._budget = poster, outbox, budget_seconds

    async def run_pipeline(
        self, context: TurnContext, callback: Callable[[TurnContext], Awaitable[Any]] | None = None
    ) -> Any:
        """Start the turn's reply budget, then run the turn as botbuilder does."""
        self._turn(context)
        return await super().run_pipeline(context, callback)

    async def send_activities(self, context: TurnContext, activities: list[Activity]) -> list[ResourceResponse]:
        """Each activity in order: ours to post (or queue), or botbuilder's to keep."""
        responses: list[ResourceResponse] = []
        for activity in activities:
            if activity.type in KEPT_BY_BOTBUILDER:
                responses.extend(await super().send_activities(context, [activity]))
            else:
                responses.append(await self._send(context, activity))
        return responses

    async def update_activity(self, context: TurnContext, activity: Activity) -> ResourceResponse | None:
        """Replace a sent activity; one left stale is harmless (its card's token is already spent)."""
        path = activities_path(activity.conversation.id, activity.id or "")
        delivery = await self._post(context, "PUT", path, activity)
        if delivery.sent:
            return ResourceResponse(id=delivery.activity_id or activity.id)
        log.warning("activity update not delivered (%s)", delivery.error)
        return None

    async def _send(self, context: TurnContext, activity: Activity) -> ResourceResponse:
        """Post it, unless this turn already diverted to the outbox; a passing failure diverts it."""
        turn = self._turn(context)
        is_message = activity.type == ActivityTypes.message
        index, turn.replies = turn.replies, turn.replies + int(is_message)
        if not turn.diverted:
            path = activities_path(activity.conversation.id, activity.reply_to_id or "")
            delivery = await self._post(context, "POST", path, activity)
            if delivery.sent:
                return ResourceResponse(id=delivery.activity_id)
            if not delivery.transient:
                log.error("reply %d refused by the connector (%s)", index, delivery.error)
                turn.lost += int(is_message)
                return ResourceResponse(id="")
            log.warning("reply %d not delivered within the turn (%s)", index, delivery.error)
            turn.diverted = True
        if is_message:  # a typing indicator that missed its moment is not worth keeping
            await self._queue(context, activity, turn, index)
        return ResourceResponse(id="")

    async def _post(self, context: TurnContext, method: str, path: str, activity: Activity) -> Delivery:
        turn = self._turn(context)
        body = activity.serialize()
        return await self._poster.call(
            method, activity.service_url, path, body, activity.conversation.id, turn.deadline
        )

    async def _queue(self, context: TurnContext, activity: Activity, turn: _Turn, index: int) -> None:
        """Hand the reply to the outbox; only a reply with nobody to queue it for is lost (logged)."""
        inbound = context.activity
        reply = neutral_reply(activity)
        sender = getattr(inbound.from_property, "id", None) or ""
        if reply is None or not sender or not _is_personal(inbound):
            log.error("reply %d lost: nothing to queue it for", index)
            turn.lost += 1
            return
        try:
            queued = await self._outbox.queue(QueuedReply(inbound.channel_id, sender, turn.inbound_id, index, reply))
        except Exception as exc:
            log.error("reply %d lost: could not queue it (%s)", index, type(exc).__name__)
            turn.lost += 1
            return
        if queued:
            log.info("reply %d queued to the outbox", index)
        else:
            log.error("reply %d lost: the person is not registered", index)
            turn.lost += 1

    def _turn(self, context: TurnContext) -> _Turn:
        """This turn's budget, started the first time it is asked for."""
        turn = context.turn_state.get(TURN_KEY)
        if not isinstance(turn, _Turn):
            inbound_id = context.activity.id or uuid.uuid4().hex  # keys stay unique without an id
            turn = _Turn(self._poster.deadline(self._budget), inbound_id)
            context.turn_state[TURN_KEY] = turn
        return turn


def lost_replies(context: TurnContext) -> int:
    """How many of this turn's messages reached neither the person nor the outbox (0 before any)."""
    turn = context.turn_state.get(TURN_KEY)
    return turn.lost if isinstance(turn, _Turn) else 0


def _is_personal(activity: Activity) -> bool:
    """Only a 1:1 chat's reply can be queued: the outbox reaches people in their personal chat."""
    conversation = activity.conversation
    if conversation is None or conversation.is_group:
        return False
    return (conversation.conversation_type or "personal") == "personal"
