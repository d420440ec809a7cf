"""End to end over real HTTP (Teams wire): shared aims are written in the card's multi-line box,
which Teams sends with its line breaks; a partner suggesting changes finds the box pre-filled and
may type the list on one line instead (numbered, or split by ";"), as Enter-only clients must."""

from __future__ import annotations

from typing import Any

from domain.core.clock import FixedClock
from tests.e2e.harness import Harness, TeamsUser, card_text, running, settings_for
from tests.e2e.test_guide_delivery import MONDAY_LAUNCH, _paired_couple


def _content(message: dict[str, Any]) -> dict[str, Any]:
    content = message["attachments"][0]["content"]
    assert isinstance(content, dict)
    return content


def _box(message: dict[str, Any]) -> dict[str, Any]:
    """The card's only input."""
    [box] = [e for e in _content(message)["body"] if e["type"].startswith("Input.")]
    return box


def _submit(message: dict[str, Any], **answers: str) -> dict[str, Any]:
    """What Teams sends for the card's Submit: the button's data plus each input's value."""
    data = next(a["data"] for a in _content(message)["actions"] if a["title"] == "Submit")
    return {**data, **answers}


async def _next_message(h: Harness, person: TeamsUser) -> dict[str, Any]:
    await h.connector.wait_for(lambda _: len(person.all_messages()) > person.seen)
    return person.new_messages()[-1]


async def test_aims_in_the_multi_line_box_and_typed_on_one_line(database_url: str) -> None:
    settings = settings_for(database_url, facilitators=frozenset({"aad-fran"}))
    async with running(settings, FixedClock(MONDAY_LAUNCH)) as h:
        _, asha, ben = await _paired_couple(h)
        for person in (asha, ben):
            for text in ("aims", f"{person.name} learns", f"{person.name} offers"):
                await person.say(text)
        await h.connector.wait_for(lambda _: len(asha.all_messages()) > asha.seen)  # both hopes, shown to both
        asha.new_messages()

        [asked] = await asha.say("aims propose")
        box = _box(asked)
        assert (box["type"], box["id"], box.get("isMultiline")) == ("Input.Text", "answer", True)
        sent = await asha.press(_submit(asked, answer="Listen without fixing\nVisit each other's sites"))
        assert "sent your suggested aims to Ben" in card_text(sent[-1])
        redrawn = [r for r in h.connector.requests if r.method == "PUT" and r.conversation_id == asha.conversation_id]
        assert redrawn and not [e for e in _content(redrawn[-1].body)["body"] if e["type"].startswith("Input.")]

        proposal = await _next_message(h, ben)
        assert "Listen without fixing" in card_text(proposal) and "Visit each other's sites" in card_text(proposal)
        edit = next(a["data"] for a in _content(proposal)["actions"] if a["title"] == "Suggest changes")
        [asked] = await ben.press(edit)
        assert _box(asked)["value"] == "Listen without fixing\nVisit each other's sites"
        sent = await ben.say("1. Listen fully 2. Visit sites 3. Read together")
        assert "sent your suggested aims to Asha" in card_text(sent[-1])
        changed = await _next_message(h, asha)
        shown = card_text(changed)
        assert all(aim in shown for aim in ("Listen fully", "Visit sites", "Read together"))

        accept_or_edit = {a["title"]: a["data"] for a in _content(changed)["actions"]}
        await asha.press(accept_or_edit["Suggest changes"])
        sent = await asha.say("Listen fully; Visit sites")
        assert "sent your suggested aims to Ben" in card_text(sent[-1])
        final = await _next_message(h, ben)
        assert "Listen fully" in card_text(final) and "Read together" not in card_text(final)
