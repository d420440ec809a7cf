"""Issue 12, items 5 to 7, as conversations on the real bot and database: one date language (typed
"next Monday", date pickers, half answers completed on the next turn), a poll opened "now" going out at
once, and the smaller snags (another time keeps what was agreed, `guide` on launch day, a pause with a
meeting booked inside it, `pair` with groups and per-cohort numbers).

Ada works in London and Sam in New York; NOW is Monday 1 March 2027, 09:00 UTC, the cohort's launch day.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from botbuilder.core.adapters import TestAdapter
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount, ConversationAccount
from sqlalchemy.ext.asyncio import AsyncEngine

from dialogs.companion import CompanionBot
from domain.core.model import Group, OutboxStatus
from domain.meetings.model import MeetingFormat, MeetingStatus
from storage.store import SqlStore
from tests.dialogs.chat import NOW, Chat, make_bot

FAC = frozenset({"fac-1"})
ZONES = {"ada": "Europe/London", "sam": "America/New_York"}


class CardChat:
    """A 1:1 chat on a card channel (the Emulator): the bot's replies as activities."""

    def __init__(self, bot: CompanionBot, user_id: str, name: str) -> None:
        self.adapter = TestAdapter(
            bot.on_turn,
            Activity(
                channel_id="emulator",
                service_url="https://test.example/",
                from_property=ChannelAccount(id=user_id, name=name),
                recipient=ChannelAccount(id="bot", name="PLP Companion"),
                conversation=ConversationAccount(id=f"card-{user_id}", conversation_type="personal"),
            ),
        )
        self._ids = iter(range(1, 1000))

    async def send(self, text: str = "", value: dict[str, Any] | None = None) -> list[Activity]:
        await self.adapter.receive_activity(
            Activity(type=ActivityTypes.message, text=text or None, value=value, id=f"cc-{next(self._ids)}")
        )
        replies = []
        while (reply := self.adapter.get_next_activity()) is not None:
            replies.append(reply)
        return replies


def inputs(activity: Activity) -> dict[str, str]:
    """The card's inputs: id -> Adaptive Card element type."""
    body = activity.attachments[0].content["body"]
    return {e["id"]: e["type"] for e in body if e["type"].startswith("Input.")}


@pytest.fixture
async def people(engine: AsyncEngine) -> dict[str, int]:
    """Ada and Sam, enrolled in Spring 2027 (launch today) and paired from today."""
    return await pair_of(engine)


async def pair_of(engine: AsyncEngine, channel: str = "test") -> dict[str, int]:
    """Ada and Sam on `channel`, enrolled in Spring 2027 (launch today) and paired from today."""
    async with SqlStore(engine).transaction() as uow:
        cohort = await uow.cohorts.create("Spring 2027", "SPRING", date(2027, 3, 1), 12, ["a", "b", "c"], NOW)
        ids = {}
        for key, group in (("ada", Group.BME_COLLEAGUE), ("sam", Group.SENIOR_LEADER)):
            person = await uow.participants.upsert_identity(channel, f"u-{key}", key.title(), "", NOW)
            await uow.participants.save_enrolment(person.id, cohort.id, group, [], "monthly", "online", ZONES[key], NOW)
            ids[key] = person.id
        partnership = await uow.partnerships.create(cohort.id, ids["ada"], ids["sam"], date(2027, 3, 1), NOW)
    return {**ids, "partnership": partnership.id, "cohort": cohort.id}


async def _answers(chat: Chat, *answers: str) -> str:
    for answer in answers[:-1]:
        await chat.say(answer)
    return await chat.last(answers[-1])


# --- Item 5: one date and time language ---


async def test_the_launch_date_is_typed_like_a_meeting_day_or_picked_and_shown_in_the_one_format(
    engine: AsyncEngine,
) -> None:
    bot = make_bot(engine, FAC)
    fran = CardChat(bot, "fac-1", "Fran")
    await fran.send("create cohort")
    (asked,) = await fran.send("Autumn 2027")
    assert inputs(asked) == {"date": "Input.Date"}  # a date picker where a date is asked
    assert "next Monday" in asked.attachments[0].content["body"][0]["text"]
    (unreadable, again) = await fran.send("soonish")
    assert "couldn't read that date" in unreadable.text and "'next Monday', '1 March'" in unreadable.text
    assert inputs(again) == {"date": "Input.Date"}
    await fran.send("next Monday")  # typed like a meeting day: Monday 8 March 2027
    await fran.send(value={"choice": "12"})
    created = await fran.send(value={"choice": "default"})
    facts = {f["title"]: f["value"] for f in created[-1].attachments[0].content["body"][2]["facts"]}
    assert facts["Launch"] == "Monday 8 March 2027"
    async with SqlStore(engine).transaction() as uow:
        (cohort,) = await uow.cohorts.list_all()
    assert cohort.start_date == date(2027, 3, 8)

    picked = Chat(make_bot(engine, frozenset({"fac-1b"})), "fac-1b", "Gail")
    await _answers(picked, "create cohort", "Winter 2027")
    await picked.say(value={"form": "1", "date": "2027-12-06"})  # the date picker's value
    await picked.say("12")
    created_text = await picked.last("Use these")
    assert "Launch: Monday 6 December 2027" in created_text and "2027-12-06" not in created_text


