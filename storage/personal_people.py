"""The personal-data side of the shared repositories (mixed into the participant, conversation
and outbox repositories): erasure, the retention purge's reads, and sweeping
copies of what someone wrote out of messages queued to others."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Text, and_, cast, delete, exists, func, not_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.core.model import OutboxStatus, Participant, Role
from storage.participant_rows import COLUMNS, to_participant
from storage.repo_common import one_of, rows_affected
from storage.tables import ConversationRefRow, OutboxRow, ParticipantRow, ProfileAnswerRow
from storage.text_search import containing, mentions

# Messages a withdrawal stops: not yet sent (a row being sent right now loses its lease).
WITHDRAWN = (OutboxStatus.PLANNED.value, OutboxStatus.PENDING.value, OutboxStatus.SENDING.value)
FINISHED = tuple(s.value for s in OutboxStatus if s.value not in WITHDRAWN)
HOLDS_PAYLOAD = cast(OutboxRow.payload, Text) != "{}"  # json has no equality operator on PostgreSQL
ERASED = {
    "aad_object_id": "",
    "email": "",
    "role": Role.PARTNER.value,
    "cohort_id": None,
    "grp": None,
    "consent_at": None,
    "consent_declined_at": None,
    "meeting_rhythm": "",
    "meeting_format": "",
    "time_zone": "Europe/London",
    "enrolled_at": None,
    "unreachable_at": None,
    "unreachable_alerted_at": None,
    "tenant_id": "",
}


class ParticipantsPersonalSql:
    _session: AsyncSession

    async def erase(self, participant_id: int, placeholder_name: str, now: datetime) -> None:
        """The row stays for the partnerships that point at it; nothing in it identifies the person."""
        await self._session.execute(
            delete(ProfileAnswerRow).where(ProfileAnswerRow.participant_id == participant_id),
            execution_options={"synchronize_session": False},
        )
        await self._session.execute(
            update(ParticipantRow)
            .where(ParticipantRow.id == participant_id)
            # A new, unused user id: if the person writes again they start afresh as someone new.
            .values(name=placeholder_name, user_id=f"erased:{participant_id}", erased_at=now, **ERASED),
            execution_options={"synchronize_session": False},
        )
        self._session.expire_all()

    async def retention_due(self, cohort_ids: Sequence[int], idle_before: datetime, limit: int) -> list[Participant]:
        """Not yet erased, and in an ended cohort or in none and silent since `idle_before`."""
        heard_since = exists().where(
            ConversationRefRow.participant_id == ParticipantRow.id, ConversationRefRow.updated_at >= idle_before
        )
        idle = and_(ParticipantRow.cohort_id.is_(None), ParticipantRow.created_at < idle_before, not_(heard_since))
        ended = one_of(self._session, ParticipantRow.cohort_id, list(cohort_ids)) if cohort_ids else None
        statement = (
            select(*COLUMNS)
            .where(ParticipantRow.erased_at.is_(None), or_(idle, ended) if ended is not None else idle)
            .order_by(ParticipantRow.id)
            .limit(limit)
        )
        return [to_participant(row) for row in await self._session.execute(statement)]


class ConversationsPersonalSql:
    _session: AsyncSession

    async def forget(self, participant_id: int) -> None:
        """Delete the person's conversation reference."""
        await self._session.execute(
            delete(ConversationRefRow).where(ConversationRefRow.participant_id == participant_id),
            execution_options={"synchronize_session": False},
        )
        self._session.expire_all()


class OutboxPersonalSql:
    _session: AsyncSession

    async def forget_recipient(self, participant_id: int) -> int:
        """Delete every message to the person."""
        result = await self._session.execute(delete(OutboxRow).where(OutboxRow.participant_id == participant_id))
        return rows_affected(result)

    async def withdraw(self, key_prefixes: Sequence[str]) -> int:
        """Cancel unsent messages under these key prefixes and clear every one's payload."""
        changed = 0
        for prefix in key_prefixes:
            if not prefix:
                raise ValueError("an empty prefix would withdraw every message")
            # substr, not LIKE: "_" in keys such as "did_you_meet:" is a LIKE wildcard.
            changed += await self._clear(func.substr(OutboxRow.idempotency_key, 1, len(prefix)) == prefix)
        return changed

    async def withdraw_mentioning(self, texts: Sequence[str]) -> int:
        """Cancel and clear messages whose payload holds one of `texts` as a whole word or phrase."""
        wanted = [t for t in dict.fromkeys(t.strip() for t in texts) if t]
        if not wanted:
            return 0
        # Finished messages hold no payload (cleared when they finish), so only unsent ones are read.
        candidates = await self._session.execute(
            select(OutboxRow.id, OutboxRow.payload).where(
                OutboxRow.status.in_(WITHDRAWN), containing(self._session, OutboxRow.payload, wanted)
            )
        )
        ids = [row_id for row_id, payload in candidates if mentions(payload, wanted)]
        return await self._clear(OutboxRow.id.in_(ids)) if ids else 0

    async def purge_finished(self, before: datetime) -> int:
        """Delete finished messages created and due before `before` (their payload was cleared when they
        finished: storage/outbox_outcomes.py, the cancels, and migration 0013 for rows finished before it).

        Due as well as created: the (status, due) index then finds them directly, so the check costs next to
        nothing when there is nothing to purge (it runs every tick); a message queued for days ahead goes
        those few days later."""
        deleted = await self._session.execute(
            delete(OutboxRow).where(
                OutboxRow.status.in_(FINISHED), OutboxRow.due_at < before, OutboxRow.created_at < before
            )
        )
        return rows_affected(deleted)

    async def _clear(self, which: Any) -> int:
        cancelled = await self._session.execute(
            update(OutboxRow)
            .where(which, OutboxRow.status.in_(WITHDRAWN))
            .values(status=OutboxStatus.CANCELLED.value, payload={}, lease_owner="", lease_until=None)
        )
        cleared = await self._session.execute(
            update(OutboxRow).where(which, OutboxRow.status.not_in(WITHDRAWN), HOLDS_PAYLOAD).values(payload={})
        )
        return rows_affected(cancelled) + rows_affected(cleared)
