"""End to end over real HTTP: a facilitator creates a cohort, two people install the app
and enrol through the dialog, the facilitator pairs them, and both receive their
introduction card at the fake Bot Connector."""

from __future__ import annotations

import json
import logging
import re

import pytest

from logs import quiet_third_party_logs
from tests.channels.card_schema import assert_valid_card
from tests.e2e.harness import TeamsUser, card_text, running, settings_for

PROFILE_ANSWERS = {
    "Asha": [
        "I trained as a nurse in Leeds.",
        "To understand board decisions; I offer ward insight.",
        "Fortnightly, early mornings.",
    ],
    "Ben": [
        "I run finance and grew up in Hull.",
        "To hear frontline experience; I offer budget know-how.",
        "Anywhere quiet; 45 minutes.",
    ],
}


async def create_cohort(fran: TeamsUser) -> str:
    """Drive the create-cohort dialog (the launch date from the card's date picker); return the join code."""
    await fran.say("create cohort")
    (asked,) = await fran.say("Spring 2027")
    assert '"type": "Input.Date", "id": "date"' in card_text(asked)  # a date picker on the Teams card
    confirm = await fran.press({"form": "1", "date": "2027-03-01"})  # what Teams sends for the picked date
    assert "How long" in card_text(confirm[-1])
    await fran.say("12 months")
    created = await fran.say("Use these")
    assert '"Launch", "value": "Monday 1 March 2027"' in card_text(created[-1])
    match = re.search(r'"Join code", "value": "([A-Z0-9]+)"', card_text(created[-1]))
    assert match, card_text(created[-1])
    return match[1]


async def enrol(person: TeamsUser, code: str, group_button: str) -> None:
    """Install, then enrol with a mix of typing and button presses."""
    assert await person.install() == 201
    assert "Hello, I'm the PLP Companion" in card_text(person.new_messages()[0])
    await person.say(f"join {code}")
    await person.press({"choice": "agree"})
    await person.press({"choice": group_button})
    for answer in PROFILE_ANSWERS[person.name]:
        await person.say(answer)
    await person.say("2")  # every 4 weeks, by number
    await person.say("online")  # format, by title prefix
    summary = await person.press({"choice": "Europe/London"})
    assert "Here's what you told me" in card_text(summary[-1])
    done = await person.press({"choice": "save"})
    assert "You're enrolled" in card_text(done[-1])


async def test_facilitator_pairs_two_enrolled_people_and_both_get_identical_introductions(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    quiet_third_party_logs()
    caplog.set_level(logging.DEBUG)
    settings = settings_for(database_url, facilitators=frozenset({"fran@trust.nhs.uk"}))
    async with running(settings) as h:
        fran = h.person("Fran", email="fran@trust.nhs.uk")
        await fran.install()
        code = await create_cohort(fran)
        asha, ben = h.person("Asha", email="asha@trust.nhs.uk"), h.person("Ben", email="ben@trust.nhs.uk")
        await enrol(asha, code, "bme_colleague")
        await enrol(ben, code, "senior_leader")

        listing = card_text((await fran.say("participants"))[-1])
        assert "Asha" in listing and "Ben" in listing and "not paired yet" in listing
        ids = [int(n) for n in re.findall(r"#(\d+) (?:Asha|Ben)", listing)]
        await fran.say(f"pair {ids[0]} {ids[1]}")
        confirmed = await fran.press({"choice": "yes"})
        assert "Paired" in card_text(confirmed[-1])

        await h.connector.wait_for(
            lambda _: len(asha.all_messages()) > asha.seen and len(ben.all_messages()) > ben.seen
        )
        intro_to_asha, intro_to_ben = asha.new_messages()[-1], ben.new_messages()[-1]
        for card_activity in (intro_to_asha, intro_to_ben):
            assert_valid_card(card_activity["attachments"][0]["content"])
        asha_sees, ben_sees = card_text(intro_to_asha), card_text(intro_to_ben)
        assert "Meet your learning partner: Ben" in asha_sees and PROFILE_ANSWERS["Ben"][0] in asha_sees
        assert "Meet your learning partner: Asha" in ben_sees and PROFILE_ANSWERS["Asha"][0] in ben_sees
        assert "users=ben%40trust.nhs.uk" in asha_sees
        # Identical wording for both partners: swap the names and answers and the cards match.
        assert _neutral(asha_sees, "Ben", PROFILE_ANSWERS["Ben"]) == _neutral(ben_sees, "Asha", PROFILE_ANSWERS["Asha"])
        # Group is never shown to the partner.
        for text in (asha_sees, ben_sees):
            assert "minority" not in text.lower() and "senior leader" not in text.lower()
    # Nothing personal reaches the logs: no group, no profile answers, no names.
    logged = caplog.text.lower()
    assert logged and "bme_colleague" not in logged and "minority" not in logged and "senior_leader" not in logged
    for answer in PROFILE_ANSWERS["Asha"] + PROFILE_ANSWERS["Ben"]:
        assert answer.lower() not in logged


def _neutral(text: str, name: str, answers: list[str]) -> str:
    text = text.replace(name.lower() + "%40", "X%40")
    for answer in answers:
        text = text.replace(json.dumps(answer)[1:-1], "ANSWER")
    return text.replace(name, "NAME")


async def test_non_facilitators_are_politely_refused(database_url: str) -> None:
    async with running(settings_for(database_url)) as h:
        sam = h.person("Sam")
        await sam.install()
        for command in ("create cohort", "pair 1 2", "participants"):
            reply = await sam.say(command)
            assert "facilitators do" in card_text(reply[-1])


async def test_unknown_input_gets_a_helpful_reply_and_a_confused_dialog_recovers(database_url: str) -> None:
    async with running(settings_for(database_url, facilitators=frozenset({"aad-fran"}))) as h:
        fran = h.person("Fran", aad_object_id="aad-fran")
        unknown = await fran.say("purple elephants")
        assert "didn't catch that" in card_text(unknown[-1])
        await fran.say("create cohort")
        await fran.say("Autumn")
        wrong = await fran.say("sometime soon")
        assert "couldn't read that date" in card_text(wrong[0])
        assert "launch session" in card_text(wrong[-1])
        await fran.say("2027-09-01")
        cancelled = await fran.say("cancel")
        assert "stopped" in card_text(cancelled[-1])
        assert "didn't catch that" in card_text((await fran.say("2027-09-01"))[-1])
