"""End to end over real HTTP (Teams wire): a facilitator writes a broadcast of several lines on the
composer card and submits it once; half a card (no audience) is kept and only the audience asked;
the composer is redrawn read-only, the confirmation follows with its own token, and everyone gets
the card with each line on its own line."""

from __future__ import annotations

from typing import Any

from bot import BROADCAST_ROWS, ENGINE
from domain.core.clock import FixedClock
from storage.store import SqlStore
from tests.e2e.harness import card_text, enrol_people, running, settings_for
from tests.e2e.test_broadcast_background import START, _everyone_has_one, conversation

MESSAGE = "Dear all,\nthe launch is on **Monday**.\n\n- Bring a question\n- Bring your partner"


def _content(message: dict[str, Any]) -> dict[str, Any]:
    content = message["attachments"][0]["content"]
    assert isinstance(content, dict)
    return content


def _data(message: dict[str, Any], title: str) -> dict[str, Any]:
    """The data a card button sends (with its question's token)."""
    return dict(next(a["data"] for a in _content(message)["actions"] if a["title"] == title))


async def test_a_broadcast_written_on_the_composer_keeps_its_lines(database_url: str) -> None:
    settings = settings_for(database_url, facilitators=frozenset({"aad-fran"}))
    async with running(settings, FixedClock(START)) as h:
        await enrol_people(SqlStore(h.app[ENGINE]), h.connector.url, "bg", 3, START)
        fran = h.person("Fran")
        [composer] = await fran.say("broadcast")
        inputs = [e for e in _content(composer)["body"] if e["type"].startswith("Input.")]
        assert [(e["id"], e["type"]) for e in inputs][:3] == [
            ("message", "Input.Text"),
            ("link", "Input.Text"),
            ("audience", "Input.ChoiceSet"),
        ]
        assert inputs[0]["isMultiline"] is True

        half = {**_data(composer, "Submit"), "message": MESSAGE, "link": "Programme page example.org/plp"}
        [asked] = await fran.press(half)  # Teams checks required inputs; a client that does not may send this
        assert "Thanks, I have your message. Who should get it?" in card_text(asked)
        redraws = [r for r in h.connector.requests if r.method == "PUT" and r.conversation_id == fran.conversation_id]
        assert len(redraws) == 1 and "Input." not in card_text(redraws[0].body)  # the composer, read-only

        preview, note, confirm = await fran.press(_data(asked, "Everyone"))
        assert [b["text"] for b in _content(preview)["body"]][1:] == [
            "Dear all,\n\nthe launch is on **Monday**.",
            "- Bring a question\n- Bring your partner",
        ]
        assert "3 people" in card_text(note)
        yes = _data(confirm, "Yes")
        assert yes["ask"] and yes["ask"] != half["ask"]  # the confirmation's own token
        assert "On its way" in card_text((await fran.press(yes))[-1])

        await h.connector.wait_for(_everyone_has_one(3), within=20)
        await h.app[BROADCAST_ROWS].settled()
        for n in range(3):
            [post] = h.connector.activities_to(conversation(n))
            body = _content(post.body)["body"]
            assert body[1]["text"] == "Dear all,\n\nthe launch is on **Monday**."
            assert _content(post.body)["actions"][0]["url"] == "https://example.org/plp"
