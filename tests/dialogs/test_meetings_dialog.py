"""Meetings through the real bot on a real database: `meet` typed end to end, the partner's
card buttons (accept, suggest another time, decline), moving and cancelling a booking,
"did you meet?", private notes, `we met` and `meetings`.

Ada works in London and Sam in New York: on NOW (Monday 1 March 2027) London is UTC+0 and
New York UTC-5, so every card can be checked in its reader's own zone.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from channels.text import plain_text
from domain.core.clock import FixedClock
from domain.core.model import Group, OutboxMessage, OutboxStatus
from domain.core.reply import Reply
from domain.meetings.model import Meeting, MeetingFormat, MeetingStatus, Outcome
from storage.store import SqlStore
from tests.dialogs.chat import GUIDE, NOW, Chat, make_bot

ZONES = {"ada": "Europe/London", "sam": "America/New_York"}
NAMES = {"ada": "Ada", "sam": "Sam"}
TUE_2PM = datetime(2027, 3, 2, 14, 0, tzinfo=UTC)  # 9:00am in New York
THU_10AM = datetime(2027, 3, 4, 10, 0, tzinfo=UTC)  # 5:00am in New York
FOLLOW_UPS = ("meeting_reminder", "did_you_meet")


@pytest.fixture
async def people(engine: AsyncEngine) -> dict[str, int]:
    """Ada (London) and Sam (New York), enrolled and paired (Ada is partner a)."""
    async with SqlStore(engine).transaction() as uow:
        cohort = await uow.cohorts.create("Spring 2027", "SPRING", date(2027, 3, 1), 12, ["a", "b", "c"], NOW)
        ids = {}
        for key, name in NAMES.items():
            person = await uow.participants.upsert_identity("test", f"u-{key}", name, "", NOW)
            await uow.participants.save_enrolment(
                person.id, cohort.id, Group.BOTH, [], "monthly", "online", ZONES[key], NOW
            )
            ids[key] = person.id
        partnership = await uow.partnerships.create(cohort.id, ids["ada"], ids["sam"], date(2027, 3, 1), NOW)
    return {**ids, "partnership": partnership.id}


def _chats(bot) -> tuple[Chat, Chat]:
    return Chat(bot, "u-ada", "Ada"), Chat(bot, "u-sam", "Sam")


async def _outbox(engine: AsyncEngine, participant_id: int, kind: str = "") -> list[OutboxMessage]:
    async with SqlStore(engine).transaction() as uow:
        return [m for m in await uow.outbox.list_for(participant_id) if not kind or m.kind == kind]


async def _meetings(engine: AsyncEngine, partnership_id: int) -> list[Meeting]:
    """The pair's meetings, oldest first."""
    async with SqlStore(engine).transaction() as uow:
        return sorted(await uow.meetings.for_partnership(partnership_id), key=lambda m: m.id)


async def _meeting(engine: AsyncEngine, meeting_id: int) -> Meeting:
    async with SqlStore(engine).transaction() as uow:
        found = await uow.meetings.get(meeting_id)
    assert found is not None
    return found


def _text(message: OutboxMessage) -> str:
    """The outbox card as the test channel would show it."""
    return plain_text(Reply.from_dict(message.payload))


async def _answers(chat: Chat, *answers: str) -> str:
    """Type each answer in turn; the bot's last reply to the last one."""
    for answer in answers[:-1]:
        await chat.say(answer)
    return await chat.last(answers[-1])


async def _propose(chat: Chat, times: str = "next Tuesday 2pm") -> str:
    """A one-hour Teams call with no agenda, just this once; the reply to "yes"."""
    return await _answers(chat, f"meet {times}", "1 hour", "Teams call", "No agenda", "Just this once", "yes")


async def _booked(engine: AsyncEngine, people: dict[str, int], ada: Chat, sam: Chat) -> Meeting:
    """Ada proposes Tuesday 2pm, Sam accepts: a confirmed meeting."""
    await _propose(ada)
    proposal = (await _meetings(engine, people["partnership"]))[-1]
    assert proposal.status is MeetingStatus.PROPOSED
    await sam.say(value={"command": f"meeting accept {proposal.id} 0"})
    booked = await _meeting(engine, proposal.id)
    assert booked.status is MeetingStatus.CONFIRMED
    return booked


