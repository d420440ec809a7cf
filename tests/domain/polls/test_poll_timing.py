"""Poll timing that matches its words: "now" invites at once, invitations and reminders skip people
who already answered, and closing thanks only those who took part."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.core import budget_pass
from domain.core.model import OutboxStatus
from domain.core.reply import Reply
from domain.polls import service as polls
from domain.polls.model import PollDraft
from domain.polls.outbox import CLOSING, INVITE, REMINDER, TEAM_OPENED
from domain.polls.wording import created_reply
from storage.store import SqlStore
from tests.domain.poll_fixtures import CHECKIN, DELIVERY, NOW, answer, jobs, make_cohort, make_poll, messages

VALID = {"met": "1", "protected": "3", "aims": "Clear"}
SATURDAY = datetime(2027, 3, 6, 10, 0, tzinfo=UTC)


async def test_a_poll_opened_now_invites_everyone_at_once_not_at_the_next_job_run(store: SqlStore) -> None:
    cohort = await make_cohort(store, 3)
    started = await polls.start_poll(store, PollDraft(cohort.id, CHECKIN, True, NOW, cohort.facilitator), NOW, DELIVERY)
    assert (started.invited, started.first_due, started.queued) == (3, NOW, True)
    assert started.poll.invited_at == NOW
    for person in cohort.people:
        [invite] = await messages(store, person, INVITE)
        # Due now and pending: the dispatcher sends it at once; the budget pass does not hold it for later.
        assert (invite.status, invite.due_at) == (OutboxStatus.PENDING, NOW)
    await budget_pass.run_due(jobs(store), NOW)
    for person in cohort.people:
        assert [m.status for m in await messages(store, person, INVITE)] == [OutboxStatus.PENDING]
    # The job has nothing left to do at opening, and the facilitator was already told in the chat.
    assert await polls.run_due(jobs(store), NOW + timedelta(minutes=15)) == 0
    assert await messages(store, cohort.facilitator, TEAM_OPENED) == []
    text = created_reply(started, NOW, "Europe/London").text
    assert f"Poll {started.poll.id} is open. Invitations are going out now to 3 people" in text


async def test_a_poll_opened_now_at_the_weekend_says_when_the_invitations_go(store: SqlStore) -> None:
    cohort = await make_cohort(store, 2)
    draft = PollDraft(cohort.id, CHECKIN, True, SATURDAY, cohort.facilitator)
    started = await polls.start_poll(store, draft, SATURDAY, DELIVERY)
    monday_9am = datetime(2027, 3, 8, 9, 0, tzinfo=UTC)
    assert started.first_due == monday_9am
    for person in cohort.people:
        assert [m.due_at for m in await messages(store, person, INVITE)] == [monday_9am]
    text = created_reply(started, SATURDAY, "Europe/London").text
    assert "outside working hours, so invitations to 2 people go out from Monday 8 March 2027, 09:00" in text


async def test_a_poll_opening_later_is_only_created_and_its_creator_hears_when_it_opens(store: SqlStore) -> None:
    cohort = await make_cohort(store, 2)
    later = NOW + timedelta(days=2)
    started = await polls.start_poll(
        store, PollDraft(cohort.id, CHECKIN, True, later, cohort.facilitator), NOW, DELIVERY
    )
    assert (started.invited, started.queued, started.poll.invited_at) == (0, False, None)
    assert (
        "opens Wednesday 3 March 2027, 09:00. I'll tell you when the invitations go out."
        in created_reply(started, NOW, "Europe/London").text
    )
    assert await polls.run_due(jobs(store), later) == 2 + 1
    [opened] = await messages(store, cohort.facilitator, TEAM_OPENED)
    assert "has opened: invitations to 2 people go out" in Reply.from_dict(opened.payload).text


async def test_invitations_skip_people_who_already_answered_and_an_answer_withdraws_a_waiting_one(
    store: SqlStore,
) -> None:
    cohort = await make_cohort(store, 3)
    poll = await make_poll(store, cohort)
    # Person 0 heard about the poll and answered before the job sent any invitation.
    await answer(store, poll, cohort.people[0], VALID)
    assert await polls.run_due(jobs(store), NOW + timedelta(minutes=5)) == 2 + 1
    assert await messages(store, cohort.people[0], INVITE) == []
    # Person 1 answers while their invitation still waits for its slot in the day (within the day's
    # budget, not yet due): it is withdrawn.
    [waiting] = await messages(store, cohort.people[1], INVITE)
    assert waiting.status == OutboxStatus.PENDING and waiting.due_at > NOW + timedelta(minutes=10)
    await answer(store, poll, cohort.people[1], VALID, now=NOW + timedelta(minutes=10))
    [withdrawn] = await messages(store, cohort.people[1], INVITE)
    assert withdrawn.status == OutboxStatus.CANCELLED
    # The reminder goes only to person 2, the one who has not answered.
    assert await polls.run_due(jobs(store), NOW + timedelta(days=7, hours=1)) == 1
    assert [p for p in cohort.people if await messages(store, p, REMINDER)] == [cohort.people[2]]


async def test_closing_thanks_those_who_took_part_and_tells_the_others_kindly(store: SqlStore) -> None:
    cohort = await make_cohort(store, 3)
    poll = await make_poll(store, cohort)
    await polls.run_due(jobs(store), NOW)
    await answer(store, poll, cohort.people[0], VALID)
    await polls.close_poll(store, poll.id, NOW + timedelta(days=1), DELIVERY)
    [thanks] = await messages(store, cohort.people[0], CLOSING)
    assert Reply.from_dict(thanks.payload).text == CHECKIN.closing
    assert "Thank you for taking part" in CHECKIN.closing
    for person in cohort.people[1:]:
        [note] = await messages(store, person, CLOSING)
        text = Reply.from_dict(note.payload).text
        assert text.startswith("The quarterly check-in poll has now closed, so there's nothing more to answer.")
        assert "thank" not in text.lower()
