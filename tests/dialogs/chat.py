"""Dialog-test helpers: the real CompanionBot on a real database, driven through
botbuilder-core's TestAdapter (channel "test", so replies arrive as plain text)."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime
from typing import Any

from botbuilder.core import ConversationState
from botbuilder.core.adapters import TestAdapter
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount, ConversationAccount
from sqlalchemy.ext.asyncio import AsyncEngine

from channels.outgoing import neutral_reply
from channels.text import plain_text
from config import Settings
from dialogs.common import Services
from dialogs.companion import CompanionBot
from domain.core.clock import FixedClock
from domain.core.content import load_profile_questions
from domain.core.reply import ASK_TOKEN, Reply
from domain.guide.content import load_guide
from storage.sql_storage import SqlStorage
from storage.store import SqlStore

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
GUIDE = load_guide()
_ids = itertools.count(1)


def make_bot(
    engine: AsyncEngine,
    facilitators: frozenset[str] = frozenset(),
    clock: FixedClock | None = None,
    wakes: list[int] | None = None,
) -> CompanionBot:
    """A bot as the composition root builds it, minus HTTP."""
    services = Services(
        store=SqlStore(engine),
        clock=clock or FixedClock(NOW),
        settings=Settings(facilitators=facilitators),
        profile_questions=load_profile_questions().questions,
        guide=GUIDE,
        wake_dispatcher=(lambda: wakes.append(1)) if wakes is not None else (lambda: None),
        rng=random.Random(7),
    )
    return CompanionBot(services, ConversationState(SqlStorage(engine)))


class Chat:
    """One person's 1:1 conversation with a bot (on a card channel, e.g. "msteams", with `channel`)."""

    def __init__(
        self, bot: CompanionBot, user_id: str = "user-1", name: str = "Sam Doe", channel: str = "test"
    ) -> None:
        self.adapter = TestAdapter(
            bot.on_turn,
            Activity(
                channel_id=channel,
                service_url="https://test.example/",
                from_property=ChannelAccount(id=user_id, name=name),
                recipient=ChannelAccount(id="bot", name="PLP Companion"),
                conversation=ConversationAccount(id=f"conv-{user_id}", conversation_type="personal"),
            ),
        )
        self.cards: list[Reply] = []  # every neutral reply, as the bot built it (tokens included)
        self.activities: list[Activity] = []  # every reply as rendered for the channel (cards as attachments)

    @property
    def token(self) -> str:
        """The token of the newest question card."""
        return next(card.token for card in reversed(self.cards) if card.token)

    def click(self, choice: str, token: str) -> dict[str, Any]:
        """A card button's submit value, as the card for `token` carries it."""
        return {"choice": choice, ASK_TOKEN: token}

    @property
    def updated(self) -> list[Reply]:
        """Cards the bot redrew in place, oldest first."""
        return [r for a in self.adapter.updated_activities if (r := neutral_reply(a)) is not None]

    async def say(self, text: str = "", value: dict[str, Any] | None = None) -> list[str]:
        """Send text (or a card submit value); return the texts of the bot's replies (a card's as plain text)."""
        activity = Activity(type=ActivityTypes.message, text=text or None, value=value, id=f"t-{next(_ids)}")
        await self.adapter.receive_activity(activity)
        replies = []
        while (reply := self.adapter.get_next_activity()) is not None:
            self.activities.append(reply)
            neutral = neutral_reply(reply)
            replies.append(reply.text or (plain_text(neutral) if neutral is not None else ""))
            if neutral is not None:
                self.cards.append(neutral)
        return replies

    def card(self, index: int = -1) -> dict[str, Any]:
        """The Adaptive Card of a reply on a card channel (the newest by default)."""
        content = self.activities[index].attachments[0].content
        assert isinstance(content, dict)
        return content

    async def last(self, text: str = "", value: dict[str, Any] | None = None) -> str:
        """The bot's last reply to this message."""
        replies = await self.say(text, value)
        assert replies, f"no reply to {text or value!r}"
        return replies[-1]
