"""End to end over real HTTP, SQLite and PostgreSQL: a partner asks for `my data`, opens the signed
page (HTML, JSON) from the link in the card, then says `erase me`, confirms with the card's button,
and within that one turn nothing of her is left in any table; her partner gets the kind note of a
partner leaving; the facilitator's view shows a former participant; the link stops working."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from bot import ENGINE, SETTINGS, STORE, run_jobs_once
from domain.core.clock import FixedClock
from tests.domain.privacy.test_erase import every_value, holding
from tests.e2e.harness import Harness, TeamsUser, card_text, running, settings_for
from tests.e2e.test_enrol_and_pair import create_cohort

MONDAY = datetime(2027, 3, 1, 10, 0, tzinfo=UTC)
NAME = "Zephyrine Quillfeather"
EMAIL = "zephyrine.q@trust.nhs.uk"
ANSWERS = [
    'I grew up by the Quokkaburn <script>alert("x")</script> estuary',
    "Learning how [Marrowvale](https://evil.example) boards decide",
    "Early mornings at Tindlewick",
]
NOTE = "Felt heard about the Oxtersley move"
NEEDLES = ["Zephyrine", "Quillfeather", EMAIL, "29:7f3e1c", "aad-9d41", "Quokkaburn", "Marrowvale", "Tindlewick"]
NEEDLES.append("Oxtersley")


def zephyrine(h: Harness) -> TeamsUser:
    """Teams ids are opaque: nothing in them spells her name."""
    user = TeamsUser(h, name=NAME, user_id="29:7f3e1c", aad_object_id="aad-9d41", conversation_id="a:1Xq9Zt")
    h.connector.members[user.user_id] = {"id": user.user_id, "name": NAME, "email": EMAIL, "aadObjectId": "aad-9d41"}
    return user


async def enrol(person: TeamsUser, code: str, answers: list[str]) -> None:
    assert await person.install() == 201
    await person.say(f"join {code}")
    await person.press({"choice": "agree"})
    await person.press({"choice": "bme_colleague"})
    for answer in answers:
        await person.say(answer)
    await person.say("2")
    await person.say("online")
    await person.press({"choice": "Europe/London"})
    assert "You're enrolled" in card_text((await person.press({"choice": "save"}))[-1])


async def paired_pair(h: Harness) -> tuple[TeamsUser, TeamsUser, TeamsUser, list[int]]:
    fran = h.person("Fran", aad_object_id="aad-fran")
    await fran.install()
    code = await create_cohort(fran)
    zeph, ben = zephyrine(h), h.person("Ben Okafor", email="ben@trust.nhs.uk")
    await enrol(zeph, code, ANSWERS)
    await enrol(ben, code, ["Ben answer one", "Ben answer two", "Ben answer three"])
    listing = card_text((await fran.say("participants"))[-1])
    ids = [int(n) for n in re.findall(r"#(\d+) ", listing)[:2]]
    await fran.say(f"pair {ids[0]} {ids[1]}")
    assert "Paired" in card_text((await fran.press({"choice": "yes"}))[-1])
    await zeph.say("note")
    assert "saved" in card_text((await zeph.say(NOTE))[-1]).lower()
    return fran, zeph, ben, ids


def link_in(activity: dict[str, Any]) -> str:
    """The open-url button's address in a card."""
    card = activity["attachments"][0]["content"]
    return next(a["url"] for a in card.get("actions", []) if a.get("type") == "Action.OpenUrl")


async def get(h: Harness, url: str) -> tuple[int, dict[str, str], str]:
    base = h.bot_url.removesuffix("/api/messages")
    parts = urlsplit(url)
    async with h.http.get(base + parts.path + (f"?{parts.query}" if parts.query else "")) as response:
        return response.status, dict(response.headers), await response.text()


