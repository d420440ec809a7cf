"""Poll results for facilitators: only after closing; counts, percentages, suppression below 5, free text
(5 answers or more, alphabetical, never beside group), and a CSV of the same suppressed aggregates."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from domain.polls import service as polls
from domain.polls.model import Answers, Poll, PollListing
from domain.polls.results import (
    CSV_HEADER,
    FEWER,
    FEWER_RESPONSES,
    HIDDEN,
    PollResults,
    csv_text,
    hidden_note,
    tally,
)
from domain.polls.service import export_csv
from domain.polls.wording import results_reply
from storage.store import SqlStore
from tests.domain.poll_fixtures import (
    CHECKIN,
    DELIVERY,
    FACILITATORS,
    NOW,
    SURVEY,
    Cohort,
    answer,
    make_cohort,
    make_poll,
    named,
)

MET = ["0", "2", "2", "2", "2", "2", "4+", "4+"]  # 8 responses: "0" once, "4+" twice, "2" five times
LATER = NOW + timedelta(days=2)


async def answered_poll(
    store: SqlStore, anonymous: bool = True, count: int = len(MET), close: bool = True
) -> tuple[Cohort, Poll]:
    """A check-in answered by `count` people (the first five also leave a comment), closed unless asked not to."""
    cohort = await make_cohort(store, count)
    poll = await make_poll(store, cohort, CHECKIN if anonymous else named(CHECKIN), anonymous=anonymous)
    for n, person in enumerate(cohort.people):
        extra = {"comments": f"Comment {n}"} if n < 5 else {}
        await answer(store, poll, person, {"met": MET[n], "protected": "4", "help_next": ["Nothing"], **extra})
    if close:
        await polls.close_poll(store, poll.id, LATER, DELIVERY)
    return cohort, poll


async def closed_results(store: SqlStore, poll: Poll) -> PollResults:
    found = await polls.results_for(store, poll.id)
    assert found is not None and found.results is not None
    return found


async def test_no_results_or_export_while_a_poll_is_open(store: SqlStore) -> None:
    cohort, poll = await answered_poll(store, close=False)
    found = await polls.results_for(store, poll.id)
    assert found is not None and found.results is None and not found.exportable
    assert (found.listing.responses, found.listing.invited) == (8, 8)  # how many responded, never what
    assert await export_csv(store, poll.id, cohort.facilitator, FACILITATORS) is None
    reply = results_reply(found, NOW, "")
    assert reply.sections == () and "once it has closed" in reply.text and f"close poll {poll.id}" in reply.text
    await polls.close_poll(store, poll.id, LATER, DELIVERY)
    assert (await closed_results(store, poll)).exportable
    assert await export_csv(store, poll.id, cohort.facilitator, FACILITATORS) is not None


async def test_counts_and_percentages_with_small_cells_suppressed(store: SqlStore) -> None:
    _, poll = await answered_poll(store)
    found = await closed_results(store, poll)
    by_id = {r.question.id: r for r in found.results or ()}
    met = by_id["met"].shown()
    assert met["0"] == FEWER and met["4+"] == FEWER  # 1 and 2 people
    assert met["2"] == "5 (62%)"  # 5 of 8
    assert met["1"] == "0 (0%)"
    assert by_id["protected"].shown()["Agree"] == "8 (100%)"
    assert by_id["comments"].texts == tuple(f"Comment {n}" for n in range(5))
    assert by_id["aims"].suppressed and by_id["aims"].answered == 0
    assert (found.listing.responses, found.listing.invited) == (8, 8)


async def test_one_small_cell_also_hides_the_next_smallest_so_it_cannot_be_derived(store: SqlStore) -> None:
    cohort = await make_cohort(store, 12)
    poll = await make_poll(store, cohort)
    for n, person in enumerate(cohort.people):
        await answer(store, poll, person, {"met": ["0", "1", "1", "1", "1", "1", "2", "2", "2", "2", "2", "2"][n]})
    await polls.close_poll(store, poll.id, LATER, DELIVERY)
    met = ((await closed_results(store, poll)).results or ())[0].shown()
    assert met["0"] == FEWER and met["1"] == HIDDEN and met["2"] == "6 (50%)"


async def test_questions_answered_by_fewer_than_5_are_counted_in_one_line(store: SqlStore) -> None:
    _, poll = await answered_poll(store, count=4)
    found = await closed_results(store, poll)
    assert all(r.suppressed for r in found.results or ()) and found.shown == ()
    reply = results_reply(found, LATER, "https://plp.test/x.csv")
    hidden = len(CHECKIN.questions)
    assert hidden > 1
    assert [(s.heading, s.text) for s in reply.sections] == [
        ("", f"{hidden} questions hidden: fewer than 5 answers each.")
    ]
    assert "Comment" not in str(reply.to_dict()) and "Fewer than 5 responses" not in str(reply.to_dict())


async def test_only_questions_with_5_answers_are_shown_then_the_hidden_count(store: SqlStore) -> None:
    _, poll = await answered_poll(store)  # 8 responses to these four, 5 comments; nobody answered the rest
    found = await closed_results(store, poll)
    reply = results_reply(found, LATER, "")
    answered = ("met", "protected", "help_next", "comments")
    shown = [q for q in CHECKIN.questions if q.id in answered]
    assert [r.question.id for r in found.shown] == list(answered)
    assert [s.heading for s in reply.sections] == [*(q.text for q in shown), ""]
    hidden = len(CHECKIN.questions) - len(answered)
    assert reply.sections[-1].text == f"{hidden} questions hidden: fewer than 5 answers each."


def test_the_hidden_note_counts_questions_in_words_that_agree() -> None:
    assert [hidden_note(n) for n in (0, 1, 2)] == [
        "",
        "1 question hidden: fewer than 5 answers.",
        "2 questions hidden: fewer than 5 answers each.",
    ]


def test_zero_to_ten_answers_are_shown_in_bands_with_an_average() -> None:
    responses: list[Answers] = [{"likely": v} for v in ["9", "10", "10", "9", "9", "3", "8"]]
    likely = next(r for r in tally(SURVEY.questions, responses) if r.question.id == "likely")
    assert likely.shown() == {"0-6": FEWER, "7-8": FEWER, "9-10": "5 (71%)", "Average": "8.3"}


def test_free_text_needs_5_answers_to_that_question_not_just_5_responses() -> None:
    responses: list[Answers] = [{"met": "1", **({"comments": f"note {n}"} if n < 4 else {})} for n in range(9)]
    by_id = {r.question.id: r for r in tally(CHECKIN.questions, responses)}
    assert by_id["met"].answered == 9 and not by_id["met"].suppressed
    assert by_id["comments"].suppressed and by_id["comments"].texts == ()  # 9 responses, only 4 comments


def test_free_text_is_alphabetical_so_two_questions_never_line_up_by_person() -> None:
    # Person n wrote "why" W(n) and "anything else" A(9-n): in answer order the two lists would line up.
    people: list[Answers] = [{"why": f"W{n}", "anything_else": f"A{9 - n}", "group": "BME colleague"} for n in range(9)]
    by_id = {r.question.id: r for r in tally(SURVEY.questions, people)}
    assert by_id["why"].texts == tuple(f"W{n}" for n in range(9))
    assert by_id["anything_else"].texts == tuple(f"A{n}" for n in range(1, 10))  # not the answer order
    assert tally(SURVEY.questions, list(reversed(people))) == tally(SURVEY.questions, people)  # order says nothing


def test_group_counts_are_suppressed_below_5_and_never_shown_beside_free_text() -> None:
    # 7 senior leaders and 1 BME colleague, each with a comment.
    people: list[Answers] = [
        {"group": "Senior leader" if n < 7 else "BME colleague", "why": f"Because {n}"} for n in range(8)
    ]
    results = tally(SURVEY.questions, people)
    group = next(r for r in results if r.question.id == "group")
    assert group.shown() == {"Senior leader": HIDDEN, "BME colleague": FEWER, "Prefer not to say": "0 (0%)"}
    assert group.texts == ()  # counts only
    why = next(r for r in results if r.question.id == "why")
    assert why.lines == () and len(why.texts) == 8  # comments only, no group beside them
    rows = list(csv.reader(io.StringIO(csv_text(results))))
    for row in rows[1:]:
        # Every row is one question's own line: a comment row carries no group, a group row no comment.
        assert len(row) == 4
        assert not (row[0] == why.question.text and row[1] in ("Senior leader", "BME colleague"))
        assert not (row[0] == group.question.text and row[1] == "comment")
    assert ["Optional: which group did you join in?", "BME colleague", FEWER, ""] in rows


async def test_the_csv_holds_the_suppressed_aggregates_not_a_row_per_person(store: SqlStore) -> None:
    cohort, poll = await answered_poll(store)
    text = await export_csv(store, poll.id, cohort.facilitator, FACILITATORS)
    assert text is not None and "Person" not in text
    rows = list(csv.reader(io.StringIO(text)))
    assert tuple(rows[0]) == CSV_HEADER
    met = [r[1:] for r in rows if r[0] == CHECKIN.questions[0].text]
    assert met == [
        ["answered", "8", ""],
        ["0", FEWER, ""],
        ["1", "0", "0%"],
        ["2", "5", "62%"],
        ["3", "0", "0%"],
        ["4+", FEWER, ""],
    ]
    aims = [r[1:] for r in rows if r[0] == "Do you have shared aims?"]
    assert aims == [["", FEWER_RESPONSES, ""]]
    comments = [r[2] for r in rows if r[1] == "comment"]
    assert comments == [f"Comment {n}" for n in range(5)]
    assert len(rows) < 8 * len(CHECKIN.questions)  # one row per line of results, none per person


async def test_a_named_poll_exports_the_same_aggregates_without_names(store: SqlStore) -> None:
    cohort, poll = await answered_poll(store, anonymous=False)
    text = await export_csv(store, poll.id, cohort.facilitator, FACILITATORS)
    assert text is not None and "Person" not in text
    assert ["How many times have you met in the last three months?", "2", "5", "62%"] in list(
        csv.reader(io.StringIO(text))
    )
    assert await export_csv(store, poll.id, cohort.people[0], FACILITATORS) is None
    assert await export_csv(store, poll.id + 99, cohort.facilitator, FACILITATORS) is None


async def test_csv_needs_5_responses(store: SqlStore) -> None:
    cohort, poll = await answered_poll(store, count=4)
    assert await export_csv(store, poll.id, cohort.facilitator, FACILITATORS) is None


def test_csv_cells_cannot_run_as_spreadsheet_formulas() -> None:
    results = tally(CHECKIN.questions, [{"comments": f'=HYPERLINK("http://x/{n}")'} for n in range(5)])
    comments = [r[2] for r in csv.reader(io.StringIO(csv_text(results))) if r[1] == "comment"]
    assert comments == [f'\'=HYPERLINK("http://x/{n}")' for n in range(5)]


def test_before_closing_facilitators_hear_when_results_come_and_how_to_close_now() -> None:
    poll = Poll(4, 1, CHECKIN, True, NOW, NOW + timedelta(days=14))
    waiting = PollResults(PollListing(poll, "Spring 2027", 3, 8), None)
    before = results_reply(waiting, NOW - timedelta(days=1), "").text
    during = results_reply(waiting, NOW + timedelta(days=1), "").text
    after = results_reply(waiting, NOW + timedelta(days=14), "").text  # the job has not run the close yet
    assert "opens Monday 1 March 2027, 09:00 and closes Monday 15 March 2027, 09:00" in before
    assert "is open until Monday 15 March 2027, 09:00" in during
    assert "closes within minutes" in after
    for text in (before, during, after):
        assert "once it has closed" in text and "close poll 4" in text
    reply = results_reply(waiting, NOW + timedelta(days=1), "https://plp.test/x.csv")
    assert reply.actions == () and reply.sections == ()  # no results and no CSV link, even if one were offered