def _rows(messages: list[OutboxMessage]) -> dict[str, tuple[datetime, OutboxStatus]]:
    """Reminder and follow-up rows by idempotency key."""
    return {m.idempotency_key: (m.due_at, m.status) for m in messages if m.kind in FOLLOW_UPS}


async def test_meet_typed_end_to_end_sends_the_partner_a_card_in_their_zone(
    engine: AsyncEngine, people: dict[str, int]
) -> None:
    async with SqlStore(engine).transaction() as uow:
        await uow.guide.record(people["partnership"], ["P1-1"], NOW)
    prompt = GUIDE.prompt("P1-1")
    assert prompt is not None
    wakes: list[int] = []
    ada, _sam = _chats(make_bot(engine, clock=FixedClock(NOW), wakes=wakes))
    assert "When could you meet?" in await ada.last("meet")
    assert "How long would you like?" in await ada.last("next Tuesday 2pm; Thursday 10am")
    assert "1. Teams call\n2. In person\n3. Phone" in await ada.last("1 hour")
    agenda = await ada.last("Teams call")
    assert f"1. This week's guide prompt: {prompt.text[:70]}…\n2. Write my own\n3. No agenda" in agenda
    assert "Just this once" in await ada.last("1")
    check = await ada.last("Every 4 weeks")
    assert "- Tuesday 2 March 2027, 14:00\n- Thursday 4 March 2027, 10:00" in check
    assert await _outbox(engine, people["sam"]) == []  # nothing goes before "yes"
    assert await ada.last("Yes") == "Thanks, I've sent your suggestion to Sam. I'll let you know when they answer."
    (stored,) = await _meetings(engine, people["partnership"])
    assert (stored.status, stored.proposed_by, stored.options, stored.duration_minutes, stored.format) == (
        MeetingStatus.PROPOSED,
        people["ada"],
        [TUE_2PM, THU_10AM],
        60,
        MeetingFormat.TEAMS,
    )
    assert (stored.agenda, stored.rhythm_weeks, stored.place) == (prompt.text, 4, "")
    (card,) = await _outbox(engine, people["sam"])
    shown = _text(card)
    assert card.kind == "meeting_proposed" and "Ada has suggested some times to meet." in shown
    assert "When: Tuesday 2 March 2027, 09:00; Thursday 4 March 2027, 05:00" in shown and "14:00" not in shown
    assert [a["data"]["command"] for a in card.payload["actions"]] == [
        f"meeting accept {stored.id} 0",
        f"meeting accept {stored.id} 1",
        f"meeting suggest {stored.id}",
        f"meeting decline {stored.id}",
    ]
    # the accept buttons name the whole day and time, not only a time
    titles = [a["title"] for a in card.payload["actions"]][:2]
    assert titles == ["Tuesday 2 March 2027, 09:00", "Thursday 4 March 2027, 05:00"]
    assert await _outbox(engine, people["ada"]) == [] and wakes == [1]


async def test_without_a_delivered_prompt_the_agenda_is_their_own_or_none(
    engine: AsyncEngine, people: dict[str, int]
) -> None:
    ada, _ = _chats(make_bot(engine))
    agenda = await _answers(ada, "meet", "Thursday 10am", "30 minutes", "Phone")
    assert "guide prompt" not in agenda and "1. Write my own\n2. No agenda" in agenda
    assert "What would you like to talk about?" in await ada.last("Write my own")
    assert "Every 2 weeks" in await ada.last("How we each handle difficult conversations")
    assert "sent your suggestion to Sam" in await _answers(ada, "Every 2 weeks", "yes")
    (stored,) = await _meetings(engine, people["partnership"])
    assert (stored.agenda, stored.rhythm_weeks, stored.format, stored.duration_minutes) == (
        "How we each handle difficult conversations",
        2,
        MeetingFormat.PHONE,
        30,
    )
    assert "Agenda: How we each handle difficult conversations" in _text(
        (await _outbox(engine, people["sam"], "meeting_proposed"))[0]
    )