async def test_my_data_then_erase_me(database_url: str) -> None:
    clock = FixedClock(MONDAY)
    async with running(settings_for(database_url, facilitators=frozenset({"aad-fran"})), clock) as h:
        fran, zeph, ben, _ = await paired_pair(h)

        # `my data`: a signed link under PLP_PUBLIC_URL, to a readable page and its JSON.
        url = link_in((await zeph.say("my data"))[-1])
        assert url.startswith(h.app[SETTINGS].public_url + "/my-data/")
        status, headers, html = await get(h, url)
        assert status == 200 and headers["Content-Type"].startswith("text/html")
        assert headers["Cache-Control"] == "no-store" and "default-src 'none'" in headers["Content-Security-Policy"]
        assert NAME in html and "Black and minority ethnic colleague" in html and "Ben Okafor" in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html and "<script>" not in html
        assert NOTE in html and 'href="https://evil.example"' not in html
        for address in (url + ".json", url + "?format=json"):
            status, headers, body = await get(h, address)
            document = json.loads(body)
            assert status == 200 and headers["Content-Type"].startswith("application/json")
            you = document["sections"]["You and your enrolment"]
            assert [a["answer"] for a in you["profile answers"]] == ANSWERS  # word for word
        token = url.rsplit("/", 1)[1]
        altered = token[:-1] + ("A" if token[-1] != "A" else "B")
        assert (await get(h, url.replace(token, altered)))[0] == 404

        # `erase me`: a clear question first; the card's button confirms.
        question = card_text((await zeph.say("erase me"))[-1])
        assert "can't be undone" in question and "anonymous polls stay" in question
        done = card_text((await zeph.press({"choice": "yes"}))[-1])
        assert "Your data has been deleted" in done and "Your partner has been told" in done

        values = await every_value(h.app[ENGINE])
        assert holding(values, NEEDLES) == []
        # Only the inbound de-duplication keys (kept 7 days) still hold her chat's opaque id.
        assert {t for t, _, v in values if zeph.conversation_id in v} <= {"processed_activities"}
        assert (await get(h, url))[0] == 404  # the page is gone with her

        # Her partner hears kindly, in his working hours, without her name.
        await run_jobs_once(h.app)
        note = card_text(ben.new_messages()[-1])
        assert "Your learning partner is leaving the programme" in note and "Zephyrine" not in note

        # The facilitator sees that a participant left, nothing more.
        health = card_text((await fran.say("health"))[-1])
        assert "Former participant" in health and "Zephyrine" not in health

        # Writing again, she is someone new.
        async with h.app[STORE].reading() as uow:
            erased = next((p for p in await uow.participants.list_all() if p.erased_at is not None), None)
        assert "what i can do" in card_text((await zeph.say("hello"))[-1]).lower()
        async with h.app[STORE].reading() as uow:
            new = await uow.participants.find_by_user("msteams", zeph.user_id)
        assert erased is not None and new is not None and new.id != erased.id and not new.is_enrolled


async def test_an_expired_or_foreign_link_is_404(database_url: str) -> None:
    clock = FixedClock(MONDAY)
    async with running(settings_for(database_url), clock) as h:
        zeph = zephyrine(h)
        await zeph.install()
        url = link_in((await zeph.say("my data"))[-1])
        assert (await get(h, url))[0] == 200
        clock.current = MONDAY + timedelta(hours=24)
        assert (await get(h, url))[0] == 404
        token = url.rsplit("/", 1)[1]
        for path in (f"/calendar/{token}.ics", f"/exports/{token}.csv", "/my-data/", "/my-data/%00", "/my-data/a/b"):
            assert (await get(h, "http://x" + path))[0] == 404


async def test_saying_no_keeps_everything(database_url: str) -> None:
    async with running(settings_for(database_url), FixedClock(MONDAY)) as h:
        zeph = zephyrine(h)
        await zeph.install()
        question = card_text((await zeph.say("erase me"))[-1])
        assert "learning partnership will end" not in question  # nobody to tell: she isn't paired
        assert "nothing has been deleted" in card_text((await zeph.say("no"))[-1]).lower()
        async with h.app[STORE].reading() as uow:
            kept = await uow.participants.find_by_user("msteams", zeph.user_id)
        assert kept is not None and kept.name == NAME and kept.erased_at is None
