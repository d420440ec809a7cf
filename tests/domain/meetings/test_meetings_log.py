"""The meeting log on the real store: "did you meet?" answers, meetings logged afterwards,
private notes, the overview, and the scheduled proposal of the next meeting."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import pytest

from domain.core.model import OutboxStatus, PartnershipStatus
from domain.meetings import service as meetings
from domain.meetings.model import Answer, MeetingStatus, Outcome
from domain.meetings.rules import MeetingError
from domain.meetings.wording import meeting_reply, meetings_card
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
    jobs,
    make_pair,
    outbox,
    propose,
    stored,
)
from tests.reading import as_read, listed_rows

AFTER = TUE_2PM + timedelta(hours=2)  # once a Tuesday 2pm meeting is over


@pytest.mark.parametrize(
    ("ada", "sam", "outcome"),
    [
        (Answer.MET, None, Outcome.MET),
        (Answer.NOT_MET, None, Outcome.UNKNOWN),
        (Answer.NOT_MET, Answer.NOT_MET, Outcome.NOT_MET),
        (Answer.NOT_MET, Answer.MET, Outcome.MET),
        (Answer.MOVED, Answer.NOT_MET, Outcome.MOVED),
        (Answer.SKIP, Answer.NOT_MET, Outcome.UNKNOWN),
    ],
)
async def test_answers_reconcile_into_the_pair_outcome(
    store: SqlStore, pair: Pair, ada: Answer, sam: Answer | None, outcome: Outcome
) -> None:
    booked = await book(store, pair, TUE_2PM)
    await meetings.answer(store, pair.ada, booked.id, ada, AFTER)
    if sam is not None:
        await meetings.answer(store, pair.sam, booked.id, sam, AFTER)
    assert (await stored(store, booked.id)).outcome is outcome


async def test_an_answer_is_never_passed_to_the_partner(store: SqlStore, pair: Pair) -> None:
    booked = await book(store, pair, TUE_2PM)
    before = await outbox(store, pair.sam)
    first = await meetings.answer(store, pair.ada, booked.id, Answer.MET, AFTER)
    assert await outbox(store, pair.sam) == before
    assert first.meeting.answers == {pair.ada: Answer.MET} and not first.queued
    # Sam's reply depends on Sam's answer only, whatever Ada said.
    alone = await make_pair(store, "ALONE", ("Lee", "Kim"))
    other = await book(store, alone, TUE_2PM)
    assert meeting_reply(await meetings.answer(store, pair.sam, booked.id, Answer.NOT_MET, AFTER)) == meeting_reply(
        await meetings.answer(store, alone.sam, other.id, Answer.NOT_MET, AFTER)
    )
    assert (await meetings.answer(store, pair.sam, booked.id, Answer.NOT_MET, AFTER)).meeting.answers == {
        pair.sam: Answer.NOT_MET
    }


async def test_answer_replies_offer_a_note_after_meeting_and_a_new_time_after_moving(
    store: SqlStore, pair: Pair
) -> None:
    booked = await book(store, pair, TUE_2PM)
    met = await meetings.answer(store, pair.ada, booked.id, Answer.MET, AFTER)
    assert meeting_reply(met).text == "Lovely, thank you. I've added it to your meeting log."
    assert commands(meeting_reply(met)) == [f"meeting note {booked.id}"]
    moved = await meetings.answer(store, pair.sam, booked.id, Answer.MOVED, AFTER)
    assert [(a.title, a.data["command"]) for a in meeting_reply(moved).actions] == [("Propose a new time", "meet")]
    assert commands(meeting_reply(await meetings.answer(store, pair.sam, booked.id, Answer.SKIP, AFTER))) == []


async def test_answering_early_drops_your_own_unsent_question_only(store: SqlStore, pair: Pair) -> None:
    booked = await book(store, pair, TUE_2PM)
    await meetings.answer(store, pair.ada, booked.id, Answer.MET, TUE_2PM + timedelta(minutes=40))
    states = {
        p: {m.kind: m.status for m in await outbox(store, p) if m.kind == "did_you_meet"} for p in (pair.ada, pair.sam)
    }
    assert states == {
        pair.ada: {"did_you_meet": OutboxStatus.CANCELLED},
        pair.sam: {"did_you_meet": OutboxStatus.PENDING},
    }


async def test_answers_are_refused_before_the_meeting_and_for_unbooked_meetings(store: SqlStore, pair: Pair) -> None:
    booked = await book(store, pair, TUE_2PM)
    with pytest.raises(MeetingError, match="hasn't started yet"):
        await meetings.answer(store, pair.ada, booked.id, Answer.MET, NOW)
    proposal = await propose(store, pair.ada, WED_10AM)
    with pytest.raises(MeetingError, match="wasn't booked"):
        await meetings.answer(store, pair.sam, proposal.id, Answer.MET, WED_10AM + timedelta(hours=2))


async def test_we_met_logs_a_meeting_arranged_elsewhere(store: SqlStore, pair: Pair) -> None:
    yesterday = NOW - timedelta(days=1)
    result = await meetings.log_met(store, pair.sam, yesterday, NOW)
    logged = await stored(store, result.meeting.id)
    assert (logged.status, logged.start_at, logged.outcome, logged.logged_only) == (
        MeetingStatus.CONFIRMED,
        yesterday,
        Outcome.MET,
        True,
    )
    assert logged.answers == {pair.sam: Answer.MET}
    assert commands(meeting_reply(result)) == [f"meeting note {logged.id}"]
    assert await outbox(store, pair.ada) == await outbox(store, pair.sam) == []  # nothing sent or scheduled
    with pytest.raises(MeetingError, match="still to come"):
        await meetings.log_met(store, pair.sam, NOW + timedelta(hours=1), NOW)


async def test_notes_are_private_to_their_author(store: SqlStore, pair: Pair) -> None:
    booked = await book(store, pair, TUE_2PM)
    await meetings.answer(store, pair.sam, booked.id, Answer.MET, AFTER)
    queued = [await outbox(store, p) for p in (pair.ada, pair.sam)]
    noted = await meetings.add_note(store, pair.ada, booked.id, "  Ada's own thoughts  ", AFTER)
    assert (noted.meeting.id, noted.meeting.answers) == (booked.id, {})  # Sam's answer is not handed back
    saved = await meetings.add_note(store, pair.sam, None, "Sam's private reflection", AFTER)
    assert meeting_reply(saved).text == "Saved. Only you can see this note." and saved.meeting is None
    async with store.transaction() as uow:
        assert [(r.text, r.meeting_id) for r in await uow.meetings.reflections(pair.ada)] == [
            ("Ada's own thoughts", booked.id)
        ]
    shown = json.dumps(meetings_card(await meetings.overview(store, pair.ada, AFTER)).to_dict())
    assert "You have 1 private note. Only you can see them." in shown
    assert "Sam's private reflection" not in shown and "Ada's own thoughts" not in shown
    with pytest.raises(MeetingError, match="empty"):
        await meetings.add_note(store, pair.ada, None, "   ", AFTER)
    assert [await outbox(store, p) for p in (pair.ada, pair.sam)] == queued  # notes send nothing


async def test_overview_in_the_viewers_zone_with_own_answers_only(store: SqlStore, pair: Pair) -> None:
    earlier = await book(store, pair, TUE_2PM)
    soon = [await book(store, pair, WED_10AM + timedelta(days=d)) for d in (0, 1, 2)]
    await propose(store, pair.sam, WED_10AM + timedelta(days=5))
    await meetings.answer(store, pair.ada, earlier.id, Answer.NOT_MET, AFTER)
    await meetings.answer(store, pair.sam, earlier.id, Answer.MET, AFTER)
    for_ada, for_sam = [as_read(meetings_card(await meetings.overview(store, p, AFTER))) for p in (pair.ada, pair.sam)]
    ada_sections = {s.heading: listed_rows(s.text) for s in for_ada.sections}
    assert ada_sections == {
        "Coming up": [
            (day, "Teams call, 45 minutes")
            for day in ("Wednesday 3 March 2027, 10:00", "Thursday 4 March 2027, 10:00", "Friday 5 March 2027, 10:00")
        ],
        "Waiting for an answer": [("Monday 8 March 2027, 10:00", "Suggested by Sam")],
        "Recent meetings": [("Tuesday 2 March 2027, 14:00", "Didn't meet")],
    }
    sam_sections = {s.heading: listed_rows(s.text) for s in for_sam.sections}
    assert sam_sections["Recent meetings"] == [("Tuesday 2 March 2027, 09:00", "Met")]
    assert sam_sections["Waiting for an answer"] == [("Monday 8 March 2027, 05:00", "Suggested by you")]
    assert for_sam.text == "Times are shown in America/New_York."
    assert commands(for_ada) == [
        f"meeting move {soon[0].id}",
        f"meeting cancel {soon[0].id}",
        f"meeting move {soon[1].id}",
        f"meeting cancel {soon[1].id}",
        "meet",
    ]
    titles = [a.title for a in for_ada.actions][:2]
    assert titles == ["Move Wednesday 3 March 2027, 10:00", "Cancel Wednesday 3 March 2027, 10:00"]


async def test_overview_without_meetings_or_partner(store: SqlStore, pair: Pair) -> None:
    empty = meetings_card(await meetings.overview(store, pair.ada, NOW))
    assert empty.sections == () and "a 20-minute catch-up still counts" in empty.text
    assert commands(empty) == ["meet", "we met", "meeting note"]
    await meetings.log_met(store, pair.ada, NOW - timedelta(days=2), NOW)
    logged = meetings_card(await meetings.overview(store, pair.sam, NOW))
    assert [value for s in logged.sections for _, value in listed_rows(s.text)] == ["Met (logged)"]
    async with store.transaction() as uow:
        alone = (await uow.participants.upsert_identity("test", "u-alone", "Al", "", NOW)).id
    assert "once you're paired" in meetings_card(await meetings.overview(store, alone, NOW)).text


async def test_follow_up_proposes_the_next_meeting_once_to_both(store: SqlStore, pair: Pair) -> None:
    booked = await book(store, pair, TUE_2PM, rhythm=2)
    assert await meetings.run_due(jobs(store), TUE_2PM + timedelta(minutes=44)) == 0  # not over yet
    assert await meetings.run_due(jobs(store), AFTER) == 1
    assert await meetings.run_due(jobs(store), AFTER) == 0
    assert await meetings.run_due(jobs(store), AFTER + timedelta(days=1)) == 0
    async with store.transaction() as uow:
        (proposal,) = [m for m in await uow.meetings.for_partnership(pair.partnership) if m.id != booked.id]
    p = proposal
    assert (p.proposed_by, p.status, p.options, p.rhythm_weeks, p.duration_minutes) == (
        None,
        MeetingStatus.PROPOSED,
        [TUE_2PM + timedelta(weeks=2)],
        2,
        45,
    )
    ada_card, sam_card = [
        [card(m) for m in await outbox(store, p) if m.idempotency_key.startswith(f"meeting_proposed:{proposal.id}:")]
        for p in (pair.ada, pair.sam)
    ]
    assert len(ada_card) == len(sam_card) == 1
    assert ada_card[0].text == sam_card[0].text and "either of you can accept it" in ada_card[0].text
    assert commands(sam_card[0])[0] == f"meeting accept {proposal.id} 0"
    assert sam_card[0].actions[0].title == "Tuesday 16 March 2027, 10:00"  # New York is on summer time by then
    accepted = await meetings.accept(store, pair.ada, proposal.id, 0, LINKS, AFTER, REMINDERS)
    assert accepted.meeting.status is MeetingStatus.CONFIRMED


async def test_a_declined_automatic_proposal_is_not_made_again(store: SqlStore, pair: Pair) -> None:
    await book(store, pair, TUE_2PM, rhythm=2)
    await meetings.run_due(jobs(store), AFTER)
    async with store.transaction() as uow:
        proposal = (await uow.meetings.for_partnership(pair.partnership))[0]
    await meetings.decline(store, pair.sam, proposal.id, AFTER)
    assert await meetings.run_due(jobs(store), AFTER + timedelta(hours=1)) == 0


@pytest.mark.parametrize("status", [PartnershipStatus.PAUSED, PartnershipStatus.ENDED])
async def test_no_follow_up_for_paused_or_ended_partnerships(
    store: SqlStore, pair: Pair, status: PartnershipStatus
) -> None:
    await book(store, pair, TUE_2PM, rhythm=2)
    async with store.transaction() as uow:
        await uow.partnerships.set_status(pair.partnership, status)
    assert await meetings.run_due(jobs(store), AFTER) == 0


async def test_no_follow_up_without_a_rhythm_or_when_the_pair_already_booked_the_next(
    store: SqlStore, pair: Pair
) -> None:
    await book(store, pair, TUE_2PM)
    assert await meetings.run_due(jobs(store), AFTER) == 0
    other = await make_pair(store, "OTHER", ("Lee", "Kim"))
    await book(store, other, TUE_2PM, rhythm=4)
    await book(store, other, TUE_2PM + timedelta(weeks=3))
    assert await meetings.run_due(jobs(store), AFTER) == 0


async def test_log_cards_use_no_hierarchical_words(store: SqlStore, pair: Pair) -> None:
    booked = await book(store, pair, TUE_2PM, rhythm=2)
    replies = [meeting_reply(await meetings.answer(store, pair.ada, booked.id, a, AFTER)) for a in Answer]
    replies.append(meetings_card(await meetings.overview(store, pair.ada, AFTER)))
    await meetings.run_due(jobs(store), AFTER)
    texts = json.dumps([r.to_dict() for r in replies] + [m.payload for m in await outbox(store, pair.sam)]).lower()
    assert not any(word in texts for word in FORBIDDEN)


async def test_both_accepting_the_automatic_proposal_at_once_book_it_once(store: SqlStore, pair: Pair) -> None:
    await book(store, pair, TUE_2PM, rhythm=2)
    await meetings.run_due(jobs(store), AFTER)
    async with store.transaction() as uow:
        proposal = (await uow.meetings.for_partnership(pair.partnership))[0]
    results = await asyncio.gather(
        *(meetings.accept(store, p, proposal.id, 0, LINKS, AFTER, REMINDERS) for p in (pair.ada, pair.sam)),
        return_exceptions=True,
    )
    assert sorted(type(r).__name__ for r in results) == ["MeetingError", "MeetingResult"]
    confirmed = [
        m
        for p in (pair.ada, pair.sam)
        for m in await outbox(store, p)
        if m.idempotency_key.startswith(f"meeting_confirmed:{proposal.id}:")
    ]
    assert len(confirmed) == 1
