"""Poll logic: answer validation per question type, one response per person, change, close, the job."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.core.model import OutboxStatus
from domain.core.reply import Reply
from domain.core.spread import spread_delivery_time
from domain.polls import service as polls
from domain.polls.model import Outcome, Poll, PollDraft, Question, QuestionKind
from domain.polls.outbox import CLOSING, CONTACT, INVITE, REMINDER, TEAM_CLOSED, TEAM_OPENED
from domain.polls.rules import AnswerProblem, answers_from_form, can_answer, parse_answer
from storage.store import SqlStore
from tests.domain.poll_fixtures import (
    CHECKIN,
    DELIVERY,
    HOURS,
    NOW,
    SURVEY,
    answer,
    jobs,
    make_cohort,
    make_poll,
    messages,
    named,
)

Q = {q.id: q for q in (*CHECKIN.questions, *SURVEY.questions)}
VALID = {"met": "2", "protected": "4", "comments": "Good quarter"}


@pytest.mark.parametrize(
    ("question", "raw", "typed", "expected"),
    [
        ("met", "4+", False, "4+"),
        ("met", "3", True, "2"),  # typed: the number shown beside the option wins
        ("met", "3", False, "3"),  # a card or button sends the value itself
        ("met", "4+", True, "4+"),
        ("aims", "2", True, "Partly"),  # typed: the option's number
        ("aims", "not yet", True, "Not yet"),  # typed: the title, any case
        ("protected", "5", False, "5"),
        ("protected", "strongly agree", True, "5"),
        ("likely", "0", False, "0"),
        ("likely", 10, False, "10"),
        ("likely", 7.0, False, "7"),  # Input.Number may send a float
        ("help_next", "Nothing,More group sessions", False, ["More group sessions", "Nothing"]),
        ("help_next", ["Nothing", "Nothing"], False, ["Nothing"]),
        ("help_next", "1, 3", True, ["More group sessions", "Clearer programme aims"]),
        ("comments", "  Thanks  ", False, "Thanks"),
        ("comments", "   ", False, None),
        ("help_next", ",,", False, None),
    ],
)
def test_answers_are_read_per_question_type(question: str, raw: object, typed: bool, expected: object) -> None:
    assert parse_answer(Q[question], raw, typed) == expected


@pytest.mark.parametrize(
    ("question", "raw", "typed"),
    [
        ("met", "5", False),
        ("aims", "2", False),  # option numbers only when typed
        ("aims", "Maybe", True),
        ("protected", "6", False),
        ("protected", "0", True),
        ("likely", "11", False),
        ("likely", "-1", False),
        ("likely", "7.5", False),
        ("likely", "seven", True),
        ("likely", True, False),
        ("help_next", "Nothing,Lunch", False),
        ("comments", "x" * 2001, False),
        ("met", {"a": 1}, False),
    ],
)
def test_answers_that_do_not_fit_are_refused(question: str, raw: object, typed: bool) -> None:
    with pytest.raises(AnswerProblem):
        parse_answer(Q[question], raw, typed)


def test_form_reports_each_problem_and_ignores_other_keys() -> None:
    answers, problems = answers_from_form(
        CHECKIN, {"form": "1", "met": "", "protected": "9", "aims": "Clear", "command": "x"}
    )
    assert problems.keys() == {"met", "protected"}
    assert "needs an answer" in problems["met"]
    assert answers == {"aims": "Clear"}


def test_survey_needs_consent_first_and_a_recommend_answer() -> None:
    _, problems = answers_from_form(SURVEY, {"recommend": "Yes"})
    assert set(problems) == {"consent"}
    answers, problems = answers_from_form(SURVEY, {"consent": "yes", "likely": "9"})
    assert set(problems) == {"recommend"}
    answers, problems = answers_from_form(SURVEY, {"consent": "yes", "recommend": "No", "likely": "9"})
    assert problems == {} and answers == {"recommend": "No", "likely": "9"}  # consent itself is not stored


async def test_invitations_go_out_once_at_opening_in_working_hours(store: SqlStore) -> None:
    cohort = await make_cohort(store, 3)
    saturday = datetime(2027, 3, 6, 8, 0, tzinfo=UTC)
    poll = await make_poll(store, cohort, opens_at=saturday)
    assert await polls.run_due(jobs(store), NOW) == 0  # not open yet
    assert await polls.run_due(jobs(store), saturday) == 3 + 1  # and its creator hears that it opened
    assert await polls.run_due(jobs(store), saturday + timedelta(hours=1)) == 0
    invite = (await messages(store, cohort.people[0], INVITE))[0]
    # Monday in London, at this person's own point of the working day (not everyone at 9am).
    assert invite.due_at == spread_delivery_time(saturday, "Europe/London", HOURS, cohort.people[0])
    assert datetime(2027, 3, 8, 9, 0, tzinfo=UTC) <= invite.due_at < datetime(2027, 3, 8, 17, 0, tzinfo=UTC)
    card = Reply.from_dict(invite.payload)
    assert card.actions[0].data == {"command": f"poll answer {poll.id}", "card": f"poll:{poll.id}:open"}
    # The facilitator is not in the cohort, so gets no invitation; as its creator, they hear it has opened.
    [opened] = await messages(store, cohort.facilitator)
    assert opened.kind == TEAM_OPENED and opened.due_at == datetime(2027, 3, 8, 9, 0, tzinfo=UTC)
    assert Reply.from_dict(opened.payload).text.startswith(f"Poll {poll.id} (Quarterly check-in poll) has opened:")
    assert "invitations to 3 people go out during their working hours" in Reply.from_dict(opened.payload).text


async def test_reminders_reach_only_non_responders_and_a_response_withdraws_one(store: SqlStore) -> None:
    cohort = await make_cohort(store, 3)
    poll = await make_poll(store, cohort)  # check-in: reminder on day 7
    await polls.run_due(jobs(store), NOW)
    assert await answer(store, poll, cohort.people[0], VALID) == Outcome.SAVED
    day7 = NOW + timedelta(days=7, hours=1)
    assert await polls.run_due(jobs(store), day7) == 2
    assert await polls.run_due(jobs(store), day7 + timedelta(hours=1)) == 0  # once per day
    assert await messages(store, cohort.people[0], REMINDER) == []
    # Person 1 answers before their reminder is sent: it is withdrawn.
    await answer(store, poll, cohort.people[1], VALID, now=day7)
    [withdrawn] = await messages(store, cohort.people[1], REMINDER)
    assert withdrawn.status == OutboxStatus.CANCELLED
    [waiting] = await messages(store, cohort.people[2], REMINDER)
    assert waiting.status == OutboxStatus.PENDING  # within the day's budget, waiting for its slot


async def test_survey_reminds_on_days_10_and_24_and_stays_open_33_days(store: SqlStore) -> None:
    cohort = await make_cohort(store, 2)
    poll = await make_poll(store, cohort, SURVEY)
    assert poll.closes_at == NOW + timedelta(days=33)
    for days in (0, 9, 10, 11, 23, 24, 25):
        await polls.run_due(jobs(store), NOW + timedelta(days=days, hours=1))
    keys = [m.idempotency_key for m in await messages(store, cohort.people[0], REMINDER)]
    assert keys == [f"poll_reminder:{poll.id}:{cohort.people[0]}:10", f"poll_reminder:{poll.id}:{cohort.people[0]}:24"]


async def test_named_answers_can_change_until_close_and_anonymous_ones_cannot(store: SqlStore) -> None:
    cohort = await make_cohort(store, 2)
    named_poll = await make_poll(store, cohort, named(CHECKIN), anonymous=False)
    assert await answer(store, named_poll, cohort.people[0], VALID) == Outcome.SAVED
    assert await answer(store, named_poll, cohort.people[0], {"met": "0"}) == Outcome.CHANGED
    async with store.transaction() as uow:
        assert await uow.polls.named_answers(named_poll.id, cohort.people[0]) == {"met": "0"}
        assert await uow.polls.response_count(named_poll.id) == 1
    anonymous = await make_poll(store, cohort)
    assert await answer(store, anonymous, cohort.people[0], VALID) == Outcome.SAVED
    assert await answer(store, anonymous, cohort.people[0], {"met": "0"}) == Outcome.ALREADY
    await polls.close_poll(store, anonymous.id, NOW + timedelta(days=1), DELIVERY)
    async with store.transaction() as uow:
        assert await uow.polls.responses(anonymous.id) == [VALID]


async def test_closing_thanks_everyone_tells_facilitators_and_stops_answers(store: SqlStore) -> None:
    cohort = await make_cohort(store, 2)
    poll = await make_poll(store, cohort)
    await polls.run_due(jobs(store), NOW)
    await polls.run_due(jobs(store), NOW + timedelta(days=7, hours=1))  # reminders queued
    later = NOW + timedelta(days=8)
    closed = await polls.close_poll(store, poll.id, later, DELIVERY)
    assert closed is not None and closed.closes_at == later and closed.closed_at == later
    assert await polls.close_poll(store, poll.id, later, DELIVERY) is None  # once
    for person in cohort.people:
        assert len(await messages(store, person, CLOSING)) == 1
        assert [m.status for m in await messages(store, person, REMINDER)] == [OutboxStatus.CANCELLED]
    [team] = await messages(store, cohort.facilitator, TEAM_CLOSED)
    assert f"poll results {poll.id}" in Reply.from_dict(team.payload).text
    assert await answer(store, poll, cohort.people[0], VALID, now=later) == Outcome.NOT_OPEN


async def test_the_job_closes_a_poll_at_its_closing_time(store: SqlStore) -> None:
    cohort = await make_cohort(store, 2)
    poll = await make_poll(store, cohort)
    await polls.run_due(jobs(store), NOW)
    assert await polls.run_due(jobs(store), poll.closes_at - timedelta(minutes=1)) == 2  # day 7
    assert (await store_poll(store, poll.id)).closed_at is None
    assert await polls.run_due(jobs(store), poll.closes_at) == 3  # 2 thanks + facilitator
    assert (await store_poll(store, poll.id)).closed_at == poll.closes_at
    assert await polls.run_due(jobs(store), poll.closes_at + timedelta(days=1)) == 0


async def test_people_outside_the_cohort_and_unknown_polls_are_refused(store: SqlStore) -> None:
    cohort = await make_cohort(store, 1)
    other = await make_cohort(store, 1, code="AUTUMN")
    poll = await make_poll(store, cohort)
    assert await answer(store, poll, other.people[0], VALID) == Outcome.NOT_INVITED
    assert can_answer(None, object(), NOW) == Outcome.UNKNOWN
    with pytest.raises(polls.PollError):
        await polls.create_poll(store, PollDraft(cohort.id, CHECKIN, True, NOW - timedelta(hours=1)), NOW)


async def test_please_contact_me_tells_facilitators_the_name_but_is_not_stored_anonymously(store: SqlStore) -> None:
    cohort = await make_cohort(store, 1)
    poll = await make_poll(store, cohort)
    await answer(store, poll, cohort.people[0], {**VALID, "contact_me": "Yes"})
    [alert] = await messages(store, cohort.facilitator, CONTACT)
    text = Reply.from_dict(alert.payload).text
    assert "Person 0" in text and "Good quarter" not in text
    await polls.close_poll(store, poll.id, NOW + timedelta(days=1), DELIVERY)
    async with store.transaction() as uow:
        assert await uow.polls.responses(poll.id) == [VALID]


async def store_poll(store: SqlStore, poll_id: int) -> Poll:
    """The poll as stored now."""
    found = await polls.find_poll(store, poll_id)
    assert found is not None
    return found


def test_a_question_kind_has_its_fixed_agreement_options() -> None:
    agree = Question("x", QuestionKind.AGREE, "It felt equal.")
    assert [o.value for o in agree.choices] == ["1", "2", "3", "4", "5"]
