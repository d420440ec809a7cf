"""One greeting per person, over real HTTP with authentic payloads.

Teams announces a personal install twice (a conversationUpdate adding the bot, then an
installationUpdate "add"); Direct Line / Web Chat announces the person joining instead.
Either way the person is greeted exactly once; a reinstall after removing the app is a fresh hello.
"""

from __future__ import annotations

from typing import Any

from tests.e2e.harness import card_text, running, settings_for

HELLO = "Hello, I'm the PLP Companion"


def _greetings(messages: list[Any]) -> int:
    return sum(HELLO in card_text(m.body) for m in messages)


async def test_teams_install_notices_in_sequence_greet_once(database_url: str) -> None:
    async with running(settings_for(database_url)) as h:
        sam = h.person("Sam")
        assert await sam.install() == 201
        status, _ = await h.post(sam._activity("teams_installation_update_add.json"))
        assert status in (200, 201)
        status, _ = await h.post(sam._activity("teams_conversation_update_bot_added_personal.json"))
        assert status in (200, 201)
        assert _greetings(sam.all_messages()) == 1
        removed = sam._activity("teams_installation_update_add.json", action="remove")
        assert (await h.post(removed))[0] in (200, 201)
        assert (await h.post(sam._activity("teams_installation_update_add.json")))[0] in (200, 201)
        assert _greetings(sam.all_messages()) == 2


async def test_teams_install_notices_in_the_other_order_greet_once(database_url: str) -> None:
    """Teams does not promise the order: installationUpdate may come first, then conversationUpdate; an
    upgrade of the app ("add-upgrade") is not a new install to greet."""
    async with running(settings_for(database_url)) as h:
        sam = h.person("Sam")
        status, _ = await h.post(sam._activity("teams_installation_update_add.json"))
        assert status in (200, 201)
        assert await sam.install() in (200, 201)
        upgraded = sam._activity("teams_installation_update_add.json", action="add-upgrade")
        assert (await h.post(upgraded))[0] in (200, 201)
        assert _greetings(sam.all_messages()) == 1


async def test_a_web_chat_person_joining_is_greeted_once(database_url: str) -> None:
    async with running(settings_for(database_url)) as h:
        kim = h.person("Kim")
        joined = kim._activity(
            "teams_conversation_update_bot_added_personal.json",
            channelId="directline",
            membersAdded=[{"id": kim.user_id, "name": "Kim"}],
        )
        joined.pop("channelData", None)
        for _ in range(2):
            assert (await h.post(dict(joined, id=f"{joined['id']}-again")))[0] in (200, 201)
        assert _greetings(kim.all_messages()) == 1
        other = kim._activity(
            "teams_conversation_update_bot_added_personal.json",
            channelId="directline",
            membersAdded=[{"id": "someone-else"}],
        )
        other.pop("channelData", None)
        assert (await h.post(other))[0] in (200, 201)
        assert _greetings(kim.all_messages()) == 1