async def test_meet_with_a_time_skips_the_times_question(engine: AsyncEngine, people: dict[str, int]) -> None:
    ada, _ = _chats(make_bot(engine))
    first = await ada.say("meet next Tuesday 2pm")
    assert len(first) == 1 and "How long would you like?" in first[0]
    assert "sent your suggestion to Sam" in await _answers(
        ada, "45 minutes", "Teams call", "No agenda", "Just this once", "yes"
    )
    (stored,) = await _meetings(engine, people["partnership"])
    assert (stored.options, stored.duration_minutes, stored.agenda) == ([TUE_2PM], 45, "")


async def test_unreadable_and_past_times_are_explained_and_asked_again_and_cancel_stops(
    engine: AsyncEngine, people: dict[str, int]
) -> None:
    ada, _ = _chats(make_bot(engine))
    await ada.say("meet")
    unreadable = await ada.say("whenever suits")
    assert "I couldn't read that time" in unreadable[0] and "next Tuesday 2pm" in unreadable[0]
    assert "When could you meet?" in unreadable[-1]
    past = await ada.say("today 8am")
    assert "Monday 1 March 2027, 08:00 has already passed" in past[0] and "When could you meet?" in past[-1]
    assert "OK, I've stopped" in await ada.last("cancel")
    assert "didn't catch that" in await ada.last("1 hour")  # the dialog really ended
    assert await _meetings(engine, people["partnership"]) == []
    assert await _outbox(engine, people["sam"]) == []


async def test_a_past_time_typed_after_meet_is_explained_before_asking(
    engine: AsyncEngine, people: dict[str, int]
) -> None:
    ada, _ = _chats(make_bot(engine))
    replies = await ada.say("meet today 8am")
    assert "has already passed" in replies[0] and "When could you meet?" in replies[-1]
    assert "How long would you like?" in await ada.last("tomorrow 10am")


async def test_in_person_asks_where_and_accepts_the_card_form(engine: AsyncEngine, people: dict[str, int]) -> None:
    ada, _ = _chats(make_bot(engine))
    await ada.say("meet")
    assert "How long would you like?" in await ada.last(value={"date": "2027-03-09", "time": "14:00"})
    await ada.say("45 minutes")
    assert "Where will you meet?" in await ada.last("In person")
    assert "Would you like an agenda?" in await ada.last("Leeds General Infirmary, main entrance")
    assert "sent your suggestion to Sam" in await _answers(ada, "No agenda", "Just this once", "yes")
    (stored,) = await _meetings(engine, people["partnership"])
    assert (stored.options, stored.format, stored.place, stored.duration_minutes) == (
        [datetime(2027, 3, 9, 14, 0, tzinfo=UTC)],
        MeetingFormat.IN_PERSON,
        "Leeds General Infirmary, main entrance",
        45,
    )
    shown = _text((await _outbox(engine, people["sam"], "meeting_proposed"))[0])
    assert "Ada has suggested a time to meet." in shown and "When: Tuesday 9 March 2027, 09:00" in shown
    assert "How: In person" in shown and "Where: Leeds General Infirmary, main entrance" in shown


async def test_not_now_sends_nothing(engine: AsyncEngine, people: dict[str, int]) -> None:
    ada, _ = _chats(make_bot(engine))
    reply = await _answers(ada, "meet Thursday 10am", "1 hour", "Teams call", "No agenda", "Just this once", "Not now")
    assert reply == "OK, nothing has been sent."
    assert await _meetings(engine, people["partnership"]) == [] and await _outbox(engine, people["sam"]) == []


async def test_a_time_clashing_with_a_booking_is_explained_when_sending(
    engine: AsyncEngine, people: dict[str, int]
) -> None:
    ada, sam = _chats(make_bot(engine))
    booked = await _booked(engine, people, ada, sam)
    reply = await _propose(ada, "next Tuesday 2:30pm")
    assert reply == (
        "Tuesday 2 March 2027, 14:30 overlaps the meeting you already have booked for "
        "Tuesday 2 March 2027, 14:00. Please pick another time. Type **meet** to try again."
    )
    assert [m.id for m in await _meetings(engine, people["partnership"])] == [booked.id]
    assert len(await _outbox(engine, people["sam"], "meeting_proposed")) == 1  # only the first proposal


