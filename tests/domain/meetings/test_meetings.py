"""Meetings: the pure rules as tables, and propose / accept / decline / cancel / move on the real
store (SQLite, and PostgreSQL with TEST_DATABASE_URL). The meeting log, notes, overview and
the scheduled follow-up are in test_meetings_log.py."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from domain.core.model import OutboxStatus, PartnershipStatus
from domain.core.reply import Reply
from domain.language.recognize import AnswerError
from domain.meetings import service as meetings
from domain.meetings.cards import duration_text, reminder_card
from domain.meetings.model import Answer, Meeting, MeetingFormat, MeetingStatus, Outcome
from domain.meetings.rules import MeetingError, check_details, check_times, next_start, reconcile
from domain.meetings.wording import meeting_reply
from storage.store import SqlStore
from tests.domain.meeting_fixtures import (
    FORBIDDEN,
    LINKS,
    NOW,
    REMINDERS,
    TUE_2PM,
    WED_10AM,
    Pair,
    book,
    card,
    commands,
    make_pair,
    outbox,
    propose,
    stored,
)
from tests.reading import as_read

PENDING = OutboxStatus.PENDING
SCHEDULED = ("meeting_reminder", "did_you_meet")


def _meeting(start: datetime | None = TUE_2PM, minutes: int = 60, rhythm: int = 0, agenda: str = "") -> Meeting:
    return Meeting(
        id=5,
        partnership_id=1,
        proposed_by=1,
        status=MeetingStatus.CONFIRMED,
        options=[TUE_2PM],
        start_at=start,
        duration_minutes=minutes,
        format=MeetingFormat.TEAMS,
        rhythm_weeks=rhythm,
        agenda=agenda,
        uid="u1",
    )


@pytest.mark.parametrize(
    ("answers", "outcome"),
    [
        ([], Outcome.UNKNOWN),
        ([Answer.MET], Outcome.MET),
        ([Answer.NOT_MET], Outcome.UNKNOWN),
        ([Answer.NOT_MET, Answer.NOT_MET], Outcome.NOT_MET),
        ([Answer.NOT_MET, Answer.MET], Outcome.MET),
        ([Answer.MOVED], Outcome.MOVED),
        ([Answer.NOT_MET, Answer.MOVED], Outcome.MOVED),
        ([Answer.MOVED, Answer.MET], Outcome.MET),
        ([Answer.SKIP, Answer.NOT_MET], Outcome.UNKNOWN),
        ([Answer.SKIP, Answer.SKIP], Outcome.UNKNOWN),
    ],
)
def test_reconcile_answers(answers: list[Answer], outcome: Outcome) -> None:
    assert reconcile(answers) == outcome


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        ([], "at least one time"),
        ([NOW], "has already passed"),
        ([NOW - timedelta(minutes=1), TUE_2PM], "Monday 1 March 2027, 08:59 has already passed"),
        ([TUE_2PM + timedelta(hours=h) for h in range(6)], "up to 5 times"),
        ([TUE_2PM + timedelta(minutes=59)], "overlaps the meeting you already have booked for Tuesday 2 March 2027"),
        ([TUE_2PM - timedelta(minutes=44)], "overlaps"),
    ],
)
def test_check_times_refuses_past_and_clashing_times_kindly(options: list[datetime], problem: str) -> None:
    with pytest.raises(MeetingError, match=problem):
        check_times(options, 45, NOW, [_meeting()], "Europe/London")


def test_check_times_sorts_removes_duplicates_and_allows_back_to_back() -> None:
    after, before = TUE_2PM + timedelta(hours=1), TUE_2PM - timedelta(minutes=45)
    assert check_times([after, before, after], 45, NOW, [_meeting()], "Europe/London") == [before, after]


@pytest.mark.parametrize(
    ("minutes", "place", "agenda", "rhythm", "ok"),
    [
        (15, "", "", 0, True),
        (240, "x" * 200, "y" * 1000, 12, True),
        (14, "", "", 0, False),
        (241, "", "", 0, False),
        (30, "x" * 201, "", 0, False),
        (30, "", "y" * 1001, 0, False),
        (30, "", "", 13, False),
        (30, "", "", -1, False),
    ],
)
def test_check_details(minutes: int, place: str, agenda: str, rhythm: int, ok: bool) -> None:
    if ok:
        check_details(minutes, place, agenda, rhythm)
    else:
        with pytest.raises(MeetingError):
            check_details(minutes, place, agenda, rhythm)


@pytest.mark.parametrize(
    ("start", "zone", "rhythm", "now", "expected"),
    [
        (TUE_2PM, "Europe/London", 2, NOW, datetime(2027, 3, 16, 14, 0, tzinfo=UTC)),
        # Same 2pm London wall time across the change to summer time (BST, UTC+1).
        (datetime(2027, 3, 23, 14, 0, tzinfo=UTC), "Europe/London", 2, NOW, datetime(2027, 4, 6, 13, 0, tzinfo=UTC)),
        # Same 9am New York wall time across the US change (14 March 2027).
        (TUE_2PM, "America/New_York", 2, NOW, datetime(2027, 3, 16, 13, 0, tzinfo=UTC)),
        # Already past when the job runs late: the next step still ahead.
        (TUE_2PM, "Europe/London", 1, datetime(2027, 3, 12, tzinfo=UTC), datetime(2027, 3, 16, 14, 0, tzinfo=UTC)),
    ],
)
def test_next_start_keeps_the_local_weekday_and_time(
    start: datetime, zone: str, rhythm: int, now: datetime, expected: datetime
) -> None:
    assert next_start(_meeting(start, rhythm=rhythm), zone, now) == expected


@pytest.mark.parametrize(
    ("minutes", "text"),
    [(15, "15 minutes"), (60, "1 hour"), (90, "1 hour 30 minutes"), (120, "2 hours"), (240, "4 hours")],
)
def test_duration_text(minutes: int, text: str) -> None:
    assert duration_text(minutes) == text


@pytest.mark.parametrize(
    ("before", "agenda", "text"),
    [
        (
            timedelta(hours=24),
            "Insight visits",
            "Your learning partnership meeting is tomorrow at 14:00. If it helps, glance at your agenda.",
        ),
        (
            timedelta(hours=1),
            "",
            "Your learning partnership meeting is in an hour, at 14:00. If it helps, think of one thing to talk about.",
        ),
        (
            timedelta(minutes=30),
            "",
            "Your learning partnership meeting is in 30 minutes, at 14:00. "
            "If it helps, think of one thing to talk about.",
        ),
    ],
)
def test_reminder_wording_is_warm_and_brief(before: timedelta, agenda: str, text: str) -> None:
    assert reminder_card(_meeting(agenda=agenda), "Europe/London", before).text == text


# --- services on the real store ---------------------------------------------------------


async def test_propose_sends_the_partner_a_card_in_their_own_time_zone(store: SqlStore, pair: Pair) -> None:
    result = await meetings.propose(
        store, pair.ada, [WED_10AM, TUE_2PM], 45, MeetingFormat.TEAMS, "", " Insight visits ", 0, NOW
    )
    meeting = result.meeting
    assert (meeting.status, meeting.proposed_by, meeting.options, meeting.agenda) == (
        MeetingStatus.PROPOSED,
        pair.ada,
        [TUE_2PM, WED_10AM],
        "Insight visits",
    )
    assert result.queued and as_read(meeting_reply(result)).text.startswith("Thanks, I've sent your suggestion to Sam.")
    assert await outbox(store, pair.ada) == []
    (sent,) = await outbox(store, pair.sam)
    assert (sent.kind, sent.due_at, sent.idempotency_key) == (
        "meeting_proposed",
        NOW,
        f"meeting_proposed:{meeting.id}:{pair.sam}:0",
    )
    shown = as_read(card(sent))
    assert (shown.title, shown.text) == ("Meeting proposed", "Ada has suggested some times to meet.")
    assert [(f.title, f.value) for f in shown.facts] == [
        ("When", "Tuesday 2 March 2027, 09:00; Wednesday 3 March 2027, 05:00"),
        ("How long", "45 minutes"),
        ("How", "Teams call"),
        ("Agenda", "Insight visits"),
    ]
    assert [a.title for a in shown.actions] == [
        "Tuesday 2 March 2027, 09:00",
        "Wednesday 3 March 2027, 05:00",
        "Suggest another time",
        "Decline",
    ]
    assert commands(shown) == [
        f"meeting accept {meeting.id} 0",
        f"meeting accept {meeting.id} 1",
        f"meeting suggest {meeting.id}",
        f"meeting decline {meeting.id}",
    ]


@pytest.mark.parametrize(
    ("options", "minutes", "problem"),
    [
        ([NOW - timedelta(hours=1)], 45, "has already passed"),
        ([NOW], 45, "has already passed"),
        ([], 45, "at least one time"),
        ([TUE_2PM], 10, "from 15 minutes to 4 hours"),
        ([TUE_2PM], 300, "from 15 minutes to 4 hours"),
    ],
)
async def test_propose_refuses_kindly_and_stores_nothing(
    store: SqlStore, pair: Pair, options: list[datetime], minutes: int, problem: str
) -> None:
    with pytest.raises(AnswerError, match=problem):
        await meetings.propose(store, pair.ada, options, minutes, MeetingFormat.PHONE, "", "", 0, NOW)
    async with store.transaction() as uow:
        assert await uow.meetings.for_partnership(pair.partnership) == []
    assert await outbox(store, pair.sam) == []


async def test_propose_refuses_a_time_that_overlaps_a_booked_meeting(store: SqlStore, pair: Pair) -> None:
    await book(store, pair, TUE_2PM)
    with pytest.raises(MeetingError, match="overlaps the meeting you already have booked for Tuesday 2 March 2027, 09"):
        await propose(store, pair.sam, TUE_2PM + timedelta(minutes=30))
    assert (await propose(store, pair.sam, TUE_2PM + timedelta(minutes=45))).status is MeetingStatus.PROPOSED


async def test_people_outside_the_pair_cannot_see_or_act_on_its_meetings(store: SqlStore, pair: Pair) -> None:
    others = await make_pair(store, "OTHER", ("Lee", "Kim"))
    async with store.transaction() as uow:
        alone = (await uow.participants.upsert_identity("test", "u-alone", "Al", "", NOW)).id
    with pytest.raises(MeetingError, match="once you're paired"):
        await propose(store, alone, TUE_2PM)
    proposal = await propose(store, pair.ada, TUE_2PM)
    for meeting_id in (proposal.id, proposal.id + 100):
        for call in (
            meetings.accept(store, others.ada, meeting_id, 0, LINKS, NOW, REMINDERS),
            meetings.decline(store, others.sam, meeting_id, NOW),
            meetings.cancel(store, others.ada, meeting_id, LINKS, NOW),
            meetings.answer(store, others.ada, meeting_id, Answer.MET, NOW),
            meetings.add_note(store, others.sam, meeting_id, "mine", NOW),
        ):
            with pytest.raises(MeetingError, match="couldn't find that meeting"):
                await call
    with pytest.raises(MeetingError, match="couldn't find that meeting"):
        await propose(store, others.ada, WED_10AM, replaces=proposal.id)
    assert (await stored(store, proposal.id)).status is MeetingStatus.PROPOSED


async def test_the_proposer_cannot_accept_or_decline_their_own_suggestion(store: SqlStore, pair: Pair) -> None:
    proposal = await propose(store, pair.ada, TUE_2PM)
    for call in (
        meetings.accept(store, pair.ada, proposal.id, 0, LINKS, NOW, REMINDERS),
        meetings.decline(store, pair.ada, proposal.id, NOW),
    ):
        with pytest.raises(MeetingError, match="You suggested this time"):
            await call
    with pytest.raises(MeetingError, match="isn't one of the suggested options"):
        await meetings.accept(store, pair.sam, proposal.id, 1, LINKS, NOW, REMINDERS)
    await meetings.accept(store, pair.sam, proposal.id, 0, LINKS, NOW, REMINDERS)
    with pytest.raises(MeetingError, match="already been answered"):
        await meetings.accept(store, pair.sam, proposal.id, 0, LINKS, NOW, REMINDERS)


def _without_personal(reply: Reply) -> Reply:
    """The card minus what differs per person by design: the time in their zone and their links."""
    return replace(
        reply,
        facts=tuple(f for f in reply.facts if f.title != "When"),
        actions=tuple(a for a in reply.actions if a.kind == "submit"),
    )


async def test_both_partners_get_the_same_confirmation_each_in_their_own_zone(store: SqlStore, pair: Pair) -> None:
    proposal = await propose(store, pair.ada, TUE_2PM, WED_10AM, rhythm=4)
    result = await meetings.accept(store, pair.sam, proposal.id, 1, LINKS, NOW, REMINDERS)
    assert (result.meeting.status, result.meeting.start_at, result.queued) == (MeetingStatus.CONFIRMED, WED_10AM, True)
    assert (await stored(store, proposal.id)).start_at == WED_10AM
    (for_ada,) = [m for m in await outbox(store, pair.ada) if m.kind == "meeting_confirmed"]
    ada_card, sam_card = card(for_ada), meeting_reply(result)
    assert _without_personal(ada_card) == _without_personal(sam_card)
    assert (ada_card.title, ada_card.text) == (
        "Meeting confirmed",
        "You're both booked in. If it helps, add it to your calendar.",
    )
    assert ada_card.facts[0].value == "Wednesday 3 March 2027, 10:00"
    assert sam_card.facts[0].value == "Wednesday 3 March 2027, 05:00"
    rhythm = ("Rhythm", "Every 4 weeks: I'll suggest the next one afterwards")
    assert rhythm in [(f.title, f.value) for f in sam_card.facts]
    links = {a.title: a.url for a in ada_card.actions if a.kind == "open_url"}
    assert links["Add to calendar"] == f"https://plp.test/calendar/m{proposal.id}.p{pair.ada}.ics"
    assert "attendees=sam%40nhs.test" in links["Create Teams meeting"]
    assert "startTime=2027-03-03T10%3A00%3A00%2B00%3A00" in links["Create Teams meeting"]
    assert "attendees=ada%40nhs.test" in next(a.url for a in sam_card.actions if a.title == "Create Teams meeting")
    assert commands(ada_card) == [f"meeting move {proposal.id}", f"meeting cancel {proposal.id}"]


async def test_no_teams_link_for_other_formats_and_no_calendar_button_without_a_link(
    store: SqlStore, pair: Pair
) -> None:
    class NoLinks:
        def calendar_url(self, meeting_id: int, participant_id: int, ends_at: datetime) -> str:
            return ""

    proposal = await meetings.propose(store, pair.ada, [TUE_2PM], 60, MeetingFormat.IN_PERSON, "Ward 7", "", 0, NOW)
    result = await meetings.accept(store, pair.sam, proposal.meeting.id, 0, NoLinks(), NOW, REMINDERS)
    assert [a.title for a in meeting_reply(result).actions] == ["Move", "Cancel"]
    assert ("Where", "Ward 7") in [(f.title, f.value) for f in as_read(meeting_reply(result)).facts]


async def test_accepting_queues_reminders_and_the_follow_up_at_their_exact_instants(
    store: SqlStore, pair: Pair
) -> None:
    meeting = await book(store, pair, WED_10AM)
    for person, clock_time in ((pair.ada, "10:00"), (pair.sam, "05:00")):
        rows = {m.idempotency_key: m for m in await outbox(store, person, PENDING) if m.kind in SCHEDULED}
        assert {key: (m.kind, m.due_at) for key, m in rows.items()} == {
            f"reminder:{meeting.id}:{person}:0-1440": ("meeting_reminder", WED_10AM - timedelta(hours=24)),
            f"reminder:{meeting.id}:{person}:0-60": ("meeting_reminder", WED_10AM - timedelta(hours=1)),
            f"did_you_meet:{meeting.id}:{person}:0": ("did_you_meet", WED_10AM + timedelta(minutes=45)),
        }
        tomorrow = card(rows[f"reminder:{meeting.id}:{person}:0-1440"])
        assert tomorrow.text == (
            f"Your learning partnership meeting is tomorrow at {clock_time}. If it helps, glance at your agenda."
        )
        asked = card(rows[f"did_you_meet:{meeting.id}:{person}:0"])
        assert [(a.title, a.data["command"]) for a in asked.actions] == [
            ("Yes, we met", f"meeting answer {meeting.id} met"),
            ("We moved it", f"meeting answer {meeting.id} moved"),
            ("No", f"meeting answer {meeting.id} not_met"),
            ("Skip", f"meeting answer {meeting.id} skip"),
        ]
        assert "won't share it with your partner" in asked.text


async def test_reminders_already_past_are_not_queued(store: SqlStore, pair: Pair) -> None:
    soon = NOW + timedelta(hours=3)
    meeting = await book(store, pair, soon)
    for person in (pair.ada, pair.sam):
        due = sorted((m.kind, m.due_at) for m in await outbox(store, person) if m.kind in SCHEDULED)
        assert due == [("did_you_meet", soon + timedelta(minutes=45)), ("meeting_reminder", soon - timedelta(hours=1))]
    assert meeting.status is MeetingStatus.CONFIRMED


async def test_accepting_refuses_a_time_that_has_passed_or_now_clashes(store: SqlStore, pair: Pair) -> None:
    soon = await propose(store, pair.ada, NOW + timedelta(hours=1))
    with pytest.raises(MeetingError, match="already passed"):
        await meetings.accept(store, pair.sam, soon.id, 0, LINKS, NOW + timedelta(hours=2), REMINDERS)
    first = await propose(store, pair.ada, TUE_2PM)
    second = await propose(store, pair.sam, TUE_2PM + timedelta(minutes=30))
    await meetings.accept(store, pair.sam, first.id, 0, LINKS, NOW, REMINDERS)
    with pytest.raises(MeetingError, match="overlaps"):
        await meetings.accept(store, pair.ada, second.id, 0, LINKS, NOW, REMINDERS)
    assert (await stored(store, second.id)).status is MeetingStatus.PROPOSED


async def test_moving_keeps_the_booking_until_accepted_then_updates_it_in_place(store: SqlStore, pair: Pair) -> None:
    booked = await book(store, pair, TUE_2PM, rhythm=2)
    later = TUE_2PM + timedelta(minutes=30)  # overlapping the booking it replaces is fine
    move = await propose(store, pair.ada, later, replaces=booked.id)
    assert (move.uid, move.sequence, move.rhythm_weeks) == (booked.uid, 1, 2)
    assert (await stored(store, booked.id)).status is MeetingStatus.CONFIRMED
    assert len([m for m in await outbox(store, pair.sam, PENDING) if m.kind == "meeting_reminder"]) == 2
    asked = [m for m in await outbox(store, pair.sam) if m.kind == "meeting_proposed"][-1]
    assert as_read(card(asked)).text.startswith("Ada would like to move your meeting on Tuesday 2 March 2027, 09:00.")

    result = await meetings.accept(store, pair.sam, move.id, 0, LINKS, NOW, REMINDERS)
    old = await stored(store, booked.id)
    assert (old.status, old.sequence) == (MeetingStatus.CANCELLED, 0)  # cancelled quietly: no higher SEQUENCE
    moved = result.meeting
    assert (moved.status, moved.start_at, moved.sequence) == (MeetingStatus.CONFIRMED, later, 1)
    for person in (pair.ada, pair.sam):
        pending = {m.idempotency_key for m in await outbox(store, person, PENDING)}
        assert not any(key.startswith((f"reminder:{booked.id}:", f"did_you_meet:{booked.id}:")) for key in pending)
        assert {
            f"reminder:{move.id}:{person}:1-1440",
            f"reminder:{move.id}:{person}:1-60",
            f"did_you_meet:{move.id}:{person}:1",
        } <= pending


async def test_declining_a_move_leaves_the_booking_as_it_was(store: SqlStore, pair: Pair) -> None:
    booked = await book(store, pair, TUE_2PM)
    move = await propose(store, pair.sam, WED_10AM, replaces=booked.id)
    result = await meetings.decline(store, pair.ada, move.id, NOW)
    told_decliner = as_read(meeting_reply(result)).text
    assert told_decliner == "Thanks, I've let Sam know. If another time suits, you can suggest one."
    assert (await stored(store, move.id)).status is MeetingStatus.DECLINED
    assert (await stored(store, booked.id)).status is MeetingStatus.CONFIRMED
    (told,) = [m for m in await outbox(store, pair.sam) if m.kind == "meeting_declined"]
    assert as_read(card(told)).text == (
        "Ada can't make the suggested time. Your meeting on Tuesday 2 March 2027, 09:00 stays as it is. "
        "If it helps, suggest another."
    )
    assert len([m for m in await outbox(store, pair.ada, PENDING) if m.kind == "meeting_reminder"]) == 2


async def test_a_counter_proposal_replaces_the_suggestion_it_answers(store: SqlStore, pair: Pair) -> None:
    first = await propose(store, pair.ada, TUE_2PM)
    counter = await propose(store, pair.sam, WED_10AM, replaces=first.id)
    assert (await stored(store, first.id)).status is MeetingStatus.DECLINED
    with pytest.raises(MeetingError, match="already been answered"):
        await meetings.accept(store, pair.sam, first.id, 0, LINKS, NOW, REMINDERS)
    with pytest.raises(MeetingError, match="You suggested this time"):
        await meetings.accept(store, pair.sam, counter.id, 0, LINKS, NOW, REMINDERS)
    (asked,) = [m for m in await outbox(store, pair.ada) if m.kind == "meeting_proposed"]
    assert as_read(card(asked)).text == "Sam has suggested a time to meet."
    assert (await meetings.accept(store, pair.ada, counter.id, 0, LINKS, NOW, REMINDERS)).meeting.start_at == WED_10AM


async def test_cancelling_tells_both_the_same_and_leaves_nothing_pending(store: SqlStore, pair: Pair) -> None:
    booked = await book(store, pair, WED_10AM)
    move = await propose(store, pair.ada, WED_10AM + timedelta(days=1), replaces=booked.id)
    result = await meetings.cancel(store, pair.sam, booked.id, LINKS, NOW + timedelta(hours=1))
    assert (result.meeting.status, result.meeting.sequence) == (MeetingStatus.CANCELLED, 1)
    assert (await stored(store, move.id)).status is MeetingStatus.DECLINED
    for person in (pair.ada, pair.sam):
        kinds = [m.kind for m in await outbox(store, person, PENDING)]
        assert not {"meeting_reminder", "did_you_meet"} & set(kinds)
    (told,) = [m for m in await outbox(store, pair.ada) if m.kind == "meeting_cancelled"]
    assert told.idempotency_key == f"meeting_cancelled:{booked.id}:{pair.ada}:1"
    assert as_read(card(told)).text == (
        "Your learning partnership meeting on Wednesday 3 March 2027, 10:00 "
        "has been cancelled. When diaries allow, propose another time: "
        "a short catch-up still counts."
    )
    assert meeting_reply(result).text == card(told).text.replace("10:00", "05:00")
    assert [(a.title, a.url) for a in card(told).actions if a.kind == "open_url"] == [
        ("Remove from calendar", f"https://plp.test/calendar/m{booked.id}.p{pair.ada}.ics")
    ]
    with pytest.raises(MeetingError, match="already cancelled"):
        await meetings.cancel(store, pair.ada, booked.id, LINKS, NOW)
    with pytest.raises(MeetingError, match="cancelled or declined"):
        await propose(store, pair.ada, TUE_2PM, replaces=booked.id)


async def test_a_meeting_that_has_started_cannot_be_cancelled_or_moved(store: SqlStore, pair: Pair) -> None:
    booked = await book(store, pair, TUE_2PM)
    during = TUE_2PM + timedelta(minutes=10)
    with pytest.raises(MeetingError, match="already started or passed"):
        await meetings.cancel(store, pair.ada, booked.id, LINKS, during)
    with pytest.raises(MeetingError, match="already happened"):
        await propose(store, pair.ada, WED_10AM, now=during, replaces=booked.id)


async def test_a_suggestion_can_be_withdrawn_only_by_whoever_made_it(store: SqlStore, pair: Pair) -> None:
    proposal = await propose(store, pair.ada, TUE_2PM)
    with pytest.raises(MeetingError, match="your partner's suggestion"):
        await meetings.cancel(store, pair.sam, proposal.id, LINKS, NOW)
    result = await meetings.cancel(store, pair.ada, proposal.id, LINKS, NOW)
    assert result.meeting.status is MeetingStatus.CANCELLED
    (told,) = [m for m in await outbox(store, pair.sam) if m.kind == "meeting_cancelled"]
    assert card(told).text == "The suggested meeting time (Tuesday 2 March 2027, 09:00) has been withdrawn."


async def test_an_ended_partnership_books_nothing(store: SqlStore, pair: Pair) -> None:
    proposal = await propose(store, pair.ada, TUE_2PM)
    async with store.transaction() as uow:
        await uow.partnerships.set_status(pair.partnership, PartnershipStatus.ENDED)
    with pytest.raises(MeetingError, match="has ended"):
        await meetings.accept(store, pair.sam, proposal.id, 0, LINKS, NOW, REMINDERS)


async def test_no_card_uses_hierarchical_words(store: SqlStore, pair: Pair) -> None:
    booked = await book(store, pair, WED_10AM)
    await meetings.decline(store, pair.ada, (await propose(store, pair.sam, TUE_2PM)).id, NOW)
    await meetings.cancel(store, pair.ada, booked.id, LINKS, NOW)
    payloads = [m.payload for p in (pair.ada, pair.sam) for m in await outbox(store, p)]
    assert len(payloads) >= 8
    assert not any(word in json.dumps(payloads).lower() for word in FORBIDDEN)


async def test_calendar_links_are_made_to_last_until_the_meeting_ends(store: SqlStore, pair: Pair) -> None:
    """The links service asks for each link with the meeting's end, so they expire after it has passed."""
    asked: list[tuple[int, int, datetime]] = []

    class Recording:
        def calendar_url(self, meeting_id: int, participant_id: int, ends_at: datetime) -> str:
            asked.append((meeting_id, participant_id, ends_at))
            return "https://plp.test/calendar/x.ics"

    proposal = await meetings.propose(store, pair.ada, [TUE_2PM], 60, MeetingFormat.TEAMS, "", "", 0, NOW)
    await meetings.accept(store, pair.sam, proposal.meeting.id, 0, Recording(), NOW, REMINDERS)
    ends = TUE_2PM + timedelta(minutes=60)
    assert sorted(asked) == sorted([(proposal.meeting.id, pair.ada, ends), (proposal.meeting.id, pair.sam, ends)])
