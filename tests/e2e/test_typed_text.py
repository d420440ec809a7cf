"""End to end over real HTTP: what people type reaches other people's cards as literal text.

A display name, a cohort name, profile answers, a meeting's place and agenda each carry a
disguised link and bold text; the partner's cards (sent through the outbox and in the turn)
show them escaped, so Teams renders the characters, not a link. A facilitator's broadcast
keeps its formatting.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from channels.markup import escape
from domain.core.clock import FixedClock
from tests.channels.test_typed_text_surfaces import markdown_strings
from tests.e2e.harness import TeamsUser, card_text, running, settings_for

LINK = "[click](https://evil.example)"
BOLD = "**bold**"
MONDAY = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)


def shown(activity: dict[str, Any]) -> str:
    """What Teams renders as Markdown in this activity."""
    return "\n".join(markdown_strings(activity))


def assert_literal(activity: dict[str, Any], *typed: str) -> None:
    text = shown(activity)
    for words in typed:
        # Each typed line on its own: Teams cards put a paragraph break between lines (a lone "\n" runs them together).
        for line in words.split("\n"):
            assert escape(line) in text, f"{line!r} (of {words!r}) is not shown as typed in:\n{text}"
    assert "](https://evil.example)" not in text and BOLD not in text


async def _cohort(fran: TeamsUser, name: str) -> str:
    for text in ("create cohort", name, "2027-03-01", "12 months"):
        await fran.say(text)
    created = await fran.say("Use these")
    assert_literal(created[-1], name)
    match = re.search(r'"Join code", "value": "([A-Z0-9]+)"', card_text(created[-1]))
    assert match
    return match[1]


async def _enrol(person: TeamsUser, code: str, group: str, answers: list[str]) -> None:
    await person.install()
    for text in (f"join {code}", "I agree", group, *answers, "2", "online", "Europe/London"):
        await person.say(text)
    assert "You're enrolled" in card_text((await person.say("confirm"))[-1])


async def _paired(h: Any, asha_name: str, cohort_name: str, answers: list[str]) -> tuple[TeamsUser, TeamsUser]:
    fran = h.person("Fran", aad_object_id="aad-fran")
    await fran.install()
    code = await _cohort(fran, cohort_name)
    asha, ben = h.person("Asha"), h.person("Ben")
    asha.name = asha_name
    await _enrol(asha, code, "2", answers)
    await _enrol(ben, code, "1", ["Finance.", "Board insight.", "Mornings."])
    for text in ("pair", "1", "1", "yes"):
        await fran.say(text)
    await h.connector.wait_for(lambda _: len(asha.all_messages()) > asha.seen and len(ben.all_messages()) > ben.seen)
    return asha, ben


async def test_the_partners_introduction_shows_name_cohort_and_answers_as_typed(database_url: str) -> None:
    name, cohort, answers = f"Asha {BOLD}", f"Spring {LINK}", [LINK, BOLD, f"# Big\n- {LINK}"]
    settings = settings_for(database_url, facilitators=frozenset({"aad-fran"}))
    async with running(settings, FixedClock(MONDAY)) as h:
        _, ben = await _paired(h, name, cohort, answers)
        introduction = ben.new_messages()[-1]
        assert "Meet your learning partner" in card_text(introduction)
        assert_literal(introduction, name, cohort, *answers)
        chat = [a for a in introduction["attachments"][0]["content"]["actions"] if a["type"] == "Action.OpenUrl"]
        assert [a["title"] for a in chat] == [f"Chat with {name}"]  # a button title is plain text to Teams


async def test_a_meeting_place_and_agenda_reach_the_partner_as_typed(database_url: str) -> None:
    name, place, agenda = f"Asha {LINK}", f"Ward {BOLD}", f"{LINK} then {BOLD}"
    settings = settings_for(database_url, facilitators=frozenset({"aad-fran"}))
    async with running(settings, FixedClock(MONDAY)) as h:
        asha, ben = await _paired(h, name, "Spring 2027", ["Nursing.", "Ward insight.", "Mornings."])
        asha.new_messages(), ben.new_messages()
        steps = ("meet next Tuesday 2pm", "1 hour", "In person", place, "Write my own", agenda, "Just this once")
        for text in steps:
            await asha.say(text)
        await asha.say("yes")
        await h.connector.wait_for(lambda _: len(ben.all_messages()) > ben.seen)
        proposal = ben.new_messages()[-1]
        assert "Meeting proposed" in card_text(proposal)
        assert_literal(proposal, name, place, agenda)
        decline = next(a["data"] for a in proposal["attachments"][0]["content"]["actions"] if a["title"] == "Decline")
        assert_literal((await ben.press(decline))[-1], name)  # "Thanks, I've let … know"


async def test_a_facilitators_broadcast_keeps_its_formatting(database_url: str) -> None:
    settings = settings_for(database_url, facilitators=frozenset({"aad-fran"}))
    async with running(settings, FixedClock(MONDAY)) as h:
        asha, _ = await _paired(h, "Asha", "Spring 2027", ["Nursing.", "Ward insight.", "Mornings."])
        fran = h.person("Fran", aad_object_id="aad-fran")
        asha.new_messages()
        message = "**Launch** is on _Monday_."
        for text in ("broadcast", message, "No link", "Everyone", "Send now", "yes"):
            await fran.say(text)
        await h.connector.wait_for(lambda _: len(asha.all_messages()) > asha.seen)
        assert any(message in shown(m) for m in asha.new_messages())
