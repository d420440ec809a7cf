"""SqlStorage: botbuilder Storage semantics (like MemoryStorage) on the bot_state table,
and dialog state that survives a restart."""

from __future__ import annotations

import asyncio

import pytest
from botbuilder.core import ConversationState, MessageFactory, StoreItem, TurnContext
from botbuilder.core.adapters import TestAdapter
from botbuilder.dialogs import DialogSet, DialogTurnResult, DialogTurnStatus, WaterfallDialog, WaterfallStepContext
from botbuilder.dialogs.prompts import PromptOptions, TextPrompt
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.sql_storage import SqlStorage

ODD_KEY = "msteams/conversations/a:1Xy_%20 'quoted' \"double\" ü/ünï"


@pytest.fixture
def storage(engine: AsyncEngine) -> SqlStorage:
    return SqlStorage(engine)


async def test_round_trip_of_dicts_with_any_key(storage: SqlStorage) -> None:
    await storage.write({ODD_KEY: {"count": 1, "nested": {"items": [1, "two", None]}}, "plain": {"x": True}})
    items = await storage.read([ODD_KEY, "plain", "missing"])
    assert set(items) == {ODD_KEY, "plain"}
    odd = items[ODD_KEY]
    assert {k: v for k, v in odd.items() if k != "e_tag"} == {"count": 1, "nested": {"items": [1, "two", None]}}
    assert isinstance(odd["e_tag"], str) and odd["e_tag"] and odd["e_tag"] != items["plain"]["e_tag"]
    assert await storage.read([]) == {}


async def test_a_second_instance_reads_what_the_first_wrote(engine: AsyncEngine) -> None:
    await SqlStorage(engine).write({"k": {"v": 1}})
    assert (await SqlStorage(engine).read(["k"]))["k"]["v"] == 1


async def test_each_write_gets_a_fresh_e_tag(storage: SqlStorage) -> None:
    await storage.write({"k": {"v": 1}})
    first = (await storage.read(["k"]))["k"]
    first["v"] = 2
    await storage.write({"k": first})
    second = (await storage.read(["k"]))["k"]
    assert second["v"] == 2 and second["e_tag"] != first["e_tag"]


async def test_stale_e_tag_raises_and_changes_nothing(storage: SqlStorage) -> None:
    await storage.write({"k": {"v": 1}, "other": {"v": 1}})
    stale = (await storage.read(["k"]))["k"]
    await storage.write({"k": {**stale, "v": 2}})
    with pytest.raises(KeyError, match="e_tag conflict"):
        # "other" comes first and carries no e_tag: it must not be stored either.
        await storage.write({"other": {"v": 99}, "k": {**stale, "v": 3}})
    items = await storage.read(["k", "other"])
    assert (items["k"]["v"], items["other"]["v"]) == (2, 1)


async def test_star_or_no_e_tag_overwrites(storage: SqlStorage) -> None:
    await storage.write({"k": {"v": 1}})
    await storage.write({"k": {"v": 2, "e_tag": "*"}})
    assert (await storage.read(["k"]))["k"]["v"] == 2
    await storage.write({"k": {"v": 3}})
    assert (await storage.read(["k"]))["k"]["v"] == 3


async def test_e_tag_on_a_missing_key_inserts_it(storage: SqlStorage) -> None:
    await storage.write({"k": {"v": 1, "e_tag": "from-an-earlier-life"}})
    assert (await storage.read(["k"]))["k"]["v"] == 1


async def test_concurrent_writers_of_one_version_exactly_one_wins(storage: SqlStorage) -> None:
    await storage.write({"k": {"v": 0}})
    read = (await storage.read(["k"]))["k"]
    results = await asyncio.gather(
        *(storage.write({"k": {**read, "v": n}}) for n in range(1, 5)), return_exceptions=True
    )
    winners = [n for n, result in enumerate(results, start=1) if result is None]
    assert len(winners) == 1
    assert all(isinstance(result, KeyError) for result in results if result is not None)
    assert (await storage.read(["k"]))["k"]["v"] == winners[0]


async def test_concurrent_inserts_of_a_new_key_with_e_tag_one_wins(storage: SqlStorage) -> None:
    results = await asyncio.gather(
        *(storage.write({"new": {"v": n, "e_tag": "guess"}}) for n in range(3)), return_exceptions=True
    )
    assert sum(result is None for result in results) == 1
    assert all(isinstance(result, KeyError) for result in results if result is not None)


async def test_objects_carry_the_e_tag_as_an_attribute(storage: SqlStorage) -> None:
    await storage.write({"item": StoreItem(count=1)})
    item = (await storage.read(["item"]))["item"]
    assert isinstance(item, StoreItem) and item.count == 1 and item.e_tag
    item.e_tag = "stale"
    with pytest.raises(KeyError):
        await storage.write({"item": item})


async def test_delete_removes_keys_and_ignores_missing_ones(storage: SqlStorage) -> None:
    await storage.write({"a": {"v": 1}, "b": {"v": 2}})
    await storage.delete(["a", "never-written"])
    await storage.delete([])
    assert set(await storage.read(["a", "b"])) == {"b"}


async def test_write_none_raises_and_empty_write_is_a_no_op(storage: SqlStorage) -> None:
    with pytest.raises(ValueError):
        await storage.write(None)
    await storage.write({})
    assert await storage.read(["anything"]) == {}


async def test_over_long_keys_are_refused_on_every_backend(storage: SqlStorage) -> None:
    with pytest.raises(ValueError, match="600"):
        await storage.write({"k" * 601: {"v": 1}})


class NameBot:
    """A two-step waterfall: ask a name (TextPrompt), then greet with it."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.state = ConversationState(SqlStorage(engine))
        self.dialogs = DialogSet(self.state.create_property("DialogState"))
        self.dialogs.add(TextPrompt("name"))
        self.dialogs.add(WaterfallDialog("intro", [self.ask, self.greet]))

    async def ask(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Step 1: ask for a name."""
        return await step.prompt("name", PromptOptions(prompt=MessageFactory.text("What is your name?")))

    async def greet(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Step 2: greet with the answer."""
        await step.context.send_activity(f"Step 2: hello {step.result}")
        return await step.end_dialog()

    async def on_turn(self, turn_context: TurnContext) -> None:
        """Continue the active dialog or start one; persist the dialog stack."""
        dialog_context = await self.dialogs.create_context(turn_context)
        result = await dialog_context.continue_dialog()
        if result.status == DialogTurnStatus.Empty:
            await dialog_context.begin_dialog("intro")
        await self.state.save_changes(turn_context)


async def test_dialog_resumes_after_a_restart(engine: AsyncEngine) -> None:
    before_restart = TestAdapter(NameBot(engine).on_turn)
    await (await before_restart.send("hi")).assert_reply("What is your name?")

    # New storage, state and dialog set: only the database remembers the waterfall.
    after_restart = TestAdapter(NameBot(engine).on_turn)
    await (await after_restart.send("Ada")).assert_reply("Step 2: hello Ada")

    # The dialog ended on that turn, so a third instance starts afresh.
    third = TestAdapter(NameBot(engine).on_turn)
    await (await third.send("hello again")).assert_reply("What is your name?")