async def test_moving_a_cancelled_meeting_is_refused_with_one_hint(engine: AsyncEngine, people: dict[str, int]) -> None:
    ada, sam = _chats(make_bot(engine))
    booked = await _booked(engine, people, ada, sam)
    await _answers(sam, f"meeting cancel {booked.id}", "yes")
    reply = await ada.last(f"meeting move {booked.id}")  # refused before any question is asked
    assert reply == "That meeting was cancelled or declined. Type **meet** to propose a new time."
    assert len(await _meetings(engine, people["partnership"])) == 1


async def test_the_partner_accepts_by_button_and_both_are_booked_with_reminders(
    engine: AsyncEngine, people: dict[str, int]
) -> None:
    wakes: list[int] = []
    ada, sam = _chats(make_bot(engine, wakes=wakes))
    await _propose(ada, "next Tuesday 2pm; Thursday 10am")
    (proposal,) = await _meetings(engine, people["partnership"])
    own = await ada.last(value={"command": f"meeting accept {proposal.id} 0"})
    assert "You suggested this time" in own
    assert (await _meeting(engine, proposal.id)).status is MeetingStatus.PROPOSED
    confirmed = await sam.last(value={"command": f"meeting accept {proposal.id} 1"})
    assert "**Meeting confirmed**" in confirmed and "When: Thursday 4 March 2027, 05:00" in confirmed
    assert f"Move: type `meeting move {proposal.id}`" in confirmed and "Create Teams meeting: https://" in confirmed
    booked = await _meeting(engine, proposal.id)
    assert (booked.status, booked.start_at, booked.sequence) == (MeetingStatus.CONFIRMED, THU_10AM, 0)
    (told,) = await _outbox(engine, people["ada"], "meeting_confirmed")
    assert _text(told) == confirmed.replace("05:00", "10:00")
    for key, person in people.items():
        if key == "partnership":
            continue
        assert _rows(await _outbox(engine, person)) == {
            f"reminder:{booked.id}:{person}:0-1440": (THU_10AM - timedelta(hours=24), OutboxStatus.PENDING),
            f"reminder:{booked.id}:{person}:0-60": (THU_10AM - timedelta(hours=1), OutboxStatus.PENDING),
            f"did_you_meet:{booked.id}:{person}:0": (THU_10AM + timedelta(hours=1), OutboxStatus.PENDING),
        }
    assert "already been answered" in await sam.last(value={"command": f"meeting accept {proposal.id} 0"})
    assert len(wakes) == 2  # proposal sent, booking confirmed


async def test_a_reminder_already_past_is_not_queued(engine: AsyncEngine, people: dict[str, int]) -> None:
    ada, sam = _chats(make_bot(engine))
    await _propose(ada, "today 2pm")  # 5 hours ahead: the 24-hour reminder is already past
    (proposal,) = await _meetings(engine, people["partnership"])
    await sam.say(value={"command": f"meeting accept {proposal.id} 0"})
    start = datetime(2027, 3, 1, 14, 0, tzinfo=UTC)
    assert sorted(_rows(await _outbox(engine, people["sam"])).values()) == [
        (start - timedelta(hours=1), OutboxStatus.PENDING),
        (start + timedelta(hours=1), OutboxStatus.PENDING),
    ]


