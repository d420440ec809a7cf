"""Poll dialogs end to end on the real bot and database: create, answer (card and step by step), change,
results with suppression and a signed CSV link, close."""

from __future__ import annotations

from datetime import date
from typing import Any

from botbuilder.core.adapters import TestAdapter
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount, ConversationAccount
from sqlalchemy.ext.asyncio import AsyncEngine

from dialogs.companion import CompanionBot
from domain.core.links import CALENDAR, EXPORT_LIFETIME, POLL_EXPORT, ShortLinks
from domain.core.model import Group
from domain.core.signing import LinkSigner
from domain.polls.results import PollExportLinks
from storage.store import SqlStore
from tests.channels.card_schema import assert_valid_card
from tests.dialogs.chat import NOW, Chat, make_bot

FAC = frozenset({"fac-1"})
SIGNER = LinkSigner.of(b"dialog test key, thirty-two bytes")


async def cohort_of(engine: AsyncEngine, users: list[str], channel: str = "test") -> int:
    """A cohort whose people are already enrolled under these chat user ids."""
    async with SqlStore(engine).transaction() as uow:
        cohort = await uow.cohorts.create("Spring 2027", "SPRING", date(2027, 3, 1), 12, ["a", "b", "c"], NOW)
        for user in users:
            person = await uow.participants.upsert_identity(channel, user, f"Name {user}", "", NOW)
            await uow.participants.save_enrolment(
                person.id, cohort.id, Group.BOTH, [], "monthly", "online", "Europe/London", NOW
            )
    return cohort.id


async def create_poll(fac: Chat, template: str = "1", privacy: str = "1") -> str:
    """Facilitator creates a poll opening now; returns the confirmation."""
    for text in ("create poll", template, "1", privacy, "1"):
        await fac.say(text)
    return await fac.last("1")


class CardChat:
    """A 1:1 chat on a card channel (the Emulator), returning the bot's activities."""

    def __init__(self, bot: CompanionBot, user_id: str) -> None:
        self.adapter = TestAdapter(
            bot.on_turn,
            Activity(
                channel_id="emulator",
                service_url="https://test.example/",
                from_property=ChannelAccount(id=user_id, name=f"Name {user_id}"),
                recipient=ChannelAccount(id="bot", name="PLP Companion"),
                conversation=ConversationAccount(id=f"conv-{user_id}", conversation_type="personal"),
            ),
        )
        self._ids = iter(range(1, 1000))

    async def send(self, text: str = "", value: dict[str, Any] | None = None) -> list[Activity]:
        await self.adapter.receive_activity(
            Activity(type=ActivityTypes.message, text=text or None, value=value, id=f"c-{next(self._ids)}")
        )
        replies = []
        while (reply := self.adapter.get_next_activity()) is not None:
            replies.append(reply)
        return replies


def card(activity: Activity) -> dict[str, Any]:
    return activity.attachments[0].content


def inputs(activity: Activity) -> dict[str, dict[str, Any]]:
    return {e["id"]: e for e in card(activity)["body"] if e["type"].startswith("Input.")}


async def test_facilitator_creates_a_poll_and_participants_cannot(engine: AsyncEngine) -> None:
    await cohort_of(engine, ["p1"])
    bot = make_bot(engine, FAC)
    created = await create_poll(Chat(bot, "fac-1", "Fran"))
    assert "Poll 1 is open. Invitations are going out now to 1 person" in created
    assert "It closes Monday 15 March 2027, 09:00." in created
    async with SqlStore(engine).transaction() as uow:
        poll = await uow.polls.get(1)
    assert poll is not None and poll.anonymous and poll.template.id == "quarterly_checkin"
    assert "facilitators" in (await Chat(bot, "p1").last("create poll")).lower()


async def test_survey_step_by_step_in_a_text_channel_checks_each_answer(engine: AsyncEngine) -> None:
    await cohort_of(engine, ["p1"])
    bot = make_bot(engine, FAC)
    fac = Chat(bot, "fac-1", "Fran")
    await create_poll(fac, template="2")
    me = Chat(bot, "p1")
    assert "This survey asks about your experience" in await me.last("poll answer 1")
    assert "To take part" in (await me.say("maybe"))[0]
    assert "Question 1 of 29" in await me.last("I agree")
    retry = await me.say("9")
    assert "isn't one of the options" in retry[0] and "Question 1 of 29" in retry[1]
    assert "Question 2 of 29" in await me.last("2")  # option 2: every 6-8 weeks
    for _ in range(21):
        await me.say("skip")
    assert "Question 24 of 29" in await me.last("skip")  # recommend: required
    assert "needs an answer" in (await me.say("skip"))[0]
    await me.say("1")  # Yes
    assert "0 to 10" in (await me.say("11"))[0]
    assert "0 to 10" in (await me.say("eleven"))[0]
    await me.say("9")
    for _ in range(3):
        await me.say("skip")
    assert "stored without your name" in await me.last("skip")
    assert "already answered" in await me.last("poll answer 1")
    await fac.say("close poll 1")  # closing moves the held answer into the poll's answers
    async with SqlStore(engine).transaction() as uow:
        assert await uow.polls.responses(1) == [{"often": "Every 6-8 weeks", "recommend": "Yes", "likely": "9"}]


