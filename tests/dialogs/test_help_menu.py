"""Help by role and state: a partner sees the few things that fit where they are; a
facilitator a grouped menu; everything one tap away; no repeated "support: support"."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.dialogs.chat import Chat, make_bot
from tests.dialogs.test_stale_cards import FAC
from tests.dialogs.test_stale_cards import paired as paired  # the fixture


def _buttons(chat: Chat) -> list[str]:
    return [a.title for a in chat.cards[-1].actions]


async def test_someone_not_enrolled_is_offered_join_not_meetings(engine: AsyncEngine) -> None:
    chat = Chat(make_bot(engine, FAC), "u-new", "Nia")
    await chat.say("help")
    assert _buttons(chat) == ["Join a cohort", "Support", "Everything I can do"]


async def test_a_paired_partner_sees_meet_first_and_no_join(engine: AsyncEngine, paired: dict[str, int]) -> None:
    asha = Chat(make_bot(engine, FAC), "u-a", "Asha")
    await asha.say("help")
    buttons = _buttons(asha)
    assert buttons[0] == "Propose a meeting" and "Join a cohort" not in buttons
    assert 4 <= len(buttons) <= 6 and buttons[-1] == "Everything I can do"


async def test_with_a_meeting_booked_meetings_come_first(engine: AsyncEngine, paired: dict[str, int]) -> None:
    bot = make_bot(engine, FAC)
    asha, ben = Chat(bot, "u-a", "Asha"), Chat(bot, "u-b", "Ben")
    for step in ("meet next Tuesday 2pm", "1 hour", "Teams call", "No agenda", "Just this once", "yes"):
        await asha.say(step)
    async with engine.connect() as connection:
        meeting_id = (await connection.execute(text("SELECT max(id) FROM meetings"))).scalar_one()
    await ben.say(value={"command": f"meeting accept {meeting_id} 0"})
    assert "meeting booked" in await asha.last("help")
    assert _buttons(asha)[:2] == ["Our meetings", "We've met"]


async def test_a_facilitator_gets_groups_and_everything_one_tap_away(engine: AsyncEngine) -> None:
    fran = Chat(make_bot(engine, FAC), "fac-1", "Fran")
    await fran.say("help")
    menu = fran.cards[-1]
    assert [a.title for a in menu.actions] == [
        "People & pairs",
        "Programme health",
        "Messages & polls",
        "Group sessions",
        "Admin",
        "Everything I can do",
    ]
    await fran.say(value=dict(menu.actions[0].data))
    assert "Pair two people" in _buttons(fran)
    everything = await fran.last(value={"command": "help all"})
    assert "**audit**" in everything and "**join**" in everything
    assert "support: support" not in everything.lower() and "**support**: support" not in everything


async def test_not_understood_is_short_with_help_one_tap_away(engine: AsyncEngine) -> None:
    fran = Chat(make_bot(engine, FAC), "fac-1", "Fran")
    reply = await fran.last("flibbertigibbet")
    assert "didn't catch" in reply and len(reply.splitlines()) <= 6
    assert _buttons(fran) == ["Help", "Everything"]
