"""End to end across both platforms: one cohort with people in Teams and in Slack. A facilitator
in Slack broadcasts to everyone: Teams people get the card, Slack people a Block Kit DM; a Slack
429 is retried after its Retry-After, a deactivated Slack account is marked unreachable, and
the counts say so. Then a poll is answered in Slack on one Block Kit form."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot import ENGINE, STORE
from channels.slack.pace import SlackPace
from domain.core.clock import FixedClock
from domain.core.identity import Identity, register
from domain.core.model import ConversationRef, Group
from storage.outbox_store import OutboxStore
from tests.e2e.harness import card_text, settings_for
from tests.e2e.slack_harness import TEAM, Both, SlackUser, running_both, slack_text
from tests.e2e.test_broadcast_delivery import _dispatch_until_settled
from tests.e2e.test_guide_delivery import _through_the_day

START = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
TEAMS_PEOPLE = ("Ada", "Bo", "Cy")
SLACK_PEOPLE = {"Di": "UDI", "Ed": "UED", "Flo": "UFLO"}


def _pace(clock: FixedClock) -> SlackPace:
    async def no_sleep(_: float) -> None:
        return None

    return SlackPace(time=lambda: clock.now().timestamp(), sleep=no_sleep)


async def _mixed_cohort(both: Both) -> tuple[list, list[SlackUser]]:
    """Three enrolled people in Teams and three in Slack, in one cohort."""
    store = both.teams.app[STORE]
    async with store.transaction() as uow:
        cohort = await uow.cohorts.create("Spring 2027", "SPRING", date(2027, 3, 1), 12, ["a"], START)
    teams, slack = [], []
    for name in TEAMS_PEOPLE:
        person = both.teams.person(name)
        ref = ConversationRef(0, "msteams", both.teams.connector.url, person.conversation_id, person.user_id, "28:bot")
        teams.append(
            (person, await register(store, Identity("msteams", person.user_id, name, person.aad_object_id), ref, START))
        )
    for name, user_id in SLACK_PEOPLE.items():
        person = both.person(name, user_id)
        ref = ConversationRef(0, "slack", both.slack.url, person.channel, person.key, "UBOT", "PLP", TEAM)
        slack.append((person, await register(store, Identity("slack", person.key, name), ref, START)))
    for _, registered in teams + slack:
        async with store.transaction() as uow:
            await uow.participants.save_enrolment(
                registered.id, cohort.id, Group.BOTH, [], "4w", "online", "Europe/London", START
            )
    return [p for p, _ in teams], [p for p, _ in slack]


async def test_a_broadcast_reaches_teams_and_slack_people_of_one_cohort(database_url: str) -> None:
    clock = FixedClock(START)
    settings = settings_for(database_url, facilitators=frozenset({f"{TEAM}:UFRAN".lower()}))
    async with running_both(settings, clock, pace=_pace(clock)) as both:
        teams, slack = await _mixed_cohort(both)
        di, ed, flo = slack
        both.slack.fail("chat.postMessage", "ratelimited", status=429, headers={"Retry-After": "1"}, channel="DUED")
        both.slack.deactivate("UFLO")

        fran = both.person("Fran", "UFRAN")  # a facilitator configured by workspace and Slack user id
        await fran.say("broadcast")
        for text in (
            "Launch is on **Monday** & all are <welcome>.",
            "Add a link",
            "Programme page https://example.org/plp",
        ):
            await fran.say(text)
        preview = await fran.say("Everyone")
        assert "6 people" in slack_text(preview[-1])
        await fran.press("Send now")
        assert "On its way" in slack_text((await fran.press("Yes"))[-1])

        await _dispatch_until_settled(both.teams, clock)
        for person in teams:
            [post] = person.all_messages()
            assert "Launch is on **Monday**" in card_text(post.body)
        for person in (di, ed):
            [post] = person.messages()
            shown = slack_text(post)
            assert (
                "Launch is on *Monday* &amp; all are &lt;welcome&gt;." in shown and "https://example.org/plp" in shown
            )
        assert flo.messages() == []
        throttled = [
            c for c in both.slack.of("chat.postMessage") if not c.args.get("_ok") and c.args["channel"] != "DUFLO"
        ]
        assert len(throttled) == 1

        async with both.teams.app[STORE].transaction() as uow:
            unreachable = [p.name for p in await uow.participants.list_all() if p.unreachable_at is not None]
        assert unreachable == ["Flo"]
        status = slack_text((await fran.say("broadcasts"))[-1])
        assert "*Sent*\\n5" in status and "*Unreachable*\\n1" in status and "Could not be reached: Flo" in status


async def test_a_poll_answered_in_slack_on_one_form(database_url: str) -> None:
    clock = FixedClock(START)
    settings = settings_for(database_url, facilitators=frozenset({f"{TEAM}:UFRAN".lower()}))
    async with running_both(settings, clock, pace=_pace(clock)) as both:
        _, slack = await _mixed_cohort(both)
        fran = both.person("Fran", "UFRAN")
        for text in ("create poll", "1", "1", "1", "1"):
            await fran.say(text)
        assert "Poll 1 is open. Invitations are going out now" in slack_text((await fran.say("1"))[-1])
        await _through_the_day(both.teams, clock, date(2027, 3, 1))  # the invitations go out
        di = slack[0]
        [invitation] = di.new_messages()
        form = await di.press("Answer now")
        inputs = [b for b in form[-1]["blocks"] if b["type"] == "input"]
        assert {b["element"]["type"] for b in inputs} >= {"static_select", "plain_text_input"}
        thanks = await di.submit({"met": "4+", "protected": "5", "help_next": "Nothing & more"})
        assert "without your name" in slack_text(thanks[-1])
        assert "Quarterly check-in" in slack_text(invitation)
        outbox = OutboxStore(both.teams.app[ENGINE])
        assert (await outbox.summary()).get("dead", 0) == 0