async def test_the_partner_suggests_another_time_and_the_first_accepts(
    engine: AsyncEngine, people: dict[str, int]
) -> None:
    ada, sam = _chats(make_bot(engine))
    await _answers(ada, "meet next Tuesday 2pm", "1 hour", "Teams call", "No agenda", "Every 4 weeks", "yes")
    (first,) = await _meetings(engine, people["partnership"])
    asked = await sam.last(value={"command": f"meeting suggest {first.id}"})
    # Only the times are asked again: the length, format and agenda already given are kept.
    assert "When could you meet instead?" in asked and "I'll keep the rest as it was: 1 hour, Teams call." in asked
    # Sam types New York times: Wednesday 3pm there is 8pm in London. No rhythm question for a counter-proposal.
    check = await sam.last("Wednesday 3pm")
    assert "Send these times to your partner?" in check and "Wednesday 3 March 2027, 15:00" in check
    assert "sent your suggestion to Ada" in await sam.last("yes")
    old, new = await _meetings(engine, people["partnership"])
    wed = datetime(2027, 3, 3, 20, 0, tzinfo=UTC)
    assert (old.status, new.status, new.proposed_by, new.options) == (
        MeetingStatus.DECLINED,
        MeetingStatus.PROPOSED,
        people["sam"],
        [wed],
    )
    assert (new.uid, new.rhythm_weeks) == (old.uid, 4)
    (card,) = await _outbox(engine, people["ada"], "meeting_proposed")
    shown = _text(card)
    assert "Sam has suggested a time to meet." in shown and "Wednesday 3 March 2027, 20:00" in shown
    assert "already been answered" in await sam.last(value={"command": f"meeting accept {first.id} 0"})
    confirmed = await ada.last(value={"command": f"meeting accept {new.id} 0"})
    assert "**Meeting confirmed**" in confirmed and "Wednesday 3 March 2027, 20:00" in confirmed
    assert (await _meeting(engine, new.id)).start_at == wed
    (told,) = await _outbox(engine, people["sam"], "meeting_confirmed")
    assert "When: Wednesday 3 March 2027, 15:00" in _text(told)


async def test_decline_tells_the_proposer_kindly(engine: AsyncEngine, people: dict[str, int]) -> None:
    ada, sam = _chats(make_bot(engine))
    await _propose(ada)
    (proposal,) = await _meetings(engine, people["partnership"])
    reply = await sam.last(value={"command": f"meeting decline {proposal.id}"})
    assert "Thanks, I've let Ada know" in reply
    assert (await _meeting(engine, proposal.id)).status is MeetingStatus.DECLINED
    (told,) = await _outbox(engine, people["ada"], "meeting_declined")
    assert "Sam can't make the suggested time. If it helps, suggest another." in _text(told)
    assert "Suggest another time: type `meet`" in _text(told)
    assert await _outbox(engine, people["sam"], "meeting_declined") == []


@pytest.mark.parametrize(
    ("mover", "other", "typed", "start"),
    [
        ("ada", "sam", "Friday 11am", datetime(2027, 3, 5, 11, 0, tzinfo=UTC)),
        ("sam", "ada", "Friday 11am", datetime(2027, 3, 5, 16, 0, tzinfo=UTC)),
    ],
)
async def test_either_partner_moves_a_booking_and_the_other_accepts(
    engine: AsyncEngine, people: dict[str, int], mover: str, other: str, typed: str, start: datetime
) -> None:
    chats = dict(zip(("ada", "sam"), _chats(make_bot(engine)), strict=False))
    old = await _booked(engine, people, chats["ada"], chats["sam"])
    old_rows = set(_rows(await _outbox(engine, people["ada"]))) | set(_rows(await _outbox(engine, people["sam"])))
    assert "When could you meet instead?" in await chats[mover].last(value={"command": f"meeting move {old.id}"})
    assert "sent your suggestion" in await _answers(chats[mover], typed, "yes")
    new = (await _meetings(engine, people["partnership"]))[-1]
    (card,) = [
        m
        for m in await _outbox(engine, people[other], "meeting_proposed")
        if f"meeting accept {new.id} 0" in json.dumps(m.payload)
    ]
    assert f"{NAMES[mover]} would like to move your meeting on" in _text(card)
    assert (await _meeting(engine, old.id)).status is MeetingStatus.CONFIRMED  # stays until accepted
    assert "**Meeting confirmed**" in await chats[other].last(value={"command": f"meeting accept {new.id} 0"})
    moved, replaced = await _meeting(engine, new.id), await _meeting(engine, old.id)
    assert (moved.status, moved.start_at, replaced.status) == (MeetingStatus.CONFIRMED, start, MeetingStatus.CANCELLED)
    assert (moved.uid, moved.sequence) == (old.uid, old.sequence + 1)
    for person in (people["ada"], people["sam"]):
        rows = _rows(await _outbox(engine, person))
        assert {rows[key][1] for key in old_rows if key in rows} == {OutboxStatus.CANCELLED}
        assert {key: due for key, (due, status) in rows.items() if status is OutboxStatus.PENDING} == {
            f"reminder:{new.id}:{person}:1-1440": start - timedelta(hours=24),
            f"reminder:{new.id}:{person}:1-60": start - timedelta(hours=1),
            f"did_you_meet:{new.id}:{person}:1": start + timedelta(hours=1),
        }