async def test_card_form_shows_problems_beside_questions_then_stores(engine: AsyncEngine) -> None:
    await cohort_of(engine, ["p1"], channel="emulator")
    bot = make_bot(engine, FAC)
    fac = Chat(bot, "fac-1", "Fran")
    await create_poll(fac)
    me = CardChat(bot, "p1")
    [form] = await me.send("poll answer 1")
    assert_valid_card(card(form))
    fields = inputs(form)
    assert list(fields)[:2] == ["met", "protected"] and fields["met"]["isRequired"]
    assert fields["help_next"]["type"] == "Input.ChoiceSet" and fields["comments"]["isMultiline"]
    [again] = await me.send(value={"form": "1", "met": "", "protected": "7"})
    labels = {k: v["label"] for k, v in inputs(again).items()}
    assert "needs an answer" in labels["met"] and "isn't one of the options" in labels["protected"]
    assert inputs(again)["protected"]["value"] == "7"  # what they sent is kept
    [thanks] = await me.send(value={"form": "1", "met": "4+", "help_next": "Nothing,New conversation ideas"})
    assert "stored without your name" in thanks.text
    await fac.say("close poll 1")
    async with SqlStore(engine).transaction() as uow:
        assert await uow.polls.responses(1) == [{"met": "4+", "help_next": ["New conversation ideas", "Nothing"]}]


async def test_named_answers_are_prefilled_and_can_be_changed(engine: AsyncEngine) -> None:
    await cohort_of(engine, ["p1"], channel="emulator")
    bot = make_bot(engine, FAC)
    await create_poll(Chat(bot, "fac-1", "Fran"), privacy="2")
    me = CardChat(bot, "p1")
    await me.send("poll answer 1")
    await me.send(value={"form": "1", "met": "1"})
    [form] = await me.send("poll answer 1")
    assert inputs(form)["met"]["value"] == "1"
    [thanks] = await me.send(value={"form": "1", "met": "3"})
    assert "updated" in thanks.text
    async with SqlStore(engine).transaction() as uow:
        assert await uow.polls.named_answers(1, 1) == {"met": "3"}


async def test_results_wait_for_closing_then_suppress_small_groups_and_link_a_signed_csv(engine: AsyncEngine) -> None:
    users = [f"p{n}" for n in range(5)]
    await cohort_of(engine, users)
    bot = make_bot(engine, FAC)
    bot.services.poll_exports = PollExportLinks(ShortLinks("https://plp.test", SIGNER, bot.services.clock))
    fac = Chat(bot, "fac-1", "Fran")
    await create_poll(fac)
    for n, user in enumerate(users):
        chat = Chat(bot, user)
        await chat.say("poll answer 1")
        await chat.say("5" if n else "1")  # four say 4+, one says 0
        for _ in range(7):
            await chat.say("skip")
        await chat.say("2")  # no contact
        if n == 3:
            assert "4 of 5 responded" in await fac.last("polls")
    early = await fac.last("poll results 1")
    assert "is open until Monday 15 March 2027, 09:00" in early
    assert "once it has closed" in early and "close poll 1" in early
    assert "4+" not in early and "https://plp.test/exports/" not in early
    await fac.say("close poll 1")
    results = await fac.last("poll results 1")
    assert "4+: fewer than 5" in results and "0: fewer than 5" in results and "5 answered" in results
    # only "met" had 5 answers: the other eight questions are left out and counted in one line
    assert "Our time together has been protected" not in results and "Fewer than 5 responses" not in results
    assert "(5 answered)\n\n8 questions hidden: fewer than 5 answers each.\n\n" in results
    token = results.split("https://plp.test/exports/")[1].split(".csv")[0]
    async with SqlStore(engine).transaction() as uow:
        fac_id = (await uow.participants.find_by_user("test", "fac-1")).id
    now = bot.services.clock.now()
    assert SIGNER.open(POLL_EXPORT, token, now) == f"1-{fac_id}"
    assert SIGNER.open(CALENDAR, token, now) is None  # not a calendar token
    assert SIGNER.open(POLL_EXPORT, token, now + EXPORT_LIFETIME) is None  # good for 24 hours


async def test_close_poll_stops_answers(engine: AsyncEngine) -> None:
    await cohort_of(engine, ["p1"])
    wakes: list[int] = []
    bot = make_bot(engine, FAC, wakes=wakes)
    fac = Chat(bot, "fac-1", "Fran")
    await create_poll(fac)
    assert "is closed" in await fac.last("close poll 1") and wakes
    assert "can't find an open poll" in await fac.last("close poll 1")
    assert "isn't open" in await Chat(bot, "p1").last("poll answer 1")
    assert "I can't find that poll" in await Chat(bot, "p1").last("poll answer 9")
