"""Neutral `Reply` -> Bot Framework activity dict for one channel.

The only place that knows which channel gets what: card channels get an Adaptive Card
1.5 attachment, every other channel plain text. A new channel (Slack Block Kit) is one
more branch in `render`.
"""

from __future__ import annotations

import json
from typing import Any

from channels.markup import plain
from channels.teams_card import adaptive_card
from channels.text import plain_text
from domain.core.reply import Reply

CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
CARD_CHANNELS: frozenset[str] = frozenset({"msteams", "webchat", "emulator", "directline"})
# Channels whose messages carry a whole form (inputs and one Submit): cards, and Slack's Block Kit.
FORM_CHANNELS: frozenset[str] = CARD_CHANNELS | {"slack"}
# Teams refuses messages over about 100 KB; keep headroom for the envelope it adds.
MAX_CARD_BYTES = 80_000
SUMMARY_CHARS = 120


def render(reply: Reply, channel_id: str) -> dict[str, Any]:
    """Render `reply` for `channel_id` as a JSON-ready message activity dict."""
    if (channel_id or "").lower() in CARD_CHANNELS and not _is_plain(reply):
        activity = _card_activity(reply)
        if card_size_bytes(activity) <= MAX_CARD_BYTES:
            return activity
    return _text_activity(reply)


def shows_forms(channel_id: str) -> bool:
    """Whether a multi-input reply arrives as one form here (else the dialog asks step by step)."""
    return (channel_id or "").lower() in FORM_CHANNELS


def _is_plain(reply: Reply) -> bool:
    """Text alone reads better as an ordinary chat message than as a card."""
    return not (reply.title or reply.facts or reply.choices or reply.inputs or reply.actions or reply.sections)


def card_size_bytes(activity: dict[str, Any]) -> int:
    """Size in bytes of the activity as compact UTF-8 JSON (what goes on the wire)."""
    return len(json.dumps(activity, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def _card_activity(reply: Reply) -> dict[str, Any]:
    """A message carrying one Adaptive Card, with a summary for notifications."""
    activity: dict[str, Any] = {
        "type": "message",
        "attachments": [{"contentType": CARD_CONTENT_TYPE, "content": adaptive_card(reply)}],
    }
    if summary := _summary(reply):
        # Why: without a summary Teams notifications and the chat list say only "Sent a card".
        activity["summary"] = summary
    return activity


def _text_activity(reply: Reply) -> dict[str, Any]:
    """A plain text message."""
    return {"type": "message", "text": plain_text(reply), "textFormat": "markdown"}


def _summary(reply: Reply) -> str:
    """The title, else the first line of the text, shortened for a notification."""
    first_line = next((line.strip() for line in plain(reply.text).splitlines() if line.strip()), "")
    summary = plain(reply.title).strip() or first_line
    if len(summary) <= SUMMARY_CHARS:
        return summary
    return summary[: SUMMARY_CHARS - 1].rstrip() + "…"
