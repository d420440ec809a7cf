"""Mutual aims: the pure rules and cards as tables, and the services on the real store
(SQLite, and PostgreSQL with TEST_DATABASE_URL)."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.aims.cards import agreed_card, hopes_card, ratings_card
from domain.aims.model import AGREED, PROPOSED, SUPERSEDED, AimRating, AimsError, AimsView, Hopes, SharedAims
from domain.aims.rules import aims_status_of, both_in, check_ratings, check_response, in_order, parse_aims
from domain.aims.service import accept_aims, aims_to_rate, propose_aims, rate_progress, save_hopes, share_with_team
from domain.aims.wording import hopes_saved, overview, progress_rated
from domain.core.model import Participant, Partnership
from domain.core.reply import Reply
from storage.store import SqlStore
from tests.reading import as_read

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
ADA, SAM = Participant(1, "test", "u-ada", "Ada"), Participant(2, "test", "u-sam", "Sam")
PAIR = Partnership(id=7, cohort_id=1, partner_a_id=1, partner_b_id=2)
FORBIDDEN = ("mentor", "mentee")


def _aims(status: str = PROPOSED, by: int = 1, shared: tuple[int, ...] = (), partnership: int = 7) -> SharedAims:
    return SharedAims(
        3,
        partnership,
        ("Listen more", "Visit each other's sites"),
        by,
        status,
        NOW,
        NOW if status == AGREED else None,
        shared,
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Listen more\nVisit sites", ["Listen more", "Visit sites"]),
        ("1. Listen more\n2) Visit sites\n- Talk about race", ["Listen more", "Visit sites", "Talk about race"]),
        ("* one\n\n\n• two", ["one", "two"]),
        ("  spaced  \n\tsecond", ["spaced", "second"]),
        # One line, where Enter sends the message: ";", numbers or the bullet it starts with.
        ("Listen more; Visit sites; Talk about race", ["Listen more", "Visit sites", "Talk about race"]),
        ("1. Listen more 2. Visit sites", ["Listen more", "Visit sites"]),
        ("• Listen more • Visit one-to-one", ["Listen more", "Visit one-to-one"]),
        ("- Listen more - Visit sites", ["Listen more", "Visit sites"]),
    ],
)
def test_parse_aims_accepts_two_or_three_lines(text: str, expected: list[str]) -> None:
    assert parse_aims(text) == expected


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Just one aim", "one aim"),
        ("Listen first - really listen", "one aim"),  # a dash in a sentence is not a list
        ("a\nb\nc\nd", "4 aims"),
        ("a; b; c; d", "4 aims"),
        ("\n - \n", "0 aims"),
    ],
)
def test_parse_aims_refuses_other_counts_kindly(text: str, found: str) -> None:
    with pytest.raises(AimsError, match=f"I found {found}; please write two or three"):
        parse_aims(text)


@pytest.mark.parametrize(
    ("proposal", "who", "problem"),
    [
        (None, 2, "couldn't find"),
        (_aims(partnership=8), 2, "couldn't find"),
        (_aims(SUPERSEDED), 2, "out of date"),
        (_aims(AGREED), 2, "out of date"),
        (_aims(by=2), 2, "You suggested these aims"),
        (_aims(by=1), 1, "You suggested these aims"),
    ],
)
def test_check_response_refuses_unknown_stale_and_own_proposals(
    proposal: SharedAims | None, who: int, problem: str
) -> None:
    with pytest.raises(AimsError, match=problem):
        check_response(proposal, PAIR, who)


@pytest.mark.parametrize(("proposer", "responder"), [(1, 2), (2, 1)])
def test_only_the_partner_who_did_not_propose_may_respond(proposer: int, responder: int) -> None:
    proposal = _aims(by=proposer)
    assert check_response(proposal, PAIR, responder) is proposal


@pytest.mark.parametrize(
    ("ids", "expected"),
    [
        ([], False),
        ([1], False),
        ([2], False),
        ([1, 3], False),
        ([2, 1], True),
        ([1, 2, 2], True),
    ],
)
def test_both_in(ids: list[int], expected: bool) -> None:
    assert both_in(ids, PAIR) is expected


@pytest.mark.parametrize(
    ("agreed", "expected_shared", "expected_aims"),
    [
        (_aims(AGREED), False, None),
        (_aims(AGREED, shared=(1,)), False, None),
        (_aims(AGREED, shared=(2, 9)), False, None),
        (_aims(AGREED, shared=(2, 1)), True, ["Listen more", "Visit each other's sites"]),
    ],
)
def test_facilitators_see_content_only_when_both_shared(
    agreed: SharedAims, expected_shared: bool, expected_aims: list[str] | None
) -> None:
    status = aims_status_of(agreed, PAIR)
    assert (status.agreed, status.agreed_at, status.shared, status.aims) == (True, NOW, expected_shared, expected_aims)


def test_facilitators_see_not_agreed_without_aims() -> None:
    status = aims_status_of(None, PAIR)
    assert (status.agreed, status.agreed_at, status.shared, status.aims) == (False, None, False, None)


@pytest.mark.parametrize(
    ("stage", "ratings", "ok"),
    [
        ("mid", [1, 4], True),
        ("end", [2, 3], True),
        ("start", [1, 1], False),
        ("mid", [1], False),
        ("mid", [1, 2, 3], False),
        ("mid", [0, 2], False),
        ("end", [5, 1], False),
    ],
)
def test_check_ratings(stage: str, ratings: list[int], ok: bool) -> None:
    if ok:
        check_ratings(_aims(AGREED), stage, ratings)
    else:
        with pytest.raises(AimsError):
            check_ratings(_aims(AGREED), stage, ratings)


def _hopes() -> list[Hopes]:
    return [Hopes(2, "How the board works", "Life on the wards"), Hopes(1, "Leading change", "Lived experience")]


def test_hopes_card_is_identical_for_both_and_lists_people_in_partnership_order() -> None:
    for_ada, for_sam = hopes_card(in_order(PAIR, ADA, SAM), _hopes()), hopes_card(in_order(PAIR, SAM, ADA), _hopes())
    assert for_ada == for_sam
    for_ada = as_read(for_ada)
    assert for_ada.title == "What you each hope for"
    assert [s.heading for s in for_ada.sections] == ["Ada", "Sam"]
    assert [(f.title, f.value) for f in for_ada.sections[1].facts] == [
        ("Hopes to learn", "How the board works"),
        ("Hopes to offer", "Life on the wards"),
    ]


def test_ratings_and_agreed_cards_are_identical_for_both() -> None:
    agreed = _aims(AGREED)
    given = [AimRating(2, "mid", (4, 1)), AimRating(1, "mid", (2, 3))]
    card = ratings_card("mid", agreed, in_order(PAIR, SAM, ADA), given)
    assert card == ratings_card("mid", agreed, in_order(PAIR, ADA, SAM), list(reversed(given)))
    card = as_read(card)
    assert [(s.heading, s.text) for s in card.sections] == [
        ("Listen more", "- **Ada**: Some progress\n- **Sam**: Achieved"),
        ("Visit each other's sites", "- **Ada**: Good progress\n- **Sam**: Not started yet"),
    ]
    assert "mid-point review" in card.title
    assert agreed_card(agreed).facts[0].value == "Monday 1 March 2027"


def _view(
    me: Participant,
    hopes: list[Hopes],
    proposal: SharedAims | None = None,
    agreed: SharedAims | None = None,
    ratings: tuple[AimRating, ...] = (),
) -> AimsView:
    partner = SAM if me is ADA else ADA
    return AimsView(PAIR, me, partner, tuple(hopes), proposal, agreed, ratings)


def _commands(replies: list[Reply]) -> list[str]:
    return [a.data.get("command", "") for r in replies for a in r.actions]


def test_overview_waiting_for_partner_reveals_nothing() -> None:
    (reply,) = overview(_view(ADA, [Hopes(1, "Leading change", "Lived experience")]))
    assert "once Sam has added theirs" in as_read(reply).text
    assert "Leading change" not in json.dumps(reply.to_dict())


@pytest.mark.parametrize(
    ("me", "proposal", "expected"),
    [
        (ADA, None, ["aims propose", "aims hopes"]),
        (ADA, _aims(by=1), ["aims propose"]),
        (SAM, _aims(by=1), ["aims accept 3", "aims edit 3"]),
    ],
)
def test_overview_before_agreement_offers_the_right_next_step(
    me: Participant, proposal: SharedAims | None, expected: list[str]
) -> None:
    assert _commands(overview(_view(me, _hopes(), proposal))) == expected


def test_overview_with_agreed_aims_shows_the_menu_and_rate_only_for_an_open_stage() -> None:
    view = _view(ADA, _hopes(), agreed=_aims(AGREED), ratings=(AimRating(2, "mid", (1, 2)),))
    assert view.stage_awaiting_me() == "mid"
    assert _view(SAM, _hopes(), agreed=_aims(AGREED), ratings=view.ratings).stage_awaiting_me() is None
    assert _commands(overview(view)) == ["aims propose", "aims share", "aims hopes"]
    (card,) = overview(view, "mid")
    assert card.title == "Your shared aims" and "Listen more" in card.text
    assert [a.title for a in card.actions] == [
        "Rate progress",
        "Change our aims",
        "Share with the programme team",
        "Change my hopes",
    ]
    shared = _view(ADA, _hopes(), agreed=_aims(AGREED, shared=(1,)))
    assert _commands(overview(shared)) == ["aims propose", "aims hopes"]  # already chose to share


def test_no_card_uses_hierarchical_words() -> None:
    agreed = _aims(AGREED)
    cards = [
        hopes_card([ADA, SAM], _hopes()),
        agreed_card(agreed),
        ratings_card("end", agreed, [ADA, SAM], [AimRating(1, "end", (1, 2))]),
        *overview(_view(SAM, _hopes(), _aims(by=1), agreed)),
    ]
    text = json.dumps([c.to_dict() for c in cards]).lower()
    assert not any(word in text for word in FORBIDDEN)


# --- services on the real store ---------------------------------------------------------


@pytest.fixture
def store(engine: AsyncEngine) -> SqlStore:
    return SqlStore(engine)


async def _pair(store: SqlStore) -> tuple[int, int, int]:
    async with store.transaction() as uow:
        cohort = await uow.cohorts.create("Spring", "SPRING", date(2027, 3, 1), 12, ["a", "b", "c"], NOW)
        ada = await uow.participants.upsert_identity("test", "u-ada", "Ada", "", NOW)
        sam = await uow.participants.upsert_identity("test", "u-sam", "Sam", "", NOW)
        partnership = await uow.partnerships.create(cohort.id, ada.id, sam.id, date(2027, 3, 1), NOW)
    return partnership.id, ada.id, sam.id


async def _kinds(store: SqlStore, participant_id: int) -> list[str]:
    async with store.transaction() as uow:
        return [m.kind for m in await uow.outbox.list_for(participant_id)]


async def test_partners_answering_at_the_same_time_still_both_see_both(store: SqlStore) -> None:
    _, ada, sam = await _pair(store)
    outcomes = await asyncio.gather(
        save_hopes(store, ada, "learn A", "offer A", NOW), save_hopes(store, sam, "learn S", "offer S", NOW)
    )
    assert sorted(o.queued for o in outcomes) == [False, True]
    revealed = as_read(next(hopes_saved(o) for o in outcomes if o.queued))
    assert [s.heading for s in revealed.sections] == ["Ada", "Sam"]
    assert (await _kinds(store, ada)) + (await _kinds(store, sam)) == ["aims_hopes_ready"]


async def test_services_refuse_people_without_a_partnership(store: SqlStore) -> None:
    async with store.transaction() as uow:
        alone = (await uow.participants.upsert_identity("test", "u-alone", "Al", "", NOW)).id
    with pytest.raises(AimsError, match="once you're paired"):
        await save_hopes(store, alone, "x", "y", NOW)


async def test_aims_wait_for_both_hopes_and_new_agreement_supersedes_and_resets_sharing(store: SqlStore) -> None:
    pid, ada, sam = await _pair(store)
    await save_hopes(store, ada, "learn A", "offer A", NOW)
    with pytest.raises(AimsError, match="once you've both noted your hopes"):
        await propose_aims(store, ada, ["one", "two"], NOW)
    await save_hopes(store, sam, "learn S", "offer S", NOW)
    await propose_aims(store, ada, ["one", "two"], NOW)
    async with store.transaction() as uow:
        first = await uow.aims.open_proposal(pid)
    await accept_aims(store, sam, first.id, NOW)
    await share_with_team(store, ada)
    await share_with_team(store, sam)
    async with store.transaction() as uow:
        assert (await uow.aims.aims_status(pid)).aims == ["one", "two"]
    later = NOW + timedelta(days=30)
    await propose_aims(store, sam, ["three", "four", "five"], later)
    async with store.transaction() as uow:
        second = await uow.aims.open_proposal(pid)
        assert (await uow.aims.agreed(pid)).id == first.id  # the old aims stand until the new ones are accepted
    await accept_aims(store, ada, second.id, later)
    async with store.transaction() as uow:
        status = await uow.aims.aims_status(pid)
        assert (await uow.aims.get(first.id)).status == SUPERSEDED
    assert (status.agreed, status.agreed_at, status.shared, status.aims) == (True, later, False, None)


async def test_ratings_once_per_stage_and_only_after_agreement(store: SqlStore) -> None:
    pid, ada, sam = await _pair(store)
    with pytest.raises(AimsError, match="once you've agreed shared aims"):
        await aims_to_rate(store, ada, "mid")
    await save_hopes(store, ada, "a", "b", NOW)
    await save_hopes(store, sam, "c", "d", NOW)
    await propose_aims(store, ada, ["one", "two"], NOW)
    async with store.transaction() as uow:
        proposal = await uow.aims.open_proposal(pid)
    await accept_aims(store, sam, proposal.id, NOW)
    assert await aims_to_rate(store, ada, "mid") == ["one", "two"]
    waiting = await rate_progress(store, ada, "mid", [1, 2], NOW)
    assert (waiting.queued, as_read(progress_rated(waiting)).text) == (
        False,
        "Thank you. I'll share both once Sam has rated too.",
    )
    with pytest.raises(AimsError, match="already rated"):
        await rate_progress(store, ada, "mid", [4, 4], NOW)
    with pytest.raises(AimsError, match="rate each"):
        await rate_progress(store, sam, "mid", [3], NOW)
    both = await rate_progress(store, sam, "mid", [3, 4], NOW)
    assert both.queued and progress_rated(both).title == "Your mid-point review: how you each see progress"
    assert [s.text for s in as_read(progress_rated(both)).sections] == [
        "- **Ada**: Not started yet\n- **Sam**: Good progress",
        "- **Ada**: Some progress\n- **Sam**: Achieved",
    ]
    assert await aims_to_rate(store, sam, "end") == ["one", "two"]
