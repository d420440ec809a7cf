"""Old cards over the Teams wire: real HTTP to the running app, the fake Bot Connector recording what
Teams would show. A card button is pressed exactly as Teams sends it (a message activity whose `value`
is the Action.Submit's data, copied from the card the connector received) after the card has been
superseded. The kind refusal arrives, and nothing acted: the database is as it was and no outbox row
was added.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from bot import ENGINE
from domain.core.clock import FixedClock
from tests.e2e.harness import Harness, TeamsUser, card_text, running, settings_for
from tests.e2e.test_guide_delivery import MONDAY_LAUNCH, _paired_couple

OUT_OF_DATE = "That card is out of date, so I haven't acted on it"


def _submit(message: dict[str, Any], title: str) -> dict[str, Any]:
    """The data of the card's Action.Submit titled `title`: what Teams posts back as `value`."""
    actions = message["attachments"][0]["content"]["actions"]
    return dict(next(a["data"] for a in actions if a["title"].startswith(title)))


async def _rows(h: Harness, table: str, where: str = "1=1") -> int:
    async with h.app[ENGINE].connect() as connection:
        return int((await connection.execute(text(f"SELECT count(*) FROM {table} WHERE {where}"))).scalar_one())


async def _next(h: Harness, person: TeamsUser) -> dict[str, Any]:
    """The next message the connector receives for the person (sent from the outbox)."""
    await h.connector.wait_for(lambda _: len(person.all_messages()) > person.seen)
    return person.new_messages()[-1]


async def test_an_old_confirmation_pressed_over_the_wire_never_ends_a_partnership(database_url: str) -> None:
    settings = settings_for(database_url, facilitators=frozenset({"aad-fran"}))
    async with running(settings, FixedClock(MONDAY_LAUNCH)) as h:
        fran, asha, ben = await _paired_couple(h)

        async def ask() -> dict[str, Any]:
            for step in ("end partnership", "1"):
                await fran.say(step)
            [question] = await fran.say("A partner left the trust")
            assert "End this partnership" in card_text(question)
            return question

        first = await ask()
        assert _submit(first, "Yes")["ask"]  # the card names its question
        assert "nothing has changed" in card_text((await fran.press(_submit(first, "Not now")))[-1])
        second = await ask()
        outbox = await _rows(h, "outbox")
        replies = await fran.press(_submit(first, "Yes"))  # the superseded card's Yes, as Teams sends it
        assert OUT_OF_DATE in card_text(replies[0]) and "waiting on now" in card_text(replies[0])
        assert _submit(replies[-1], "Yes") == _submit(second, "Yes")  # the pending question, shown again
        assert await _rows(h, "partnerships", "ended_at IS NULL") == 1
        assert await _rows(h, "outbox") == outbox
        assert asha.new_messages() == [] and ben.new_messages() == []
        ended = await fran.press(_submit(second, "Yes"))  # the current card still acts
        assert OUT_OF_DATE not in card_text(ended[-1])
        assert await _rows(h, "partnerships", "ended_at IS NULL") == 0


async def test_an_old_meeting_suggestion_pressed_over_the_wire_never_accepts_the_newer_one(
    database_url: str,
) -> None:
    settings = settings_for(database_url, facilitators=frozenset({"aad-fran"}))
    async with running(settings, FixedClock(MONDAY_LAUNCH)) as h:
        _, asha, ben = await _paired_couple(h)
        for step in ("meet next Tuesday 2pm", "1 hour", "Teams call", "No agenda", "Just this once", "yes"):
            await asha.say(step)
        first = await _next(h, ben)
        for step in ("meeting suggest 1", "Thursday 10am", "yes"):  # Asha offers another time instead
            await asha.say(step)
        second = await _next(h, ben)
        assert "Thursday 4 March 2027" in card_text(second)
        asha.new_messages()
        outbox, meetings = await _rows(h, "outbox"), await _rows(h, "meetings", "status = 'proposed'")
        replies = await ben.press(_submit(first, "Tuesday"))
        assert OUT_OF_DATE in card_text(replies[0])
        assert "Waiting for an answer" in card_text(replies[-1]) and "Thursday 4 March 2027" in card_text(replies[-1])
        assert await _rows(h, "meetings", "status = 'confirmed'") == 0
        assert await _rows(h, "meetings", "status = 'proposed'") == meetings == 1
        assert await _rows(h, "outbox") == outbox and asha.new_messages() == []
        booked = await ben.press(_submit(second, "Thursday"))
        assert "Meeting confirmed" in card_text(booked[-1])
        assert await _rows(h, "meetings", "status = 'confirmed'") == 1
