"""When a turn fails, the person hears so: the apology reaches them even when the database
refuses every write (a full disk), and if even the apology cannot reach them the channel gets
a 5xx, so Teams delivers the activity again instead of believing it was handled."""

from __future__ import annotations

from aiohttp import web

from bot import ENGINE
from tests.e2e.faults import refuse_writes
from tests.e2e.harness import card_text, running, settings_for
from tests.fakes.recorded import Recorded

SORRY = "Sorry, something went wrong"


async def test_with_every_write_refused_the_apology_still_reaches_the_person(database_url: str) -> None:
    async with running(settings_for(database_url)) as h:
        await refuse_writes(h.app[ENGINE])
        newcomer = h.person("Nia Newcomer")  # not registered yet: the turn fails before any dialog state
        status, _ = await h.post(newcomer._activity("teams_message_personal.json", text="help"))
        assert status == 201
        told = [card_text(m) for m in newcomer.new_messages()]
        assert len(told) == 1 and SORRY in told[0]


async def test_a_known_person_mid_dialog_hears_the_apology_when_the_disk_fills(database_url: str) -> None:
    async with running(settings_for(database_url, facilitators=frozenset({"aad-fran"}))) as h:
        fran = h.person("Fran", aad_object_id="aad-fran")
        assert "called" in card_text((await fran.say("create cohort"))[-1])  # a dialog is waiting
        await refuse_writes(h.app[ENGINE])
        told = [card_text(m) for m in await fran.say("Spring 2027")]
        assert len(told) == 1 and SORRY in told[0]


async def test_when_even_the_apology_cannot_reach_the_person_the_channel_gets_a_5xx(database_url: str) -> None:
    async with running(settings_for(database_url)) as h:
        await refuse_writes(h.app[ENGINE])
        newcomer = h.person("Nia Newcomer")

        def refuse(recorded: Recorded) -> web.StreamResponse | None:
            if recorded.is_activity and recorded.conversation_id == newcomer.conversation_id:
                return web.json_response({"error": {"code": "Forbidden"}}, status=403)
            return None

        h.connector.respond_with(refuse)
        status, body = await h.post(newcomer._activity("teams_message_personal.json", text="help"))
        assert status >= 500 and "Traceback" not in str(body)
        assert [SORRY in card_text(r.body) for r in newcomer.all_messages()] == [True]  # tried, refused
