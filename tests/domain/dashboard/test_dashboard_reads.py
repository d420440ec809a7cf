"""The dashboard's reads on a real database (SQLite and PostgreSQL): the seeded programme's numbers,
each count below 5 suppressed as in chat, no group anywhere, and bounded queries."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from domain.core.suppress import FEWER, HIDDEN
from domain.dashboard import reads
from domain.dashboard.model import PairFilter
from domain.guide.content import load_guide
from domain.health.model import Health
from storage.store import SqlStore
from tests.domain.dashboard.seed import NOW, seed_programme


def shown(cells: object) -> dict[str, str]:
    return {c.label: c.shown for c in cells}  # type: ignore[attr-defined]


async def test_the_cohort_overview_counts_people_and_pairs_with_small_counts_hidden(engine: AsyncEngine) -> None:
    store = SqlStore(engine)
    await seed_programme(store)
    spring, autumn = await reads.overview(store)
    assert (spring.name, spring.join_code) == ("Spring 2027", "SPRING27")
    assert shown(spring.people) == {"Paired": "20", "Paused": FEWER, "Waiting for a partner": FEWER}
    assert spring.enrolled.shown == "24" and spring.unreachable.shown == FEWER
    assert shown(spring.pairs) == {"Active pairs": "10", "Paused pairs": FEWER, "Ended pairs": FEWER}
    assert autumn.enrolled.shown == FEWER and shown(autumn.people)["Waiting for a partner"] == FEWER
    assert shown(autumn.pairs) == {"Active pairs": "0", "Paused pairs": "0", "Ended pairs": "0"}


async def test_partnerships_carry_health_last_meeting_aims_and_guide_progress(engine: AsyncEngine) -> None:
    store = SqlStore(engine)
    seeded = await seed_programme(store)
    guide = load_guide()
    found = await reads.partnerships(store, guide, PairFilter(), NOW)
    assert shown(found.health) == {"Inactive": FEWER, "Quiet": FEWER, "Active": "6", "Paused": FEWER, "Ended": FEWER}
    by_id = {row.id: row for row in found.rows}
    first = by_id[seeded.pairs[0]]
    assert first.names == ("Ayesha Khan", "Ben Okafor") and first.health is Health.ACTIVE and first.aims_agreed
    assert str(first.last_met) == "2027-02-16" and first.prompts_sent == 2 and first.phase == "Agreeing mutual aims"
    assert by_id[seeded.pairs[6]].health is Health.QUIET and str(by_id[seeded.pairs[6]].last_met) == "2027-01-12"
    assert by_id[seeded.pairs[8]].health is Health.INACTIVE and by_id[seeded.pairs[8]].last_met is None
    assert by_id[seeded.pairs[10]].phase == "Getting to know each other"
    assert [r.health for r in found.rows[:2]] == [Health.INACTIVE, Health.INACTIVE]  # the ones to look at first
    quiet = await reads.partnerships(store, guide, PairFilter(health=Health.QUIET), NOW)
    assert {r.id for r in quiet.rows} == set(seeded.pairs[6:8]) and shown(quiet.health) == shown(found.health)
    named = await reads.partnerships(store, guide, PairFilter(cohort_id=seeded.spring, name="okafor"), NOW)
    assert [r.id for r in named.rows] == [seeded.pairs[0]]


async def test_meetings_by_month_and_guide_phases_are_suppressed_series(engine: AsyncEngine) -> None:
    store = SqlStore(engine)
    await seed_programme(store)
    meetings = await reads.meetings_by_month(store, NOW)
    assert shown(meetings.cells) == {
        "November 2026": "5",
        "December 2026": FEWER,
        "January 2027": "8",
        "February 2027": "11",
        "March 2027": FEWER,
    }
    assert meetings.total is not None and meetings.total.shown == "27"
    phases = await reads.guide_by_phase(store, load_guide())
    assert shown(phases.cells)["Getting to know each other"] == "5"
    assert shown(phases.cells)["Agreeing mutual aims"] == "6"
    assert shown(phases.cells)["No prompt sent yet"] == "0"
    assert phases.total is not None and phases.total.shown == "11"


async def test_one_small_month_would_give_itself_away_so_the_next_smallest_is_hidden(engine: AsyncEngine) -> None:
    store = SqlStore(engine)
    await seed_programme(store)
    meetings = await reads.meetings_by_month(store, NOW.replace(day=1, hour=7))  # before March's meeting
    assert shown(meetings.cells)["December 2026"] == FEWER
    assert shown(meetings.cells)["November 2026"] == HIDDEN and shown(meetings.cells)["March 2027"] == "0"


async def test_unreachable_people_and_closed_polls(engine: AsyncEngine) -> None:
    store = SqlStore(engine)
    seeded = await seed_programme(store)
    (gone,) = await reads.unreachable_people(store)
    assert (gone.participant_id, gone.name, gone.cohort) == (seeded.people[5], "Finn Walsh", "Spring 2027")
    (poll,) = await reads.closed_polls(store)
    assert poll.listing.responses == 8 and poll.exportable and poll.results is not None
    met = next(r for r in poll.results if r.question.id == "met")
    assert met.shown() == {"0": "0 (0%)", "1": FEWER, "2": "5 (62%)", "3": FEWER, "4+": "0 (0%)"}
