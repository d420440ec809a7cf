"""End to end over real HTTP: the Teams member lookup (to learn a person's email) runs beside
the turn, never before its reply; it happens once per person; and a facilitator configured by
email is still recognised when their very first message is a facilitator command."""

from __future__ import annotations

import asyncio
import logging

import pytest
from aiohttp import web

from bot import ENDPOINT, STORE
from dialogs.companion import CompanionBot
from tests.e2e.harness import Harness, TeamsUser, card_text, running, settings_for
from tests.fakes.connector import Recorded


class HeldLookups:
    """Holds every member GET at the fake Teams service until the test releases it."""

    def __init__(self) -> None:
        self.released = asyncio.Event()

    async def __call__(self, recorded: Recorded) -> web.StreamResponse | None:
        if recorded.method == "GET" and "/members/" in recorded.path:
            await self.released.wait()
        return None  # then the fake's usual answer


def lookups(h: Harness) -> list[Recorded]:
    return [r for r in h.connector.requests if r.method == "GET" and "/members/" in r.path]


async def lookups_done(h: Harness) -> None:
    """Wait until the bot has no member lookup under way."""
    companion = h.app[ENDPOINT].bot
    assert isinstance(companion, CompanionBot) and companion.emails is not None
    await companion.emails.idle()


async def stored_email(h: Harness, person: TeamsUser) -> str:
    async with h.app[STORE].transaction() as uow:
        found = await uow.participants.find_by_user("msteams", person.user_id)
        assert found is not None
        return found.email


async def test_the_first_reply_does_not_wait_for_the_member_lookup(database_url: str) -> None:
    async with running(settings_for(database_url)) as h:
        held = HeldLookups()
        h.connector.respond_with(held)
        sam = h.person("Sam", email="Sam@Trust.nhs.uk")
        assert await sam.install() == 201  # the turn is over while the lookup is still held
        assert "Hello, I'm the PLP Companion" in card_text(sam.new_messages()[0])
        await h.connector.wait_for(lambda _: len(lookups(h)) == 1)
        assert not held.released.is_set() and await stored_email(h, sam) == ""

        held.released.set()
        await lookups_done(h)
        assert await stored_email(h, sam) == "sam@trust.nhs.uk"
        await sam.say("help")
        assert len(lookups(h)) == 1


async def test_a_person_teams_says_nothing_about_is_looked_up_once(database_url: str) -> None:
    async with running(settings_for(database_url)) as h:
        kim = h.person("Kim")  # the fake answers 404 for Kim's member lookup
        await kim.install()
        await kim.say("help")
        await kim.say("help")
        await lookups_done(h)
        assert len(lookups(h)) == 1 and await stored_email(h, kim) == ""


async def test_a_facilitator_known_by_email_is_recognised_on_their_first_command(database_url: str) -> None:
    async with running(settings_for(database_url, facilitators=frozenset({"fran@trust.nhs.uk"}))) as h:
        held = HeldLookups()
        h.connector.respond_with(held)
        fran = h.person("Fran", email="fran@trust.nhs.uk")
        first = asyncio.create_task(fran.say("create cohort"))
        await h.connector.wait_for(lambda _: len(lookups(h)) == 1)
        held.released.set()
        assert "What's the cohort called?" in card_text((await first)[-1])


async def test_a_facilitator_known_by_email_is_recognised_however_the_lookup_races_the_turn(
    database_url: str,
) -> None:
    async with running(settings_for(database_url, facilitators=frozenset({"fran@trust.nhs.uk"}))) as h:
        fran = h.person("Fran", email="fran@trust.nhs.uk")  # the lookup may finish before or after the refusal check
        assert "What's the cohort called?" in card_text((await fran.say("create cohort"))[-1])


async def test_a_lookup_under_way_is_cancelled_on_shutdown(database_url: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="dialogs.emails")
    async with running(settings_for(database_url)) as h:
        held = HeldLookups()
        h.connector.respond_with(held)
        sam = h.person("Sam", email="sam@trust.nhs.uk")
        await sam.install()
        await h.connector.wait_for(lambda _: len(lookups(h)) == 1)
        companion = h.app[ENDPOINT].bot
        assert isinstance(companion, CompanionBot) and companion.emails is not None
        emails = companion.emails
        assert emails.under_way == 1
        # Once the bot has let go of the lookup, let the fake Teams service finish its held answer.
        release = asyncio.create_task(emails.idle())
        release.add_done_callback(lambda _: held.released.set())
    assert emails.under_way == 0
    assert "1 Teams member lookups cancelled on shutdown" in caplog.text
    assert "member lookup unavailable" not in caplog.text  # cancelled, not failed
