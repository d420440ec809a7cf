"""Poll results for facilitators: counts, percentages, suppression below 5, free text, CSV."""

from __future__ import annotations

import csv
import io

from domain.polls import service as polls
from domain.polls.model import Poll, StoredResponse
from domain.polls.results import FEWER, HIDDEN, csv_text, tally
from domain.polls.service import export_csv
from domain.polls.wording import results_reply
from storage.store import SqlStore
from tests.domain.poll_fixtures import CHECKIN, FACILITATORS, NOW, SURVEY, Cohort, answer, make_cohort, make_poll, named

MET = ["0", "2", "2", "2", "2", "2", "4+", "4+"]  # 8 responses: "0" once, "4+" twice, "2" five times


async def answered_poll(store: SqlStore, anonymous: bool = True, count: int = len(MET)) -> tuple[Cohort, Poll]:
    """A check-in answered by `count` people (the first five also leave a comment)."""
    cohort = await make_cohort(store, count)
    poll = await make_poll(store, cohort, CHECKIN if anonymous else named(CHECKIN), anonymous=anonymous)
    for n, person in enumerate(cohort.people):
        extra = {"comments": f"Comment {n}"} if n < 5 else {}
        await answer(store, poll, person, {"met": MET[n], "protected": "4", "help_next": ["Nothing"], **extra})
    return cohort, poll


async def test_counts_and_percentages_with_small_cells_suppressed(store: SqlStore) -> None:
    _, poll = await answered_poll(store)
    listing, results = await polls.results_for(store, poll.id)
    by_id = {r.question.id: r for r in results}
    met = dict(by_id["met"].lines)
    assert met["0"] == FEWER and met["4+"] == FEWER  # 1 and 2 people
    assert met["2"] == "5 (62%)"  # 5 of 8
    assert met["1"] == "0 (0%)"
    assert dict(by_id["protected"].lines)["Agree"] == "8 (100%)"
    assert sorted(by_id["comments"].texts) == [f"Comment {n}" for n in range(5)]  # random order when anonymous
    assert by_id["aims"].suppressed and by_id["aims"].answered == 0
    assert (listing.responses, listing.invited) == (8, 8)


async def test_one_small_cell_also_hides_the_next_smallest_so_it_cannot_be_derived(store: SqlStore) -> None:
    cohort = await make_cohort(store, 12)
    poll = await make_poll(store, cohort)
    for n, person in enumerate(cohort.people):
        await answer(store, poll, person, {"met": ["0", "1", "1", "1", "1", "1", "2", "2", "2", "2", "2", "2"][n]})
    [_, results] = await polls.results_for(store, poll.id)
    met = dict(results[0].lines)
    assert met["0"] == FEWER and met["1"] == HIDDEN and met["2"] == "6 (50%)"


async def test_a_question_answered_by_fewer_than_5_says_so(store: SqlStore) -> None:
    _, poll = await answered_poll(store, count=4)
    listing, results = await polls.results_for(store, poll.id)
    assert all(r.suppressed for r in results)
    reply = results_reply(listing, results, NOW, "https://plp.test/x.csv")
    assert all(s.text == "Fewer than 5 responses." for s in reply.sections)
    assert "Comment" not in str(reply.to_dict())


def test_zero_to_ten_answers_are_shown_in_bands_with_an_average() -> None:
    poll = Poll(1, 1, SURVEY, True, NOW, NOW)
    responses = [StoredResponse({"likely": v}) for v in ["9", "10", "10", "9", "9", "3", "8"]]
    likely = next(r for r in tally(poll, responses) if r.question.id == "likely")
    assert dict(likely.lines) == {"0-6": FEWER, "7-8": FEWER, "9-10": "5 (71%)", "Average": "8.3"}


async def test_anonymous_csv_has_no_name_column_and_named_csv_has_names(store: SqlStore) -> None:
    cohort, poll = await answered_poll(store)
    text = await export_csv(store, poll.id, cohort.facilitator, FACILITATORS)
    assert text is not None
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [q.text for q in CHECKIN.questions]
    assert len(rows) == 9 and "Person" not in text
    assert sorted(r[0] for r in rows[1:]) == sorted(MET)
    assert {r[1] for r in rows[1:]} == {"Agree"}  # titles, not stored codes


async def test_named_csv_names_each_row_and_refuses_people_who_do_not_facilitate(store: SqlStore) -> None:
    cohort, poll = await answered_poll(store, anonymous=False)
    text = await export_csv(store, poll.id, cohort.facilitator, FACILITATORS)
    rows = list(csv.reader(io.StringIO(text or "")))
    assert rows[0][0] == "name" and rows[1][0] == "Person 0" and rows[1][1] == "0"
    assert await export_csv(store, poll.id, cohort.people[0], FACILITATORS) is None
    assert await export_csv(store, poll.id + 99, cohort.facilitator, FACILITATORS) is None


async def test_csv_needs_5_responses(store: SqlStore) -> None:
    cohort, poll = await answered_poll(store, count=4)
    assert await export_csv(store, poll.id, cohort.facilitator, FACILITATORS) is None


def test_csv_cells_cannot_run_as_spreadsheet_formulas() -> None:
    poll = Poll(1, 1, CHECKIN, True, NOW, NOW)
    text = csv_text(poll, [StoredResponse({"comments": '=HYPERLINK("http://x")'})])
    assert list(csv.reader(io.StringIO(text)))[1][7] == '\'=HYPERLINK("http://x")'
