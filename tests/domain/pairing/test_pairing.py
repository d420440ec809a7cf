"""Pairing on the real store (SQLite, and PostgreSQL with TEST_DATABASE_URL), and the
pure pair suggestions as tables."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.core.model import Group, OutboxMessage, Participant, PartnershipStatus, outbox_key
from domain.core.reply import Reply, unmarked
from domain.enrolment.service import EnrolmentDraft, save_enrolment
from domain.pairing.model import END_REASONS, PairingError
from domain.pairing.rules import suggest_pairs
from domain.pairing.service import end_partnership, pair
from storage.store import SqlStore
from tests.reading import as_read

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
LAUNCH = date(2027, 4, 1)
QUESTIONS = ["What should your partner know?", "What do you hope to learn?", "How do you like to meet?"]
FORBIDDEN = ("black", "minority", "ethnic", "bme", "senior leader", "senior_leader", "mentor", "mentee")


@pytest.fixture
def store(engine: AsyncEngine) -> SqlStore:
    return SqlStore(engine)


async def _cohort(store: SqlStore, code: str = "K7TQ3M", start: date = LAUNCH) -> int:
    async with store.transaction() as uow:
        return (await uow.cohorts.create(f"Cohort {code}", code, start, 12, QUESTIONS, NOW)).id


async def _person(
    store: SqlStore,
    name: str,
    cohort_id: int | None,
    group: Group = Group.SENIOR_LEADER,
    answers: list[str] | None = None,
    email: str = "",
) -> int:
    """A participant; enrolled in `cohort_id` unless it is None."""
    async with store.transaction() as uow:
        person = await uow.participants.upsert_identity("msteams", f"29:{name}", name, f"aad-{name}", NOW)
        if email:
            await uow.participants.set_email(person.id, email)
    if cohort_id is not None:
        draft = EnrolmentDraft(
            cohort_id,
            "",
            QUESTIONS,
            answers or [f"{name} {i}" for i in range(3)],
            group=group.value,
            rhythm="4w",
            format="online",
        )
        await save_enrolment(store, person.id, draft, NOW)
    return person.id


async def _outbox(store: SqlStore, *participant_ids: int) -> list[OutboxMessage]:
    async with store.transaction() as uow:
        return [m for pid in participant_ids for m in await uow.outbox.list_for(pid)]


async def _pair_of_two(store: SqlStore) -> tuple[int, int]:
    cohort_id = await _cohort(store)
    ada = await _person(
        store,
        "Ada Okafor",
        cohort_id,
        Group.BME_COLLEAGUE,
        ["Ada's first answer", "Ada's second answer", "Ada's third answer"],
        "ada@nhs.example",
    )
    sam = await _person(
        store,
        "Sam Patel",
        cohort_id,
        Group.SENIOR_LEADER,
        ["Sam's first answer", "Sam's second answer", "Sam's third answer"],
        "sam@nhs.example",
    )
    return ada, sam


async def test_pair_creates_a_partnership_and_one_introduction_per_partner(store: SqlStore) -> None:
    ada, sam = await _pair_of_two(store)
    partnership = await pair(store, ada, sam, NOW)
    assert (partnership.partner_a_id, partnership.partner_b_id, partnership.status, partnership.started_on) == (
        ada,
        sam,
        PartnershipStatus.ACTIVE,
        LAUNCH,
    )
    async with store.transaction() as uow:
        assert (await uow.partnerships.current_for(ada)) == (await uow.partnerships.current_for(sam)) == partnership
    rows = await _outbox(store, ada, sam)
    assert [(m.kind, m.participant_id, m.idempotency_key, m.due_at) for m in rows] == [
        ("introduction", ada, outbox_key("intro", partnership.id, ada), NOW),
        ("introduction", sam, outbox_key("intro", partnership.id, sam), NOW),
    ]


async def test_each_introduction_presents_the_other_partner(store: SqlStore) -> None:
    ada, sam = await _pair_of_two(store)
    await pair(store, ada, sam, NOW)
    to_ada, to_sam = (as_read(Reply.from_dict(m.payload)) for m in await _outbox(store, ada, sam))
    assert "Sam Patel" in to_ada.title and "Ada Okafor" in to_sam.title
    assert [s.text for s in to_ada.sections[:3]] == [
        "Sam's first answer",
        "Sam's second answer",
        "Sam's third answer",
    ]
    assert [s.heading for s in to_ada.sections[:3]] == QUESTIONS
    assert [s.text for s in to_sam.sections[:3]] == [
        "Ada's first answer",
        "Ada's second answer",
        "Ada's third answer",
    ]
    assert "Ada" not in json.dumps(to_ada.to_dict()) and "Sam" not in json.dumps(to_sam.to_dict())


async def test_introductions_never_mention_groups_or_unequal_roles(store: SqlStore) -> None:
    ada, sam = await _pair_of_two(store)
    await pair(store, ada, sam, NOW)
    for message in await _outbox(store, ada, sam):
        wording = json.dumps(Reply.from_dict(message.payload).to_dict()).lower()
        assert [word for word in FORBIDDEN if word in wording] == []


async def test_both_introductions_are_word_for_word_the_same_once_names_are_swapped(store: SqlStore) -> None:
    ada, sam = await _pair_of_two(store)
    await pair(store, ada, sam, NOW)
    to_ada, to_sam = (json.dumps(Reply.from_dict(m.payload).to_dict()) for m in await _outbox(store, ada, sam))

    def neutral(wording: str, partner: str) -> str:
        first = partner.split()[0].lower()
        return (
            wording.replace(partner, "<NAME>")
            .replace(partner.split()[0], "<FIRST>")
            .replace(f"{first}%40nhs.example", "<EMAIL>")
        )

    assert to_ada != to_sam
    assert neutral(to_ada, "Sam Patel") == neutral(to_sam, "Ada Okafor")


async def test_pairing_starts_on_launch_day_or_today_whichever_is_later(store: SqlStore) -> None:
    launched = await _cohort(store, "LAUNCH", start=date(2027, 1, 10))
    first, second = await _person(store, "Kim", launched), await _person(store, "Lee", launched, Group.BOTH)
    partnership = await pair(store, first, second, NOW)
    assert partnership.started_on == NOW.date()


async def test_pair_refuses_the_same_person_twice(store: SqlStore) -> None:
    ada, _ = await _pair_of_two(store)
    with pytest.raises(PairingError, match="two different people"):
        await pair(store, ada, ada, NOW)
    assert await _outbox(store, ada) == []


async def test_pair_refuses_people_in_different_cohorts(store: SqlStore) -> None:
    ada, _ = await _pair_of_two(store)
    other = await _person(store, "Kim", await _cohort(store, "OTHER1"), Group.SENIOR_LEADER)
    with pytest.raises(PairingError, match="different cohorts"):
        await pair(store, ada, other, NOW)
    await _assert_nobody_paired(store, ada, other)


@pytest.mark.parametrize("who", ["not_enrolled", "unknown"])
async def test_pair_refuses_someone_not_enrolled(store: SqlStore, who: str) -> None:
    ada, _ = await _pair_of_two(store)
    other = await _person(store, "Kim", None) if who == "not_enrolled" else 9999
    with pytest.raises(PairingError, match=f"Participant {other} hasn't finished enrolling"):
        await pair(store, ada, other, NOW)
    with pytest.raises(PairingError, match="hasn't finished enrolling"):
        await pair(store, other, ada, NOW)
    await _assert_nobody_paired(store, ada)


async def test_pair_refuses_someone_already_paired(store: SqlStore) -> None:
    ada, sam = await _pair_of_two(store)
    async with store.transaction() as uow:
        cohort_id = (await uow.participants.get(ada)).cohort_id
    kim = await _person(store, "Kim", cohort_id, Group.BOTH)
    first = await pair(store, ada, sam, NOW)
    with pytest.raises(PairingError) as refused:
        await pair(store, kim, sam, NOW)
    assert unmarked(str(refused.value)) == "Sam Patel already has a learning partner."
    with pytest.raises(PairingError) as refused:
        await pair(store, ada, kim, NOW)
    assert unmarked(str(refused.value)) == "Ada Okafor already has a learning partner."
    await _assert_nobody_paired(store, kim)
    async with store.transaction() as uow:
        assert await uow.partnerships.list_for_cohort(first.cohort_id) == [first]
    assert len(await _outbox(store, ada, sam)) == 2


async def _assert_nobody_paired(store: SqlStore, *participant_ids: int) -> None:
    async with store.transaction() as uow:
        for pid in participant_ids:
            assert await uow.partnerships.current_for(pid) is None
    assert await _outbox(store, *participant_ids) == []


async def test_end_partnership_closes_it_and_tells_both_partners_the_same(store: SqlStore) -> None:
    ada, sam = await _pair_of_two(store)
    partnership = await pair(store, ada, sam, NOW)
    later = NOW + timedelta(days=90)
    await end_partnership(store, partnership.id, "not_working", later)
    async with store.transaction() as uow:
        ended = await uow.partnerships.get(partnership.id)
        assert await uow.partnerships.current_for(ada) is None
    assert ended is not None
    assert (ended.status, ended.ended_at, ended.end_reason) == (PartnershipStatus.ENDED, later, "not_working")
    notes = [m for m in await _outbox(store, ada, sam) if m.kind == "partnership_ended"]
    assert [(m.participant_id, m.idempotency_key, m.due_at) for m in notes] == [
        (ada, outbox_key("partnership_ended", partnership.id, ada), later),
        (sam, outbox_key("partnership_ended", partnership.id, sam), later),
    ]
    assert notes[0].payload == notes[1].payload
    wording = Reply.from_dict(notes[0].payload)
    assert "closed" in wording.title and "not_working" not in json.dumps(notes[0].payload)


async def test_people_can_be_paired_again_after_their_partnership_ends(store: SqlStore) -> None:
    ada, sam = await _pair_of_two(store)
    first = await pair(store, ada, sam, NOW)
    await end_partnership(store, first.id, "left_trust", NOW)
    second = await pair(store, sam, ada, NOW + timedelta(days=1))
    assert second.id != first.id
    intros = [m for m in await _outbox(store, ada, sam) if m.kind == "introduction"]
    assert len(intros) == 4


@pytest.mark.parametrize("reason", ["", "bored", "Not working"])
async def test_end_partnership_refuses_an_unlisted_reason(store: SqlStore, reason: str) -> None:
    ada, sam = await _pair_of_two(store)
    partnership = await pair(store, ada, sam, NOW)
    with pytest.raises(PairingError, match="listed reasons"):
        await end_partnership(store, partnership.id, reason, NOW)
    async with store.transaction() as uow:
        assert await uow.partnerships.current_for(ada) == partnership


async def test_end_partnership_refuses_unknown_or_already_ended(store: SqlStore) -> None:
    ada, sam = await _pair_of_two(store)
    partnership = await pair(store, ada, sam, NOW)
    with pytest.raises(PairingError, match="isn't active"):
        await end_partnership(store, partnership.id + 100, "other", NOW)
    await end_partnership(store, partnership.id, "completed", NOW)
    with pytest.raises(PairingError, match="isn't active"):
        await end_partnership(store, partnership.id, "other", NOW)
    assert len([m for m in await _outbox(store, ada, sam) if m.kind == "partnership_ended"]) == 2
    assert set(END_REASONS) == {"left_trust", "completed", "not_working", "left_programme", "other"}


# --- suggest_pairs: pure ---------------------------------------------------------------

SL, BME, BOTH = Group.SENIOR_LEADER, Group.BME_COLLEAGUE, Group.BOTH


def _p(pid: int, group: Group | None, fmt: str = "online", rhythm: str = "4w") -> Participant:
    return Participant(
        id=pid,
        channel_id="msteams",
        user_id=f"29:{pid}",
        name=f"P{pid}",
        cohort_id=1,
        group=group,
        meeting_format=fmt,
        meeting_rhythm=rhythm,
        enrolled_at=NOW if group else None,
    )


def _ids(people: list[Participant]) -> list[tuple[int, int]]:
    return [(s.first.id, s.second.id) for s in suggest_pairs(people)]


@pytest.mark.parametrize(
    ("people", "expected"),
    [
        ([], []),
        ([_p(1, SL)], []),
        ([_p(1, BOTH)], []),
        ([_p(1, SL), _p(2, SL)], []),
        ([_p(1, BME), _p(2, BME)], []),
        ([_p(1, SL), _p(2, BME)], [(1, 2)]),
        ([_p(1, BME), _p(2, SL)], [(2, 1)]),
        ([_p(1, SL), _p(2, BOTH)], [(1, 2)]),
        ([_p(1, BOTH), _p(2, BME)], [(1, 2)]),
        ([_p(1, BOTH), _p(2, BOTH)], [(1, 2)]),
        ([_p(1, SL), _p(2, None)], []),
        ([_p(1, SL), _p(2, BME), _p(3, SL), _p(4, BME)], [(1, 2), (3, 4)]),
    ],
)
def test_suggest_pairs_matches_senior_leaders_with_bme_colleagues(
    people: list[Participant], expected: list[tuple[int, int]]
) -> None:
    assert _ids(people) == expected


def test_suggest_pairs_prefers_the_same_meeting_format_then_rhythm() -> None:
    leader = _p(1, SL, "in_person", "2w")
    people = [leader, _p(2, BME, "online", "2w"), _p(3, BME, "in_person", "6w"), _p(4, BME, "in_person", "2w")]
    [suggestion] = suggest_pairs(people)
    assert (suggestion.first.id, suggestion.second.id, suggestion.reason) == (1, 4, "same meeting preferences")


def test_suggest_pairs_falls_back_to_the_longest_waiting_colleague() -> None:
    people = [_p(1, SL, "in_person"), _p(3, BME, "online"), _p(2, BME, "mix")]
    [suggestion] = suggest_pairs(people)
    assert (suggestion.first.id, suggestion.second.id, suggestion.reason) == (1, 2, "available")


GROUPS = (SL, BME, BOTH, None)


def test_suggest_pairs_invariants_for_every_mix_of_four_people() -> None:
    for groups in itertools.product(GROUPS, repeat=4):
        people = [
            _p(i, g, fmt) for i, (g, fmt) in enumerate(zip(groups, ("online", "mix", "online", "mix"), strict=False), 1)
        ]
        suggestions = suggest_pairs(people)
        used = [p.id for s in suggestions for p in (s.first, s.second)]
        assert len(used) == len(set(used)), groups  # nobody twice, nobody with themselves
        assert all(s.first.group in (SL, BOTH) and s.second.group in (BME, BOTH) for s in suggestions), groups


@pytest.mark.parametrize(
    ("people", "count"),
    [
        # People in both groups can sit on either side, so the mix below allows two pairs
        # (2+1, 4+3); putting #1 on the leader side first leaves only one.
        ([_p(1, BOTH), _p(2, SL), _p(3, BME), _p(4, SL)], 2),
        ([_p(1, BOTH), _p(2, BME), _p(3, SL), _p(4, BME)], 2),
        ([_p(1, SL), _p(2, BOTH), _p(3, BME), _p(4, BOTH)], 2),
    ],
)
def test_suggest_pairs_suggests_as_many_pairs_as_the_groups_allow(people: list[Participant], count: int) -> None:
    assert len(suggest_pairs(people)) == count
