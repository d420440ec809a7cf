"""An Enter-only client (Teams on a phone, Web Chat): every list arrives as one line. Over real HTTP,
lists typed on one line with ";", numbers or bullets are read as lists: a cohort's own questions and a
pair's shared aims. Nobody has to find Shift+Enter."""

from __future__ import annotations

from bot import STORE
from domain.core.clock import FixedClock
from tests.e2e.harness import card_text, running, settings_for
from tests.e2e.test_guide_delivery import MONDAY_LAUNCH, _paired_couple


async def test_a_cohorts_own_questions_typed_on_one_line(database_url: str) -> None:
    async with running(settings_for(database_url, facilitators=frozenset({"aad-fran"}))) as h:
        fran = h.person("Fran", aad_object_id="aad-fran")
        await fran.install()
        lists = (
            "What do you hope to learn?; What can you offer?; How do you like to meet?",
            "• What do you hope to learn? • What can you offer? • How do you like to meet?",
        )
        for number, typed in enumerate(lists):
            for step in ("create cohort", f"Cohort {number}", "1 March 2027", "12 months", "Write our own"):
                await fran.say(step)
            [created] = await fran.say(typed)
            assert "Cohort created" in card_text(created)
        async with h.app[STORE].transaction() as uow:
            cohorts = await uow.cohorts.list_all()
        expected = ["What do you hope to learn?", "What can you offer?", "How do you like to meet?"]
        assert [c.profile_questions for c in cohorts] == [expected, expected]


async def test_shared_aims_typed_on_one_line(database_url: str) -> None:
    settings = settings_for(database_url, facilitators=frozenset({"aad-fran"}))
    async with running(settings, FixedClock(MONDAY_LAUNCH)) as h:
        _, asha, ben = await _paired_couple(h)
        for person in (asha, ben):
            for step in ("aims", "To listen well", "Time and candour"):
                await person.say(step)
        asked = await asha.say("aims propose")
        assert "one per line (or on one line, separated by **;**)" in card_text(asked[-1])
        [retry, *_] = await asha.say("Listen first")
        assert "I found one aim" in card_text(retry)
        replies = await asha.say("• Listen first • Visit each other's sites • Talk about race")
        assert "sent your suggested aims to Ben" in card_text(replies[-1])
        async with h.app[STORE].transaction() as uow:
            [pair] = await uow.partnerships.list_active()
            proposal = await uow.aims.open_proposal(pair.id)
        assert proposal is not None
        assert proposal.aims == ("Listen first", "Visit each other's sites", "Talk about race")