async def test_a_day_without_a_time_asks_only_for_the_time_and_the_answer_completes_it(
    engine: AsyncEngine, people: dict[str, int]
) -> None:
    ada = Chat(make_bot(engine), "u-ada", "Ada")
    (half,) = await ada.say("meet next Tuesday")
    assert half.startswith("I have Tuesday 2 March 2027; what time?")  # not "couldn't read that time"
    assert "How long" in await ada.last("2pm")
    check = await _answers(ada, "1 hour", "Teams call", "No agenda", "Just this once")
    assert "- Tuesday 2 March 2027, 14:00" in check
    # Asked afresh, a typed day alone is half an answer too: one short question, the day kept.
    sam = Chat(make_bot(engine), "u-sam", "Sam")
    await sam.say("meet")
    replies = await sam.say("Thursday")
    assert replies == ["I have Thursday 4 March 2027; what time? (Type **cancel** to stop.)"]
    assert "How long" in await sam.last("10am")


async def test_the_card_form_with_a_date_but_no_time_keeps_the_date_for_the_time_picked_next(
    engine: AsyncEngine,
) -> None:
    await pair_of(engine, "emulator")
    ada = CardChat(make_bot(engine), "u-ada", "Ada")
    (asked,) = await ada.send("meet")
    assert inputs(asked) == {"date": "Input.Date", "time": "Input.Time"}
    (half,) = await ada.send(value={"form": "1", "date": "2027-03-09", "time": ""})
    assert half.text == "I have Tuesday 9 March 2027; what time? (Type **cancel** to stop.)"
    (length,) = await ada.send(value={"form": "1", "date": "", "time": "14:30"})
    assert "How long" in str(length.attachments[0].content)


@pytest.mark.parametrize(
    ("command", "steps"),
    [
        ("create poll", ("1", "1", "1", "2")),  # a poll opening at a date and time
        ("broadcast", ("Hello all", "No link", "Everyone", "At a set time")),
        ("create session", ("Quarterly group session",)),
    ],
)
async def test_every_date_and_time_question_offers_pickers(
    engine: AsyncEngine, people: dict[str, int], command: str, steps: tuple[str, ...]
) -> None:
    fran = CardChat(make_bot(engine, FAC), "fac-1", "Fran")
    await fran.send(command)
    for step in steps[:-1]:
        await fran.send(step)
    asked = (await fran.send(steps[-1]))[-1]
    assert inputs(asked) == {"date": "Input.Date", "time": "Input.Time"}


# --- Item 6: a poll opened "now" goes out at once ---


async def test_a_poll_opened_now_queues_every_invitation_due_now_and_wakes_the_sender(
    engine: AsyncEngine, people: dict[str, int]
) -> None:
    wakes: list[int] = []
    fran = Chat(make_bot(engine, FAC, wakes=wakes), "fac-1", "Fran")
    confirm = await _answers(fran, "create poll", "1", "1", "1", "1")
    assert "opening now for 14 days" in confirm
    told = await fran.last("yes")
    assert told.startswith("Poll 1 is open. Invitations are going out now to 2 people")
    assert wakes == [1]
    async with SqlStore(engine).transaction() as uow:
        for person in (people["ada"], people["sam"]):
            (invite,) = [m for m in await uow.outbox.list_for(person) if m.kind == "poll_invite"]
            # Sam is outside working hours (04:00 in New York): his is due when his day starts.
            due = NOW if person == people["ada"] else datetime(2027, 3, 1, 14, 0, tzinfo=UTC)
            assert (invite.status, invite.due_at) == (OutboxStatus.PENDING, due)


# --- Item 7: the smaller snags ---


async def test_another_time_keeps_the_length_format_place_and_agenda(
    engine: AsyncEngine, people: dict[str, int]
) -> None:
    ada, sam = Chat(make_bot(engine), "u-ada", "Ada"), Chat(make_bot(engine), "u-sam", "Sam")
    await _answers(ada, "meet next Tuesday 2pm", "1 hour 30", "In person", "Leeds General Infirmary", "Write my own")
    await _answers(ada, "Insight visit to the wards", "Just this once", "yes")
    async with SqlStore(engine).transaction() as uow:
        (first,) = await uow.meetings.for_partnership(people["partnership"])
    asked = await sam.last(value={"command": f"meeting suggest {first.id}"})
    assert "I'll keep the rest as it was: 1 hour 30 minutes, In person, at Leeds General Infirmary" in asked
    check = await sam.last("Wednesday 10am")  # no length, format, place or agenda questions
    assert "Send these times to your partner?" in check and "Wednesday 3 March 2027, 10:00" in check
    assert "sent your suggestion to Ada" in await sam.last("yes")
    async with SqlStore(engine).transaction() as uow:
        new = max(await uow.meetings.for_partnership(people["partnership"]), key=lambda m: m.id)
    assert (new.status, new.duration_minutes, new.format) == (MeetingStatus.PROPOSED, 90, MeetingFormat.IN_PERSON)
    assert (new.place, new.agenda) == ("Leeds General Infirmary", "Insight visit to the wards")


