"""End to end over real HTTP in Slack: a facilitator (configured by the email Slack's users.info
gives) creates a cohort in their DM, two people open the app and enrol by typing, pressing
buttons and picking from a drop-down, the facilitator pairs them, and both receive the same
introduction as Block Kit in their Slack DMs, through the outbox."""

from __future__ import annotations

import re

from bot import STORE
from tests.e2e.harness import settings_for
from tests.e2e.slack_harness import Both, SlackUser, running_both, slack_text

ANSWERS = {
    "Asha": ["I trained as a nurse in Leeds & love <b>data</b>.", "To understand board decisions.", "Fortnightly."],
    "Ben": ["I run finance and grew up in Hull.", "To hear frontline experience.", "Anywhere quiet."],
}


async def slack_cohort(fran: SlackUser) -> str:
    """Create a cohort by typing and one button; return its join code."""
    for text in ("create cohort", "Spring 2027", "2027-03-01"):
        await fran.say(text)
    await fran.press("12 months")
    created = await fran.press("Use these")
    match = re.search(r"\*Join code\*\\n([A-Z0-9]+)", slack_text(created[-1]))
    assert match, slack_text(created[-1])
    return match[1]


async def slack_enrol(person: SlackUser, code: str, group: str) -> None:
    """Open the app (welcome), then enrol with typing, buttons and the time-zone drop-down."""
    welcome = await person.open_messages()
    assert "Hello, I'm the PLP Companion" in slack_text(welcome[0])
    await person.say(f"join {code}")
    await person.press("I agree")
    await person.press(group)
    for answer in ANSWERS[person.name.split()[0]]:
        await person.say(answer)
    await person.say("2")  # the rhythm, by number
    await person.say("online")  # the format, by title
    summary = await person.press("Keep Europe/London")
    assert "Here's what you told me" in slack_text(summary[-1])
    done = await person.press("Confirm")
    assert "You're enrolled" in slack_text(done[-1])


async def pair_in_slack(both: Both) -> tuple[SlackUser, SlackUser, SlackUser]:
    """Fran creates a cohort, Asha and Ben enrol, Fran pairs them; the introductions are read."""
    fran = both.person("Fran Smith", "UFRAN", "fran@trust.nhs.uk")
    await fran.open_messages()
    code = await slack_cohort(fran)
    asha, ben = both.person("Asha Patel", "UASHA", "asha@trust.nhs.uk"), both.person("Ben Jones", "UBEN")
    await slack_enrol(asha, code, "Black and minority ethnic colleague")
    await slack_enrol(ben, code, "Senior leader")
    listing = slack_text((await fran.say("participants"))[-1])
    ids = [int(n) for n in re.findall(r"#(\d+) (?:Asha|Ben)", listing)]
    assert len(ids) == 2, listing
    await fran.say(f"pair {ids[0]} {ids[1]}")
    assert "Paired" in slack_text((await fran.press("Yes"))[-1])
    await both.slack.wait_for(lambda _: len(asha.messages()) > asha.seen and len(ben.messages()) > ben.seen)
    return fran, asha, ben


async def test_two_people_enrol_in_slack_and_both_get_the_same_introduction(database_url: str) -> None:
    settings = settings_for(database_url, facilitators=frozenset({"fran@trust.nhs.uk"}))
    async with running_both(settings) as both:
        fran, asha, ben = await pair_in_slack(both)
        to_asha, to_ben = asha.new_messages(), ben.new_messages()
        assert len(to_asha) == len(to_ben) == 1
        asha_intro, ben_intro = slack_text(to_asha[0]), slack_text(to_ben[0])
        assert (
            "Meet your learning partner: Ben Jones" in asha_intro
            and "Meet your learning partner: Asha Patel" in ben_intro
        )
        # Asha's answer is escaped for mrkdwn: no tag or stray entity reaches Ben as markup.
        assert "Leeds &amp; love &lt;b&gt;data&lt;/b&gt;" in ben_intro and "<b>" not in ben_intro
        for intro in (asha_intro, ben_intro):  # never anyone's group
            assert "minority" not in intro.lower() and "senior leader" not in intro.lower()
        assert to_asha[0]["blocks"][0]["type"] == "header" and len(to_asha[0]["blocks"]) <= 50
        # The chat button opens a Slack DM with the partner (not a Teams link).
        assert "https://slack.com/app_redirect?team=T0TEST&channel=UBEN" in asha_intro
        assert "teams.microsoft.com" not in asha_intro + ben_intro

        # People are keyed by workspace and Slack user; the names and emails came from users.info.
        async with both.teams.app[STORE].transaction() as uow:
            found = await uow.participants.find_by_user("slack", asha.key)
            unknown = await uow.participants.find_by_user("slack", "UASHA")
        assert found is not None and found.name == "Asha Patel" and found.email == "asha@trust.nhs.uk"
        assert unknown is None
        # Every call carried the bot token; replies went out as JSON with Block Kit.
        assert {call.token for call in both.slack.calls} == {"xoxb-test-token"}
        assert all(call.json_body for call in both.slack.of("chat.postMessage"))
        assert fran.messages()  # the facilitator was answered in Slack throughout


async def test_facilitator_commands_are_refused_to_someone_not_configured(database_url: str) -> None:
    settings = settings_for(database_url, facilitators=frozenset({"fran@trust.nhs.uk"}))
    async with running_both(settings) as both:
        sam = both.person("Sam Taylor", "USAM", "sam@trust.nhs.uk")
        refused = await sam.say("create cohort")
        assert "facilitator" in slack_text(refused[-1]).lower()
        assert "What's the cohort called" not in slack_text(refused[-1])
