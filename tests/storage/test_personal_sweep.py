"""Sweeping copies of someone's words out of queued messages and dialog state, on both databases:
whole words and phrases only, case-sensitive, accents and quotes as JSON stores them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.core.clock import FixedClock
from domain.core.identity import Identity, register
from domain.core.model import NewOutboxMessage, OutboxStatus
from storage.sql_storage import SqlStorage
from storage.store import SqlStore
from storage.tables import BotStateRow

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
TEXTS = {
    "name": "Al",
    "accented": "Zoë O'Brien-Núñez",
    "quoted": 'She said "keep going"',
}


@pytest.mark.parametrize(
    ("payload", "withdrawn"),
    [
        ({"text": "Al is leaving"}, True),
        ({"text": "Also, all is well"}, False),  # "Al" inside another word
        ({"text": "AL is shouting"}, False),  # case matters: names are matched as typed
        ({"facts": [{"title": "With", "value": "Zoë O'Brien-Núñez"}]}, True),
        ({"text": 'A note: She said "keep going" today'}, True),
        ({"text": "Nothing about anyone"}, False),
    ],
)
async def test_queued_messages_holding_the_words_are_withdrawn(
    engine: AsyncEngine, payload: dict[str, object], withdrawn: bool
) -> None:
    store = SqlStore(engine)
    person = await register(store, Identity("msteams", "29:x", "X", ""), None, NOW)
    async with store.transaction() as uow:
        await uow.outbox.enqueue([NewOutboxMessage("k", "note", person.id, payload, NOW)], NOW)
        changed = await uow.outbox.withdraw_mentioning(list(TEXTS.values()))
    async with store.reading() as uow:
        (message,) = await uow.outbox.list_for(person.id)
    assert changed == int(withdrawn)
    expected = (OutboxStatus.CANCELLED, {}) if withdrawn else (OutboxStatus.PENDING, payload)
    assert (message.status, message.payload) == expected


async def test_dialog_state_holding_the_words_is_forgotten(engine: AsyncEngine) -> None:
    storage = SqlStorage(engine, FixedClock(NOW))
    await storage.write(
        {
            "msteams/conversations/a:1": {"DialogState": {"draft": "Zoë O'Brien-Núñez asked"}},
            "msteams/conversations/a:2": {"DialogState": {"draft": "Also fine"}},
            "msteams/conversations/a:3": {"DialogState": {"draft": 'She said "keep going"'}},
        }
    )
    async with SqlStore(engine).transaction() as uow:
        assert await uow.dialog_state.forget_mentioning(list(TEXTS.values())) == 2
        assert await uow.dialog_state.has_conversation("a:2")
        assert not await uow.dialog_state.has_conversation("a:")  # the whole id, not a prefix
        assert await uow.dialog_state.forget_conversation("a:2") == 1
    async with engine.connect() as conn:
        assert list(await conn.scalars(select(BotStateRow.key))) == []


async def test_withdrawing_by_key_prefix_cancels_unsent_and_clears_every_payload(engine: AsyncEngine) -> None:
    store = SqlStore(engine)
    person = await register(store, Identity("msteams", "29:y", "Y", ""), None, NOW)
    async with store.transaction() as uow:
        messages = [NewOutboxMessage(k, "note", person.id, {"text": k}, NOW) for k in ("intro:1:5:0", "intro:12:5:0")]
        await uow.outbox.enqueue(messages, NOW)
        assert await uow.outbox.withdraw(["intro:1:"]) == 1
        with pytest.raises(ValueError):
            await uow.outbox.withdraw([""])
    async with store.reading() as uow:
        stored = {m.idempotency_key: (m.status, m.payload) for m in await uow.outbox.list_for(person.id)}
    assert stored == {
        "intro:1:5:0": (OutboxStatus.CANCELLED, {}),
        "intro:12:5:0": (OutboxStatus.PENDING, {"text": "intro:12:5:0"}),
    }
