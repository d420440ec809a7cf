"""Outgoing activities that remember the neutral `Reply` they were rendered from.

A reply Teams will not take within the turn goes to the outbox, which stores neutral
replies and renders them when it sends; so the activity `say` hands to botbuilder carries
its `Reply` along (an attribute outside the activity's serialisation map, so never on the
wire, and kept by the deep copy botbuilder makes of every outgoing activity).
"""

from __future__ import annotations

from botbuilder.schema import Activity

from channels.render import render
from domain.core.reply import Reply

_NEUTRAL = "plp_neutral_reply"
# The body Teams expects back from an Adaptive Card action invoke once it has been handled.
INVOKE_OK = {"statusCode": 200, "type": "application/vnd.microsoft.activity.message", "value": "Thanks"}


def reply_activity(reply: Reply, channel_id: str) -> Activity:
    """The rendered activity for `channel_id`, carrying `reply` for a later outbox fallback."""
    activity = Activity().deserialize(render(reply, channel_id))
    setattr(activity, _NEUTRAL, reply)
    return activity


def neutral_reply(activity: Activity) -> Reply | None:
    """The `Reply` an activity was rendered from; plain text for others; None when neither."""
    attached = getattr(activity, _NEUTRAL, None)
    if isinstance(attached, Reply):
        return attached
    text = getattr(activity, "text", None)
    return Reply(text=text) if isinstance(text, str) and text.strip() else None
