"""Aims invitations (aims.service.run_due) on the real store: both partners, same words, once,
and only while there is something left for the pair to do."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.aims import service as aims
from domain.core.model import OutboxMessage
from storage.store import SqlStore
from tests.domain.meeting_fixtures import Pair, jobs

WEEK_2 = datetime(2027, 3, 15, 9, 0, tzinfo=UTC)  # the pair started on Monday 1 March 2027
WEEK_3 = datetime(2027, 3, 22, 9, 0, tzinfo=UTC)


async def _invites(store: SqlStore, person: int) -> list[OutboxMessage]:
    async with store.transaction() as uow:
        return [m for m in await uow.outbox.list_for(person) if m.kind == "aims_invite"]


async def test_no_invitation_before_week_three(store: SqlStore, pair: Pair) -> None:
    assert await aims.run_due(jobs(store), WEEK_2) == 0
    assert await _invites(store, pair.ada) == []


async def test_both_partners_are_invited_to_note_hopes_in_the_same_words_once(store: SqlStore, pair: Pair) -> None:
    assert await aims.run_due(jobs(store), WEEK_3) == 2
    assert await aims.run_due(jobs(store), WEEK_3) == 0  # a rerun queues nothing twice
    [to_ada], [to_sam] = await _invites(store, pair.ada), await _invites(store, pair.sam)
    assert to_ada.payload == to_sam.payload
    assert to_ada.idempotency_key.endswith(":start") and to_sam.idempotency_key.endswith(":start")


async def test_no_invitation_once_both_have_noted_their_hopes(store: SqlStore, pair: Pair) -> None:
    for person in (pair.ada, pair.sam):
        await aims.save_hopes(store, person, "listening", "candour", WEEK_2)
    assert await aims.run_due(jobs(store), WEEK_3) == 0