async def test_cancel_a_booking_stops_reminders_and_tells_the_partner(
    engine: AsyncEngine, people: dict[str, int]
) -> None:
    ada, sam = _chats(make_bot(engine))
    booked = await _booked(engine, people, ada, sam)
    assert "Your partner will be told" in await sam.last(f"meeting cancel {booked.id}")
    assert "nothing has changed" in await sam.last("Not now")
    assert (await _meeting(engine, booked.id)).status is MeetingStatus.CONFIRMED
    await sam.say(value={"command": f"meeting cancel {booked.id}"})
    reply = await sam.last("yes")
    assert "**Meeting cancelled**" in reply and "Tuesday 2 March 2027, 09:00" in reply
    cancelled = await _meeting(engine, booked.id)
    assert (cancelled.status, cancelled.sequence, cancelled.uid) == (MeetingStatus.CANCELLED, 1, booked.uid)
    for person in (people["ada"], people["sam"]):
        statuses = {status for _, status in _rows(await _outbox(engine, person)).values()}
        assert statuses == {OutboxStatus.CANCELLED}
    (told,) = await _outbox(engine, people["ada"], "meeting_cancelled")
    assert "meeting on Tuesday 2 March 2027, 14:00 has been cancelled" in _text(told)
    assert await _outbox(engine, people["sam"], "meeting_cancelled") == []
    assert "already cancelled" in await _answers(ada, f"meeting cancel {booked.id}", "yes")


@pytest.mark.parametrize(
    ("answer", "thanks", "offer", "outcome"),
    [
        ("met", "Lovely, thank you.", "Add a private note: type `meeting note {id}`", Outcome.MET),
        ("not_met", "Diaries have been tough", "Propose a new time: type `meet`", Outcome.UNKNOWN),  # both must say so
        ("moved", "When you have a new time in mind", "Propose a new time: type `meet`", Outcome.MOVED),
        ("skip", "I won't ask about this one again", "", Outcome.UNKNOWN),
    ],
)
async def test_did_you_meet_answers_stay_with_who_gave_them(
    engine: AsyncEngine, people: dict[str, int], answer: str, thanks: str, offer: str, outcome: Outcome
) -> None:
    ada, sam = _chats(make_bot(engine))
    booked = await _booked(engine, people, ada, sam)
    early = await ada.last(value={"command": f"meeting answer {booked.id} {answer}"})
    assert "hasn't started yet" in early
    ada, sam = _chats(make_bot(engine, clock=FixedClock(TUE_2PM + timedelta(hours=2))))
    reply = await ada.last(value={"command": f"meeting answer {booked.id} {answer}"})
    assert thanks in reply and offer.format(id=booked.id) in reply
    assert (await _meeting(engine, booked.id)).outcome is outcome
    # Ada's own "did you meet?" card is no longer needed; Sam's still goes.
    assert (
        _rows(await _outbox(engine, people["ada"]))[f"did_you_meet:{booked.id}:{people['ada']}:0"][1]
        is OutboxStatus.CANCELLED
    )
    assert (
        _rows(await _outbox(engine, people["sam"]))[f"did_you_meet:{booked.id}:{people['sam']}:0"][1]
        is OutboxStatus.PENDING
    )
    own = {"met": "Met", "not_met": "Didn't meet", "moved": "Moved", "skip": "Not recorded"}[answer]
    assert f"**Recent meetings**\n- **Tuesday 2 March 2027, 14:00**: {own}\n" in await ada.last("meetings")
    # Sam sees only his own (missing) answer, never Ada's.
    assert "**Recent meetings**\n- **Tuesday 2 March 2027, 09:00**: Not recorded yet\n" in await sam.last("meetings")
    assert "Please use one of the buttons" in await ada.last(value={"command": f"meeting answer {booked.id} maybe"})


