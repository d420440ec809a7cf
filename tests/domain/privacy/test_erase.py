"""`erase me` end to end in the domain, on SQLite and PostgreSQL: after erasure no column of any
table holds her name, email, ids or anything she wrote; her partner is told kindly without her
name; facilitators see a former participant; her anonymous answer stays; the audit keeps only
"participant #n erased at t"."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.core.model import OutboxStatus, PartnershipStatus
from domain.core.personal import FORMER_NAME
from domain.core.reply import Reply, unmarked
from domain.privacy import service as privacy
from storage.schema import metadata
from storage.store import SqlStore
from tests.domain.privacy.seed import ANONYMOUS, EMAIL, GUIDE, NOW, WRITTEN, seed

LATER = NOW + timedelta(hours=1)
# Her name, email and channel ids, and one distinctive word of everything she wrote.
NEEDLES = ["Zephyrine", "Quillfeather", EMAIL, "29:zeph", "aad-zeph", "a:zeph"]
NEEDLES += [word for text in WRITTEN.values() for word in text.split() if word[:1].isupper() and len(word) > 6]


async def every_value(engine: AsyncEngine) -> list[tuple[str, str, str]]:
    """(table, column, value as text) for every non-empty value of every column of every table."""
    found = []
    async with engine.connect() as conn:
        for table in metadata.sorted_tables:
            for row in (await conn.execute(select(table))).mappings():
                for column, value in row.items():
                    if value not in (None, "", {}, []):
                        text = value if isinstance(value, str) else json.dumps(value, default=str)
                        found.append((table.name, column, text))
    return found


def holding(values: list[tuple[str, str, str]], needles: list[str]) -> list[tuple[str, str, str]]:
    return [(t, c, n) for t, c, v in values for n in needles if n.lower() in v.lower()]


async def test_the_seed_really_puts_her_words_everywhere(engine: AsyncEngine) -> None:
    """The scan below proves something only if her words were there to find, in many tables."""
    await seed(engine)
    tables = {t for t, _, _ in holding(await every_value(engine), NEEDLES)}
    assert tables >= {
        "participants",
        "profile_answers",
        "conversation_refs",
        "outbox",
        "bot_state",
        "aim_hopes",
        "shared_aims",
        "meetings",
        "reflections",
        "poll_named_answers",
    }
    assert len(NEEDLES) >= 14


async def test_after_erasure_no_column_of_any_table_holds_her(engine: AsyncEngine) -> None:
    ids = await seed(engine)
    store = SqlStore(engine)
    erased = await privacy.erase_participant(store, ids.zephyrine, GUIDE, LATER)
    assert erased.partner_told and erased.queued
    values = await every_value(engine)
    assert holding(values, NEEDLES) == []
    anonymous_tables = ("poll_anonymous_answers", "poll_held_answers")  # held apart until 5 wait, then moved
    assert any(ANONYMOUS in v for t, _, v in values if t in anonymous_tables)  # stays: it names nobody


async def test_her_partner_is_told_kindly_without_her_name(engine: AsyncEngine) -> None:
    ids = await seed(engine)
    store = SqlStore(engine)
    await privacy.erase_participant(store, ids.zephyrine, GUIDE, LATER)
    async with store.reading() as uow:
        partnership = await uow.partnerships.get(ids.partnership)
        to_sam = await uow.outbox.list_for(ids.sam)
    assert partnership is not None and partnership.status is PartnershipStatus.ENDED
    assert partnership.end_reason == "left_programme"
    (note,) = [m for m in to_sam if m.kind == "leaving_support"]
    words = Reply.from_dict(note.payload)
    assert note.status is OutboxStatus.PENDING
    text = unmarked(words.text)  # main's verbatim marks around the partner's words
    assert "Your learning partner is leaving the programme" in text and "nobody's fault" in text
    assert [a.title for a in words.actions] == ["A new learning partner", "A proper closing", "Carry on informally"]
    # Cards that copied her words to Sam (introduction, meeting, aims) were withdrawn before they went out.
    unsent = [m.kind for m in to_sam if m.status in (OutboxStatus.PENDING, OutboxStatus.PLANNED)]
    assert unsent == ["leaving_support"] or set(unsent) <= {"leaving_support", "session_invite", "poll_invite"}


async def test_facilitators_see_a_former_participant_and_the_audit_only_her_number(engine: AsyncEngine) -> None:
    ids = await seed(engine)
    store = SqlStore(engine)
    await privacy.erase_participant(store, ids.zephyrine, GUIDE, LATER)
    async with store.reading() as uow:
        her = await uow.participants.get(ids.zephyrine)
        entries = await uow.audit.about(ids.zephyrine)
        alerts = [m for m in await uow.outbox.list_for(ids.facilitator) if m.kind == "facilitator_alert"]
    assert her is not None and (her.name, her.email, her.group, her.cohort_id) == (FORMER_NAME, "", None, None)
    assert her.erased_at == LATER and her.user_id == f"erased:{ids.zephyrine}"
    assert [(e.actor_id, e.action, e.subject_id, e.at) for e in entries] == [
        (ids.zephyrine, "erase_participant", ids.zephyrine, LATER)
    ]
    assert alerts and all(a.status is OutboxStatus.CANCELLED and a.payload == {} for a in alerts)


async def test_other_people_keep_their_data(engine: AsyncEngine) -> None:
    ids = await seed(engine)
    store = SqlStore(engine)
    await privacy.erase_participant(store, ids.zephyrine, GUIDE, LATER)
    values = await every_value(engine)
    assert holding(values, ["Sam Okafor", "Sam's own answer", "Sam hopes to learn", "Nothing about anyone"]) != []
    assert len(holding(values, ["Sam hopes to learn"])) == 1  # his hopes stay; only hers went
    async with store.reading() as uow:
        sam = await uow.participants.get(ids.sam)
    assert sam is not None and sam.name == "Sam Okafor" and sam.erased_at is None


async def test_erasing_twice_or_someone_unknown_does_nothing(engine: AsyncEngine) -> None:
    ids = await seed(engine)
    store = SqlStore(engine)
    await privacy.erase_participant(store, ids.zephyrine, GUIDE, LATER)
    before = await every_value(engine)
    again = await privacy.erase_participant(store, ids.zephyrine, GUIDE, LATER + timedelta(hours=1))
    unknown = await privacy.erase_participant(store, 9999, GUIDE, LATER)
    assert (again.partner_told, again.queued, unknown.partner_told) == (False, False, False)
    assert sorted(await every_value(engine)) == sorted(before)
    assert await privacy.my_data(store, ids.zephyrine, LATER) is None


async def test_an_erased_person_cannot_be_chosen_as_a_facilitator(engine: AsyncEngine) -> None:
    from domain.core.roles import facilitator_candidates

    ids = await seed(engine)
    store = SqlStore(engine)
    await privacy.erase_participant(store, ids.zephyrine, GUIDE, LATER)
    found = await facilitator_candidates(store, f"#{ids.zephyrine}")
    assert found.named is None and ids.zephyrine not in [p.id for p in found.people]
    assert ids.sam in [p.id for p in found.people]
