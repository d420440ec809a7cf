"""What facilitators see: the Roster snapshot, its replies, and load_rosters on the real store."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.aims.model import AimsStatus
from domain.cohorts.model import Roster
from domain.cohorts.service import load_rosters
from domain.cohorts.wording import participant_line, roster_reply, shared_aims_sections
from domain.core.model import Cohort, Group, Participant, Partnership, PartnershipStatus
from domain.core.reply import Reply, unmarked
from domain.enrolment.service import EnrolmentDraft, save_enrolment
from domain.pairing.model import Suggestion
from domain.pairing.service import pair
from domain.pairing.wording import suggestions_reply
from storage.store import SqlStore
from tests.reading import as_read

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
COHORT = Cohort(
    id=1,
    name="Spring 2027",
    join_code="K7TQ3M",
    start_date=date(2027, 4, 1),
    length_months=12,
    profile_questions=["Q1", "Q2", "Q3"],
)


def _p(pid: int, name: str, group: Group | None = Group.SENIOR_LEADER, unreachable: bool = False) -> Participant:
    """Participant `pid` is also number `pid` in the cohort (the roster shows the number)."""
    return Participant(
        id=pid,
        number=pid,
        channel_id="msteams",
        user_id=f"29:{pid}",
        name=name,
        cohort_id=1,
        group=group,
        enrolled_at=NOW if group else None,
        unreachable_at=NOW if unreachable else None,
    )


ADA, SAM, KIM, LEE, NEW = (
    _p(1, "Ada", Group.BME_COLLEAGUE),
    _p(2, "Sam"),
    _p(3, "Kim", Group.BOTH),
    _p(4, "Lee", Group.BME_COLLEAGUE, unreachable=True),
    _p(5, "Noor", None),
)


def _roster(*statuses: PartnershipStatus) -> Roster:
    """Ada+Sam with the first status, Kim+Lee with the second (when given)."""
    pairs = [(1, 2), (3, 4)]
    partnerships = [
        Partnership(i, 1, a, b, status) for i, ((a, b), status) in enumerate(zip(pairs, statuses, strict=False), 10)
    ]
    return Roster(COHORT, [ADA, SAM, KIM, LEE, NEW], partnerships)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (PartnershipStatus.ACTIVE, "Sam"),
        (PartnershipStatus.PAUSED, "Sam"),
        (PartnershipStatus.ENDED, None),
    ],
)
def test_current_partner_of_counts_active_and_paused_only(status: PartnershipStatus, expected: str | None) -> None:
    roster = _roster(status)
    partner_of_ada, partner_of_sam = roster.current_partner_of(1), roster.current_partner_of(2)
    assert (partner_of_ada.name if partner_of_ada else None) == expected
    assert (partner_of_sam.name if partner_of_sam else None) == ("Ada" if expected else None)


def test_unpaired_lists_enrolled_people_without_a_current_partner() -> None:
    assert [p.name for p in _roster().unpaired()] == ["Ada", "Sam", "Kim", "Lee"]
    assert [p.name for p in _roster(PartnershipStatus.ACTIVE).unpaired()] == ["Kim", "Lee"]
    assert [p.name for p in _roster(PartnershipStatus.ENDED, PartnershipStatus.PAUSED).unpaired()] == ["Ada", "Sam"]


def test_current_and_by_id() -> None:
    roster = _roster(PartnershipStatus.ENDED, PartnershipStatus.ACTIVE)
    assert [p.id for p in roster.current()] == [11]
    assert roster.by_id(3) == KIM and roster.by_id(99) is None


@pytest.mark.parametrize(
    ("person", "statuses", "expected"),
    [
        (
            ADA,
            (PartnershipStatus.ACTIVE,),
            ("#1 Ada", "Black and minority ethnic colleague · paired with Sam · no shared aims yet"),
        ),
        (SAM, (PartnershipStatus.ACTIVE,), ("#2 Sam", "Senior leader · paired with Ada · no shared aims yet")),
        (SAM, (), ("#2 Sam", "Senior leader · not paired yet")),
        (KIM, (), ("#3 Kim", "Both · not paired yet")),
        (
            LEE,
            (PartnershipStatus.ENDED, PartnershipStatus.PAUSED),
            ("#4 Lee", "Black and minority ethnic colleague · paired with Kim · no shared aims yet · can't be reached"),
        ),
        (NEW, (), ("#5 Noor", "not finished enrolling · not paired yet")),
    ],
)
def test_participant_line(
    person: Participant, statuses: tuple[PartnershipStatus, ...], expected: tuple[str, str]
) -> None:
    label, value = participant_line(person, _roster(*statuses))
    assert (unmarked(label), unmarked(value)) == expected


def test_facilitators_see_whether_aims_are_agreed_and_their_content_only_when_both_shared() -> None:
    roster = _roster(PartnershipStatus.ACTIVE)
    pid = roster.partnerships[0].id
    agreed = replace(roster, aims={pid: AimsStatus(True, None, False, None)})
    assert unmarked(participant_line(ADA, agreed)[1]).endswith("paired with Sam · aims agreed")
    assert shared_aims_sections(agreed) == ()
    shared = replace(roster, aims={pid: AimsStatus(True, None, True, ["Learn about boards", "Visit a ward"])})
    (section,) = as_read(Reply(sections=shared_aims_sections(shared))).sections
    assert "Learn about boards" in section.text and "Ada" in section.heading


def test_roster_reply_without_cohorts_says_how_to_start() -> None:
    reply = roster_reply([])
    assert "no cohorts yet" in reply.text and "create cohort" in reply.text
    assert reply.sections == () and reply.actions == ()


def test_roster_reply_shows_each_cohort_with_code_launch_and_people() -> None:
    empty = Cohort(2, "Autumn 2027", "M3QT7K", date(2027, 10, 1), 15, ["Q1", "Q2", "Q3"])
    reply = as_read(roster_reply([_roster(PartnershipStatus.ACTIVE), Roster(empty, [], [])]))
    spring, autumn = reply.sections
    assert spring.heading == "Spring 2027 (join code K7TQ3M, launch Thursday 1 April 2027)"
    rows = spring.text.splitlines()
    assert [row.partition("**: ")[0] for row in rows] == [
        "- **#1 Ada",
        "- **#2 Sam",
        "- **#3 Kim",
        "- **#4 Lee",
        "- **#5 Noor",
    ]
    assert rows[1] == "- **#2 Sam**: Senior leader · paired with Ada · no shared aims yet"
    assert spring.facts == ()  # names are never Fact labels: a long name would wrap in Teams' narrow column
    assert (autumn.heading, autumn.text, autumn.facts) == (
        "Autumn 2027 (join code M3QT7K, launch Friday 1 October 2027)",
        "Nobody has joined yet.",
        (),
    )
    assert [a.data for a in reply.actions] == [{"command": "suggest pairs"}, {"command": "pair"}]


def _suggestions(count: int) -> list[Suggestion]:
    people = [_p(i, f"Person {i}") for i in range(1, 2 * count + 1)]
    return [Suggestion(people[2 * i], people[2 * i + 1], "available") for i in range(count)]


def test_suggestions_reply_without_suggestions_names_the_cohort() -> None:
    reply = as_read(suggestions_reply(COHORT, []))
    assert reply.text == "I have no suggestions for Spring 2027: there aren't enough unpaired people."
    assert reply.actions == ()


def test_suggestions_reply_lists_every_pair_and_offers_a_button_for_the_first_five() -> None:
    reply = as_read(suggestions_reply(COHORT, _suggestions(6)))
    assert reply.title == "Possible pairs in Spring 2027" and "your decision" in reply.text
    rows = [line for line in reply.text.splitlines() if line.startswith("- ")]
    assert rows[:2] == ["- **#1 Person 1 + #2 Person 2**: available", "- **#3 Person 3 + #4 Person 4**: available"]
    assert len(rows) == 6 and reply.facts == ()
    # each button names the people by their numbers in the cohort, and the cohort by its join code
    assert [a.data["command"] for a in reply.actions] == [f"pair {n} {n + 1} K7TQ3M" for n in (1, 3, 5, 7, 9)]
    assert reply.actions[0].title == "Pair Person 1 and Person 2"


async def test_load_rosters_reads_every_cohort_with_people_and_partnerships(engine: AsyncEngine) -> None:
    store = SqlStore(engine)
    async with store.transaction() as uow:
        spring = await uow.cohorts.create("Spring 2027", "K7TQ3M", date(2027, 4, 1), 12, ["A", "B", "C"], NOW)
        autumn = await uow.cohorts.create("Autumn 2027", "M3QT7K", date(2027, 10, 1), 12, ["A", "B", "C"], NOW)
        ids = [(await uow.participants.upsert_identity("msteams", f"29:{n}", n, "", NOW)).id for n in ("Ada", "Sam")]
    for pid, group in zip(ids, ("bme_colleague", "senior_leader"), strict=False):
        draft = EnrolmentDraft(spring.id, "", ["A", "B", "C"], ["a", "b", "c"], group, "4w", "online")
        await save_enrolment(store, pid, draft, NOW)
    partnership = await pair(store, ids[0], ids[1], NOW)
    first, second = await load_rosters(store)
    assert (first.cohort.id, second.cohort.id) == (spring.id, autumn.id)
    assert [p.name for p in first.participants] == ["Ada", "Sam"] and first.partnerships == [partnership]
    assert (second.participants, second.partnerships, first.unpaired()) == ([], [], [])
