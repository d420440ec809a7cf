"""Mutual aims (`aims`) through the real bot on a real database: hopes in either order,
proposing, accepting, suggesting changes, progress ratings and sharing with the team."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from channels.text import plain_text
from domain.aims.model import AGREED, PROPOSED, SUPERSEDED, SharedAims
from domain.core.model import OutboxMessage
from domain.core.reply import Reply
from storage.store import SqlStore
from tests.dialogs.chat import NOW, Chat, make_bot

NAMES = {"ada": "Ada", "sam": "Sam"}


@pytest.fixture
async def people(engine: AsyncEngine) -> dict[str, int]:
    """Ada and Sam, learning partners in one cohort (Ada is partner a)."""
    async with SqlStore(engine).transaction() as uow:
        cohort = await uow.cohorts.create("Spring 2027", "SPRING", date(2027, 3, 1), 12, ["a", "b", "c"], NOW)
        ids = {
            key: (await uow.participants.upsert_identity("test", f"u-{key}", name, "", NOW)).id
            for key, name in NAMES.items()
        }
        partnership = await uow.partnerships.create(cohort.id, ids["ada"], ids["sam"], date(2027, 3, 1), NOW)
    return {**ids, "partnership": partnership.id}


async def _outbox(engine: AsyncEngine, participant_id: int) -> list[OutboxMessage]:
    async with SqlStore(engine).transaction() as uow:
        return await uow.outbox.list_for(participant_id)


def _text(message: OutboxMessage) -> str:
    """The outbox card as the test channel would show it."""
    return plain_text(Reply.from_dict(message.payload))


async def _proposals(engine: AsyncEngine, partnership_id: int) -> list[SharedAims]:
    async with SqlStore(engine).transaction() as uow:
        found = [await uow.aims.get(i) for i in range(1, 10)]
    return [p for p in found if p is not None and p.partnership_id == partnership_id]


async def _hopes(chat: Chat, learn: str, offer: str) -> str:
    assert "What do you hope to learn?" in await chat.last("aims")
    assert "What do you hope to offer?" in await chat.last(learn)
    return await chat.last(offer)


async def _both_hopes(bot, engine: AsyncEngine) -> tuple[Chat, Chat]:
    ada, sam = Chat(bot, "u-ada", "Ada"), Chat(bot, "u-sam", "Sam")
    await _hopes(ada, "Ada learns", "Ada offers")
    await _hopes(sam, "Sam learns", "Sam offers")
    return ada, sam


async def _agreed(bot, engine: AsyncEngine, people: dict[str, int]) -> tuple[Chat, Chat]:
    ada, sam = await _both_hopes(bot, engine)
    await ada.say("aims propose")
    await ada.say("Listen without fixing\nVisit each other's sites")
    (proposal,) = await _proposals(engine, people["partnership"])
    await sam.say(value={"command": f"aims accept {proposal.id}"})
    return ada, sam


async def test_aims_without_a_partner_is_a_kind_message(engine: AsyncEngine) -> None:
    chat = Chat(make_bot(engine), "u-lone", "Lee")
    assert "once you're paired with a learning partner" in await chat.last("aims")


@pytest.mark.parametrize(("first", "second"), [("ada", "sam"), ("sam", "ada")])
async def test_each_sees_both_hopes_only_after_both_answered(
    engine: AsyncEngine, people: dict[str, int], first: str, second: str
) -> None:
    wakes: list[int] = []
    bot = make_bot(engine, wakes=wakes)
    one, two = Chat(bot, f"u-{first}", NAMES[first]), Chat(bot, f"u-{second}", NAMES[second])
    waiting = await _hopes(one, f"{first} learns", f"{first} offers")
    assert waiting == f"Thanks — I'll show you both once {NAMES[second]} has added theirs."
    assert await _outbox(engine, people[first]) == [] and await _outbox(engine, people[second]) == []
    assert wakes == []
    revealed = await _hopes(two, f"{second} learns", f"{second} offers")
    assert "What you each hope for" in revealed
    assert revealed.index("**Ada**") < revealed.index("**Sam**")  # the same order for both
    for text in ("ada learns", "ada offers", "sam learns", "sam offers"):
        assert text in revealed
    (message,) = await _outbox(engine, people[first])
    assert (message.kind, _text(message)) == ("aims_hopes_ready", revealed)  # identical wording for both
    assert await _outbox(engine, people[second]) == []
    assert wakes == [1]


async def test_a_partner_who_never_answers_sees_nothing_and_nothing_is_revealed(
    engine: AsyncEngine, people: dict[str, int]
) -> None:
    ada = Chat(make_bot(engine), "u-ada", "Ada")
    await _hopes(ada, "Ada's private learning hope", "Ada's private offer")
    again = await ada.last("aims")
    assert "once Sam has added theirs" in again and "private" not in again
    assert "once you've both noted your hopes" in await ada.last("aims propose")
    assert "What do you hope to learn?" in await ada.last("aims hopes")
    await ada.say("Ada's changed learning hope")
    assert "once Sam has added theirs" in await ada.last("Ada's changed offer")
    assert await _outbox(engine, people["sam"]) == [] and await _outbox(engine, people["ada"]) == []
    assert await _proposals(engine, people["partnership"]) == []


async def test_private_hopes_reach_the_partner_only_in_the_card_after_both(
    engine: AsyncEngine, people: dict[str, int]
) -> None:
    bot = make_bot(engine)
    ada, sam = Chat(bot, "u-ada", "Ada"), Chat(bot, "u-sam", "Sam")
    await _hopes(ada, "first draft learn", "first draft offer")
    await ada.say("aims hopes")
    await ada.say("final learn")
    await ada.say("final offer")
    assert await _outbox(engine, people["sam"]) == []
    revealed = await _hopes(sam, "Sam learns", "Sam offers")
    assert "final learn" in revealed and "first draft" not in revealed
    everything = json.dumps([m.payload for pid in (people["ada"], people["sam"]) for m in await _outbox(engine, pid)])
    assert "first draft" not in everything


async def test_propose_then_the_partner_accepts_and_both_get_the_same_card(
    engine: AsyncEngine, people: dict[str, int]
) -> None:
    wakes: list[int] = []
    bot = make_bot(engine, wakes=wakes)
    ada, sam = await _both_hopes(bot, engine)
    assert "Propose shared aims: type `aims propose`" in await ada.last("aims")
    assert "Write two or three, one per line" in await ada.last("aims propose")
    retry = await ada.say("Only one aim")
    assert "I found one aim; please write two or three" in retry[0] and "Write two or three" in retry[-1]
    assert "sent your suggested aims to Sam" in await ada.last("1. Listen without fixing\n2. Visit each other's sites")
    (proposal,) = await _proposals(engine, people["partnership"])
    assert (proposal.aims, proposal.proposed_by, proposal.status) == (
        ("Listen without fixing", "Visit each other's sites"),
        people["ada"],
        PROPOSED,
    )
    invite = [m for m in await _outbox(engine, people["sam"]) if m.kind == "aims_proposed"]
    assert [a["data"]["command"] for a in invite[0].payload["actions"]] == [
        f"aims accept {proposal.id}",
        f"aims edit {proposal.id}",
    ]
    assert [a["title"] for a in invite[0].payload["actions"]] == ["Accept", "Suggest changes"]
    agreed = await sam.last(value={"command": f"aims accept {proposal.id}"})
    assert "Your shared aims" in agreed and "Listen without fixing" in agreed
    assert "Agreed on: Monday 1 March 2027" in agreed
    (message,) = [m for m in await _outbox(engine, people["ada"]) if m.kind == "aims_agreed"]
    assert _text(message) == agreed
    (stored,) = await _proposals(engine, people["partnership"])
    assert (stored.status, stored.agreed_at) == (AGREED, NOW)
    overview = await ada.last("aims")
    for item in ("Your shared aims", "Change our aims", "Share with the programme team"):
        assert item in overview
    assert "Rate progress" not in overview  # no review stage is open yet
    assert len(wakes) == 3  # hopes revealed, proposal sent, aims agreed


async def test_the_proposer_cannot_accept_their_own_proposal(engine: AsyncEngine, people: dict[str, int]) -> None:
    bot = make_bot(engine)
    ada, _ = await _both_hopes(bot, engine)
    await ada.say("aims propose")
    await ada.say("One\nTwo")
    (proposal,) = await _proposals(engine, people["partnership"])
    assert "over to your partner" in await ada.last(value={"command": f"aims accept {proposal.id}"})
    assert "over to your partner" in await ada.last(f"aims edit {proposal.id}")
    assert "they're with Sam to accept" in await ada.last("aims")
    (still,) = await _proposals(engine, people["partnership"])
    assert still.status == PROPOSED
    assert [m.kind for m in await _outbox(engine, people["ada"])] == ["aims_hopes_ready"]  # nothing agreed


async def test_the_partner_suggests_changes_and_the_first_accepts(engine: AsyncEngine, people: dict[str, int]) -> None:
    bot = make_bot(engine)
    ada, sam = await _both_hopes(bot, engine)
    await ada.say("aims propose")
    await ada.say("One\nTwo")
    (first,) = await _proposals(engine, people["partnership"])
    asked = await sam.last(value={"command": f"aims edit {first.id}"})
    assert "Here's the current version:\n1. One\n2. Two" in asked
    assert "sent your suggested aims to Ada" in await sam.last("One, together\nTwo\nThree")
    old, new = await _proposals(engine, people["partnership"])
    assert (old.status, new.status, new.proposed_by, new.aims) == (
        SUPERSEDED,
        PROPOSED,
        people["sam"],
        ("One, together", "Two", "Three"),
    )
    (invite,) = [m for m in await _outbox(engine, people["ada"]) if m.kind == "aims_proposed"]
    assert "Sam has suggested these shared aims" in _text(invite) and f"aims accept {new.id}" in _text(invite)
    assert "out of date" in await sam.last(value={"command": f"aims accept {first.id}"})
    assert "over to your partner" in await sam.last(value={"command": f"aims accept {new.id}"})
    agreed = await ada.last(value={"command": f"aims accept {new.id}"})
    assert "Your shared aims" in agreed and "Three" in agreed
    (message,) = [m for m in await _outbox(engine, people["sam"]) if m.kind == "aims_agreed"]
    assert _text(message) == agreed


async def test_unknown_ids_get_a_kind_message(engine: AsyncEngine, people: dict[str, int]) -> None:
    ada, _ = await _both_hopes(make_bot(engine), engine)
    assert "couldn't find those suggested aims" in await ada.last("aims accept 999")
    assert "couldn't find those suggested aims" in await ada.last("aims edit soon")


async def test_ratings_are_revealed_only_after_both_have_rated(engine: AsyncEngine, people: dict[str, int]) -> None:
    bot = make_bot(engine)
    ada, sam = await _agreed(bot, engine, people)
    intro = await ada.say("aims rate mid")
    assert "mid-point review" in intro[0] and "Listen without fixing" in intro[-1] and "Good progress" in intro[-1]
    assert "Visit each other's sites" in await ada.last("Some progress")
    assert await ada.last("4") == "Thank you. I'll share both once Sam has rated too."
    assert [m.kind for m in await _outbox(engine, people["sam"])].count("aims_ratings_ready") == 0
    assert "Rate progress: type `aims rate mid`" in await sam.last("aims")
    await sam.say("aims rate mid")
    await sam.say("Not started yet")
    revealed = await sam.last("Good progress")
    assert "how you each see progress" in revealed
    assert "- **Ada**: Some progress\n- **Sam**: Not started yet" in revealed and "- **Ada**: Achieved" in revealed
    (message,) = [m for m in await _outbox(engine, people["ada"]) if m.kind == "aims_ratings_ready"]
    assert _text(message) == revealed
    assert "already rated" in await ada.last("aims rate mid")
    assert "mid-point or at the end" in await ada.last("aims rate soon")


async def test_the_team_sees_aims_content_only_when_both_choose_to_share(
    engine: AsyncEngine, people: dict[str, int]
) -> None:
    bot = make_bot(engine)
    ada, sam = await _agreed(bot, engine, people)

    async def status():
        async with SqlStore(engine).transaction() as uow:
            return await uow.aims.aims_status(people["partnership"])

    assert "only if Sam chooses to share too" in await ada.last("aims share")
    assert "only if Sam chooses to share too" in await ada.last("yes")
    first = await status()
    assert (first.agreed, first.agreed_at, first.shared, first.aims) == (True, NOW, False, None)
    await sam.say("aims share")
    assert "stay between the two of you" in await sam.last("Not now")
    assert (await status()).aims is None
    await sam.say(value={"command": "aims share"})
    assert "You've both chosen to share" in await sam.last("yes")
    shared = await status()
    assert (shared.shared, shared.aims) == (True, ["Listen without fixing", "Visit each other's sites"])
    assert [
        m.kind
        for pid in (people["ada"], people["sam"])
        for m in await _outbox(engine, pid)
        if m.kind.startswith("aims_share")
    ] == []  # the partner is never told, so nobody is pressed


async def test_on_a_card_the_aims_come_in_a_multi_line_box_and_typed_lists_work_too(engine: AsyncEngine) -> None:
    """Teams: the aims question carries a multi-line box (pre-filled with the version being changed);
    typed answers on one line, split at ";" or numbered, count as two or three aims."""
    async with SqlStore(engine).transaction() as uow:
        cohort = await uow.cohorts.create("Spring 2027", "SPRING", date(2027, 3, 1), 12, ["a", "b", "c"], NOW)
        ids = {
            key: (await uow.participants.upsert_identity("msteams", f"t-{key}", name, "", NOW)).id
            for key, name in NAMES.items()
        }
        partnership = (await uow.partnerships.create(cohort.id, ids["ada"], ids["sam"], date(2027, 3, 1), NOW)).id
    bot = make_bot(engine)
    ada, sam = Chat(bot, "t-ada", "Ada", channel="msteams"), Chat(bot, "t-sam", "Sam", channel="msteams")
    for chat, key in ((ada, "ada"), (sam, "sam")):
        for text in ("aims", f"{key} learns", f"{key} offers"):
            await chat.say(text)

    await ada.say("aims propose")
    [box] = [e for e in ada.card()["body"] if e["type"].startswith("Input.")]
    assert (box["type"], box["id"], box["isMultiline"]) == ("Input.Text", "answer", True)
    assert "value" not in box  # nothing to change yet
    retry = await ada.say(value={"form": "1", "answer": "Listen without fixing", "ask": ada.token})
    assert "I found one aim; please write two or three" in retry[0]
    submitted = "Listen without fixing\r\nVisit each other's sites\n"  # as a card's box sends it
    sent = await ada.last(value={"form": "1", "answer": submitted, "ask": ada.token})
    assert "sent your suggested aims to Sam" in sent
    (first,) = await _proposals(engine, partnership)
    assert first.aims == ("Listen without fixing", "Visit each other's sites")
    assert ada.updated[-1].inputs == () and ada.updated[-1].text.endswith("Answered.")  # the box is gone

    await sam.say(value={"command": f"aims edit {first.id}"})
    [box] = [e for e in sam.card()["body"] if e["type"].startswith("Input.")]
    assert box["value"] == "Listen without fixing\nVisit each other's sites"  # the version to change, to edit
    assert "sent your suggested aims to Ada" in await sam.last("1. Listen fully 2. Visit sites 3. Read together")
    _, second = await _proposals(engine, partnership)
    assert second.aims == ("Listen fully", "Visit sites", "Read together")

    await ada.say(value={"command": f"aims edit {second.id}"})
    assert "sent your suggested aims to Sam" in await ada.last("Listen fully; Visit sites")
    *_, third = await _proposals(engine, partnership)
    assert third.aims == ("Listen fully", "Visit sites")
