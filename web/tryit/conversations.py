"""The Direct Line conversations of the browser chat, kept in memory (local development only).

Each conversation is an ordered list of activities, the person's and the bot's, numbered
from 0: the Direct Line watermark is how many a client has already seen. Only the newest
`keep` activities are kept and at most `max_conversations` conversations (the least recently
used goes first), so a long session cannot grow without bound. A restart starts empty: the
companion's own records (enrolment, pairs, meetings) live in the database, not here.
"""

from __future__ import annotations

import secrets
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

Activity = dict[str, Any]
DEFAULT_KEEP = 500
DEFAULT_MAX_CONVERSATIONS = 64


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Conversation:
    """One person's chat with the bot."""

    id: str
    user_id: str
    user_name: str
    activities: list[Activity] = field(default_factory=list)
    first: int = 0  # the watermark of activities[0] (older ones were dropped)
    opened: bool = False  # a page has started it (the bot was told the person joined)

    @property
    def watermark(self) -> int:
        """How many activities this conversation has had."""
        return self.first + len(self.activities)


class Conversations:
    """Every browser conversation, by id."""

    def __init__(
        self,
        *,
        keep: int = DEFAULT_KEEP,
        max_conversations: int = DEFAULT_MAX_CONVERSATIONS,
        now: Callable[[], datetime] = _utc_now,
    ) -> None:
        self._keep, self._max = keep, max_conversations
        self._now = now
        self._run = secrets.token_hex(4)  # activity ids stay unique across restarts (the bot remembers ids)
        self._items: OrderedDict[str, Conversation] = OrderedDict()

    def get(self, conversation_id: str) -> Conversation | None:
        """The conversation, if it exists."""
        found = self._items.get(conversation_id)
        if found is not None:
            self._items.move_to_end(conversation_id)
        return found

    def ensure(self, conversation_id: str, user_id: str, user_name: str) -> Conversation:
        """The conversation, created empty if it does not exist yet."""
        found = self.get(conversation_id)
        if found is not None:
            return found
        while len(self._items) >= self._max:
            self._items.popitem(last=False)
        created = Conversation(conversation_id, user_id, user_name)
        self._items[conversation_id] = created
        return created

    def open(self, conversation_id: str, user_id: str, user_name: str) -> bool:
        """Start the conversation for a page; True only the first time (the bot greets once)."""
        conversation = self.ensure(conversation_id, user_id, user_name)
        first, conversation.opened = not conversation.opened, True
        return first

    def append(self, conversation_id: str, activity: Activity, activity_id: str = "") -> Activity:
        """Add an activity (id and timestamp filled in); returns the stored copy."""
        conversation = self._items[conversation_id]
        stored = {
            **activity,
            "id": activity_id or f"{self._run}.{conversation.watermark:07d}",
            "timestamp": self._now().isoformat().replace("+00:00", "Z"),
            "conversation": {"id": conversation_id},
        }
        conversation.activities.append(stored)
        if len(conversation.activities) > self._keep:
            dropped = len(conversation.activities) - self._keep
            del conversation.activities[:dropped]
            conversation.first += dropped
        return stored

    def next_id(self, conversation_id: str) -> str:
        """The id the next appended activity will get (the bot sees it before the page does)."""
        return f"{self._run}.{self._items[conversation_id].watermark:07d}"

    def since(self, conversation_id: str, watermark: int) -> tuple[list[Activity], int]:
        """Activities from `watermark` on (all that are kept, if it is older), and the new watermark."""
        conversation = self._items[conversation_id]
        start = max(watermark, conversation.first) - conversation.first
        return list(conversation.activities[start:]), conversation.watermark
