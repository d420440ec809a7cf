"""What happens when a turn fails: the person is told, then their dialog is cleared.

The apology comes first and needs nothing from the database: the failure may be the
database itself (a full disk fails every write, and botbuilder's own `ConversationState.delete`
raises when the turn failed before dialog state loaded). If the apology reaches neither the
person nor the outbox, `ApologyLost` is raised: the endpoint then answers 500 and releases the
activity's claim, so Teams delivers it again instead of believing it was handled.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from botbuilder.core import ConversationState, TurnContext

from channels.outgoing import reply_activity
from domain.core.reply import Reply
from scheduling.turn_adapter import lost_replies
from web.logsafe import error_summary

log = logging.getLogger("plp")
APOLOGY = "Sorry, something went wrong on my side. Please try again, or type **help**."


class ApologyLost(RuntimeError):
    """A turn failed and the person could not be told: the channel must retry the activity."""


def on_turn_error(state: ConversationState) -> Callable[[TurnContext, Exception], Awaitable[None]]:
    """botbuilder's `on_turn_error` for the companion."""

    async def on_error(context: TurnContext, error: Exception) -> None:
        """Log safely, apologise, then clear the dialog so the person can start again."""
        log.error("turn failed: %s", error_summary(error))
        lost = lost_replies(context)
        await context.send_activity(reply_activity(Reply(text=APOLOGY), context.activity.channel_id or ""))
        if lost_replies(context) > lost:
            raise ApologyLost("the person could not be told that their turn failed") from error
        try:
            await state.clear_state(context)
            await state.save_changes(context, force=True)
        except Exception as clear_error:
            log.error("could not clear the failed turn's dialog: %s", error_summary(clear_error))

    return on_error