async def test_a_private_note_is_stored_and_never_reaches_the_partner(
    engine: AsyncEngine, people: dict[str, int]
) -> None:
    ada, sam = _chats(make_bot(engine))
    booked = await _booked(engine, people, ada, sam)
    ada, sam = _chats(make_bot(engine, clock=FixedClock(TUE_2PM + timedelta(hours=2))))
    await ada.say(value={"command": f"meeting answer {booked.id} met"})
    await sam.say(value={"command": f"meeting answer {booked.id} not_met"})
    assert (await _meeting(engine, booked.id)).outcome is Outcome.MET
    assert "only you will ever see it" in await ada.last(value={"command": f"meeting note {booked.id}"})
    note = "I noticed how much the night-shift story mattered to me"
    assert await ada.last(note) == "Saved. Only you can see this note."
    async with SqlStore(engine).transaction() as uow:
        (mine,) = await uow.meetings.reflections(people["ada"])
        assert await uow.meetings.reflections(people["sam"]) == []
    assert (mine.text, mine.meeting_id) == (note, booked.id)
    theirs = await sam.last("meetings")
    assert note not in theirs and "You have" not in theirs
    assert "- **Tuesday 2 March 2027, 09:00**: Didn't meet\n" in theirs
    assert note not in json.dumps([m.payload for m in await _outbox(engine, people["sam"])])
    own = await ada.last("meetings")
    assert "You have 1 private note. Only you can see them." in own and note not in own
    assert "- **Tuesday 2 March 2027, 14:00**: Met\n" in own


async def test_a_note_about_an_unknown_meeting_is_a_kind_message(engine: AsyncEngine, people: dict[str, int]) -> None:
    ada, _ = _chats(make_bot(engine))
    await ada.say("meeting note 999")
    assert "couldn't find that meeting" in await ada.last("Something private")
    async with SqlStore(engine).transaction() as uow:
        assert await uow.meetings.reflections(people["ada"]) == []
    assert "Saved" in await _answers(ada, "note", "A note about nothing in particular")


async def test_we_met_logs_a_meeting_and_meetings_lists_upcoming_and_past(
    engine: AsyncEngine, people: dict[str, int]
) -> None:
    ada, sam = _chats(make_bot(engine))
    assert "No meetings yet" in await ada.last("meetings")
    assert "When did you meet?" in await ada.last("we met")
    logged_reply = await ada.last("Yesterday")
    assert "added it to your meeting log" in logged_reply
    (logged,) = await _meetings(engine, people["partnership"])
    assert (logged.status, logged.start_at, logged.outcome, logged.logged_only) == (
        MeetingStatus.CONFIRMED,
        NOW - timedelta(days=1),
        Outcome.MET,
        True,
    )
    booked = await _booked(engine, people, ada, sam)
    view = await sam.last("meetings")
    assert "Times are shown in America/New_York." in view
    assert "**Coming up**\n- **Tuesday 2 March 2027, 09:00**: Teams call, 1 hour" in view
    assert "**Recent meetings**\n- **Sunday 28 February 2027, 04:00**: Met (logged)" in view
    assert f"Move Tuesday 2 March 2027, 09:00: type `meeting move {booked.id}`" in view
    assert f"Cancel Tuesday 2 March 2027, 09:00: type `meeting cancel {booked.id}`" in view
    assert "**Coming up**\n- **Tuesday 2 March 2027, 14:00**" in await ada.last("meetings")


async def test_meeting_commands_for_unknown_meetings_are_kind(engine: AsyncEngine, people: dict[str, int]) -> None:
    ada, _ = _chats(make_bot(engine))
    assert "couldn't find that meeting" in await ada.last(value={"command": "meeting accept 999 0"})
    assert "couldn't find that meeting" in await ada.last(value={"command": "meeting decline 999"})
    assert "couldn't find that meeting" in await _answers(ada, "meeting cancel 999", "yes")
    assert "Type **meetings** to see your meetings" in await ada.last("meeting whatever")


@pytest.mark.parametrize("command", ["meet", "meet tomorrow 10am", "we met"])
async def test_without_a_partner_meetings_say_so_before_any_question(engine: AsyncEngine, command: str) -> None:
    lone = Chat(make_bot(engine), "u-lone", "Lee")
    (reply,) = await lone.say(command)
    assert "once you're paired with a learning partner" in reply
    assert "didn't catch that" in await lone.last("1 hour")  # no question was left waiting
    assert "once you're paired with a learning partner" in await lone.last("meetings")
