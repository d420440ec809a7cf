"""The poll form knows what it answers: its Submit carries a token naming the poll and this showing of
the form. A submit from any other form (an earlier showing, another poll, a form already answered) or
once the poll has closed is refused kindly and stores nothing; the current form still stores.

Forms are clicked as the Emulator's Adaptive Card sends them: the card's Submit data plus the inputs.
"""

from __future__ import annotations

from typing import Any

from botbuilder.schema import Activity
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.store import SqlStore
from tests.dialogs.chat import Chat, make_bot
from tests.dialogs.test_polls_dialog import FAC, CardChat, card, cohort_of, create_poll
from tests.dialogs.test_stale_cards import OUT_OF_DATE, _count


def _submit(form: Activity, **answers: str) -> dict[str, Any]:
    """What Teams sends when Submit is pressed on `form` with these inputs filled in."""
    [submit] = [a for a in card(form)["actions"] if a["title"] == "Submit"]
    return {**submit["data"], **answers}


async def _named_answers(engine: AsyncEngine, poll_id: int) -> dict[str, Any] | None:
    async with SqlStore(engine).transaction() as uow:
        return await uow.polls.named_answers(poll_id, 1)


async def test_an_earlier_showing_of_the_form_never_answers(engine: AsyncEngine) -> None:
    await cohort_of(engine, ["p1"], channel="emulator")
    bot = make_bot(engine, FAC)
    await create_poll(Chat(bot, "fac-1", "Fran"), privacy="2")
    me = CardChat(bot, "p1")
    [old] = await me.send("poll answer 1")
    assert _submit(old)["ask"].startswith("poll:1:")
    await me.send("cancel")
    [current] = await me.send("poll answer 1")
    assert _submit(current)["ask"] != _submit(old)["ask"]
    refused = await me.send(value=_submit(old, met="4+"))
    assert refused[0].text.startswith(OUT_OF_DATE) and "waiting on now" in refused[0].text
    assert card(refused[-1])["actions"][0]["data"] == _submit(current)  # the current form, again
    assert await _named_answers(engine, 1) is None
    [thanks] = await me.send(value=_submit(current, met="1"))
    assert "Thank you" in thanks.text and await _named_answers(engine, 1) == {"met": "1"}
    again = await me.send(value=_submit(current, met="3"))  # the answered form: nothing waits on it now
    assert again[0].text.startswith(OUT_OF_DATE) and "nothing is waiting" in again[0].text
    assert await _named_answers(engine, 1) == {"met": "1"}


async def test_a_form_for_another_poll_never_answers_this_one(engine: AsyncEngine) -> None:
    await cohort_of(engine, ["p1"], channel="emulator")
    bot = make_bot(engine, FAC)
    fran = Chat(bot, "fac-1", "Fran")
    await create_poll(fran, privacy="2")
    await create_poll(fran, privacy="2")  # the same questions, poll 2
    me = CardChat(bot, "p1")
    [first] = await me.send("poll answer 1")
    [second] = await me.send(value={"command": "poll answer 2", "card": "poll:2:open"})  # its invitation
    refused = await me.send(value=_submit(first, met="4+"))
    assert refused[0].text.startswith(OUT_OF_DATE)
    assert await _named_answers(engine, 1) is None and await _named_answers(engine, 2) is None
    await me.send(value=_submit(second, met="2"))
    assert await _named_answers(engine, 2) == {"met": "2"} and await _named_answers(engine, 1) is None


async def test_a_form_submitted_after_the_poll_closed_stores_nothing(engine: AsyncEngine) -> None:
    await cohort_of(engine, ["p1"], channel="emulator")
    bot = make_bot(engine, FAC)
    fran = Chat(bot, "fac-1", "Fran")
    await create_poll(fran)  # anonymous
    me = CardChat(bot, "p1")
    [form] = await me.send("poll answer 1")
    await fran.say("close poll 1")
    refused = await me.send(value=_submit(form, met="4+"))
    assert refused[0].text.startswith(OUT_OF_DATE)
    assert "closed" in refused[1].text and "no longer takes answers" in refused[1].text
    assert await _count(engine, "poll_responders") == 0
    assert await _count(engine, "poll_anonymous_answers") + await _count(engine, "poll_held_answers") == 0
    again = await me.send(value=_submit(form, met="4+"))  # the dialog has ended: still nothing stored
    assert again[0].text.startswith(OUT_OF_DATE) and await _count(engine, "poll_responders") == 0