async def test_guide_on_launch_day_shows_no_preparation_prompt_as_coming_up(
    engine: AsyncEngine, people: dict[str, int]
) -> None:
    overview = await Chat(make_bot(engine), "u-ada", "Ada").last("guide")
    assert "Coming up: launch week" in overview
    assert "before launch" not in overview and "Where you are: Week 0 of 52" in overview


async def test_pausing_with_a_meeting_booked_inside_the_pause_says_it_is_kept_and_how_to_cancel(
    engine: AsyncEngine, people: dict[str, int]
) -> None:
    ada, sam = Chat(make_bot(engine), "u-ada", "Ada"), Chat(make_bot(engine), "u-sam", "Sam")
    await _answers(ada, "meet next Tuesday 2pm", "1 hour", "Teams call", "No agenda", "Just this once", "yes")
    async with SqlStore(engine).transaction() as uow:
        (proposal,) = await uow.meetings.for_partnership(people["partnership"])
    await sam.say(value={"command": f"meeting accept {proposal.id} 0"})
    paused = await _answers(ada, "pause", "Leave", "1 month")
    assert "Your meeting on Tuesday 2 March 2027, 14:00 is still booked: it stays, and Sam has been told." in paused
    assert f"Cancel that meeting: type `meeting cancel {proposal.id}`" in paused
    async with SqlStore(engine).transaction() as uow:
        (notice,) = [m for m in await uow.outbox.list_for(people["sam"]) if m.kind == "paused"]
        assert (await uow.meetings.get(proposal.id)).status is MeetingStatus.CONFIRMED  # kept
    assert "Tuesday 2 March 2027, 09:00 is still booked" in notice.payload["text"]  # in Sam's own zone


async def test_pair_shows_groups_and_asks_before_pairing_two_people_of_the_same_group(engine: AsyncEngine) -> None:
    async with SqlStore(engine).transaction() as uow:
        cohort = await uow.cohorts.create("Spring 2027", "SPRING", date(2027, 3, 1), 12, ["a", "b", "c"], NOW)
        for user, group in (("u-kim", Group.SENIOR_LEADER), ("u-lee", Group.SENIOR_LEADER)):
            person = await uow.participants.upsert_identity("test", user, user[2:].title(), "", NOW)
            await uow.participants.save_enrolment(person.id, cohort.id, group, [], "monthly", "online", "UTC", NOW)
    fran = Chat(make_bot(engine, FAC), "fac-1", "Fran")
    asked = await fran.last("pair 1 2")
    assert "Kim and Lee are both in the Senior leader group, but the programme pairs people across groups" in asked
    assert "1. Pair them anyway\n2. Not now" in asked
    assert "OK, I haven't paired them." in await fran.last("Not now")
    await fran.say("pair 1 2")
    assert "Paired" in await fran.last("Pair them anyway")


async def test_typed_numbers_count_within_a_cohort_and_two_cohorts_ask_which(engine: AsyncEngine) -> None:
    async with SqlStore(engine).transaction() as uow:
        fran = await uow.participants.upsert_identity("test", "fac-1", "Fran", "", NOW)  # an early record: id 1
        for code in ("SPRING", "AUTUMN"):
            cohort = await uow.cohorts.create(code.title(), code, date(2027, 3, 1), 12, ["a", "b", "c"], NOW)
            for user, group in ((f"{code}-a", Group.BME_COLLEAGUE), (f"{code}-b", Group.SENIOR_LEADER)):
                person = await uow.participants.upsert_identity("test", user, f"{code.title()} {user[-1]}", "", NOW)
                await uow.participants.save_enrolment(person.id, cohort.id, group, [], "monthly", "online", "UTC", NOW)
    assert fran.number is None
    chat = Chat(make_bot(engine, FAC), "fac-1", "Fran")
    listing = await chat.last("participants")
    assert listing.count("#1 ") == 2 and "#1 Spring a" in listing and "#2 Autumn b" in listing
    which = await chat.last("pair 1 2")
    assert "Which cohort are #1 and #2 in? Numbers count from #1 in each cohort." in which
    confirm = await chat.last("Autumn")
    assert "Pair **Autumn a** (Black and minority ethnic colleague) and **Autumn b** (Senior leader)?" in confirm
    assert "Paired" in await chat.last("yes")
    # A join code names the cohort at once (what the suggestions' buttons send).
    assert "Pair **Spring a**" in await chat.last("pair 1 2 SPRING")
    assert "OK, I haven't paired them." in await chat.last("Not now")
    assert "couldn't find both" in await chat.last("pair 1 7 SPRING")
