"""A broadcast's per-recipient outbox rows (keyed `broadcast:<id>:<participant>:<attempt>`):
queuing a batch, counts by status, who could not be reached, who failed, withdrawing what waits.

A batch is one `INSERT ... SELECT ... ON CONFLICT DO NOTHING` whose compiled form is cached
(the ids are one expanding parameter), so a thousand rows cost one small statement, not a
thousand-row VALUES list compiled each time. Every read is grouped in the database; a
recipient's latest attempt is their row with the highest id (a resend inserts it last).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ColumnElement, String, and_, bindparam, cast, func, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.broadcasts.model import Delivery
from domain.core.model import OutboxStatus
from storage.base import UTCDateTime
from storage.repo_common import rows_affected, session_insert
from storage.tables import OutboxRow, ParticipantRow

KIND = "broadcast"
COLUMNS = ("idempotency_key", "kind", "participant_id", "payload", "due_at", "status", "created_at")


def delivery_prefix(broadcast_id: int) -> str:
    """The outbox key prefix shared by every row of one broadcast."""
    return f"{KIND}:{broadcast_id}:"


def of_broadcast(session: AsyncSession, broadcast_id: int) -> ColumnElement[bool]:
    """The broadcast's outbox rows, by key prefix, in a form an index serves on each backend."""
    prefix = delivery_prefix(broadcast_id)
    key = OutboxRow.idempotency_key
    if session.get_bind().dialect.name == "postgresql":
        # LIKE is right under any collation; the prefix (no % or _) is inlined so the planner
        # always sees it and uses ix_outbox_key_prefix (varchar_pattern_ops).
        return key.like(literal(prefix + "%", literal_execute=True))
    # SQLite compares keys bytewise, so the prefix is a range of the unique index (";" follows ":").
    return and_(key >= prefix, key < prefix[:-1] + ";")


class BroadcastDeliveries:
    """The outbox side of SqlBroadcastRepo."""

    _session: AsyncSession

    def _latest(self, broadcast_id: int) -> Any:
        """Each recipient's latest row id, as a subquery."""
        return (
            select(func.max(OutboxRow.id))
            .where(of_broadcast(self._session, broadcast_id))
            .group_by(OutboxRow.participant_id)
            .scalar_subquery()
        )

    async def queue(
        self, broadcast_id: int, participant_ids: Sequence[int], attempt: int, payload: dict[str, Any], now: datetime
    ) -> int:
        """Insert each participant's row for `attempt`, due now, unless its key exists; return how many were new."""
        if not participant_ids:
            return 0
        key = literal(delivery_prefix(broadcast_id)) + cast(ParticipantRow.id, String) + literal(f":{attempt}")
        rows = select(
            key,
            literal(KIND),
            ParticipantRow.id,
            bindparam("payload", payload, type_=JSON),
            bindparam("due_at", now, type_=UTCDateTime()),
            literal(OutboxStatus.PENDING.value),
            bindparam("created_at", now, type_=UTCDateTime()),
        ).where(ParticipantRow.id.in_(list(participant_ids)))
        statement = (
            session_insert(self._session, OutboxRow)
            .from_select(list(COLUMNS), rows)
            .on_conflict_do_nothing(index_elements=[OutboxRow.idempotency_key])
            .returning(OutboxRow.id)
        )
        return len((await self._session.execute(statement)).all())

    async def summary(self, broadcast_id: int) -> dict[OutboxStatus, int]:
        """How many recipients' latest attempt is in each status (grouped in the database)."""
        statement = (
            select(OutboxRow.status, func.count())
            .where(OutboxRow.id.in_(self._latest(broadcast_id)))
            .group_by(OutboxRow.status)
        )
        return {OutboxStatus(status): int(count) for status, count in await self._session.execute(statement)}

    async def unreachable_names(self, broadcast_id: int, limit: int) -> list[str]:
        """Names of up to `limit` recipients whose latest attempt found them unreachable, by id."""
        statement = (
            select(ParticipantRow.name)
            .join(OutboxRow, OutboxRow.participant_id == ParticipantRow.id)
            .where(OutboxRow.id.in_(self._latest(broadcast_id)), OutboxRow.status == OutboxStatus.UNREACHABLE.value)
            .order_by(ParticipantRow.id)
            .limit(limit)
        )
        return list(await self._session.scalars(statement))

    async def failed_after(self, broadcast_id: int, after: int, limit: int) -> list[Delivery]:
        """Up to `limit` recipients above `after` whose latest attempt is dead (that attempt), by id."""
        statement = (
            select(OutboxRow.idempotency_key, OutboxRow.participant_id)
            .where(
                OutboxRow.id.in_(self._latest(broadcast_id)),
                OutboxRow.status == OutboxStatus.DEAD.value,
                OutboxRow.participant_id > after,
            )
            .order_by(OutboxRow.participant_id)
            .limit(limit)
        )
        return [
            Delivery(participant_id, _attempt(key), OutboxStatus.DEAD)
            for key, participant_id in await self._session.execute(statement)
        ]

    async def withdraw_pending(self, broadcast_id: int) -> int:
        """Cancel the broadcast's rows not yet claimed for sending; return how many."""
        result = await self._session.execute(
            update(OutboxRow)
            .where(of_broadcast(self._session, broadcast_id), OutboxRow.status == OutboxStatus.PENDING.value)
            .values(status=OutboxStatus.CANCELLED.value, payload={})  # never sent: no copy of the words is kept
            .execution_options(synchronize_session=False)  # no outbox objects are held in this session
        )
        return rows_affected(result)

    async def deliveries(self, broadcast_id: int) -> list[Delivery]:
        """Every outbox row of the broadcast (all attempts), in insertion order."""
        statement = (
            select(OutboxRow.idempotency_key, OutboxRow.participant_id, OutboxRow.status)
            .where(of_broadcast(self._session, broadcast_id))
            .order_by(OutboxRow.id)
        )
        return [
            Delivery(participant_id, _attempt(key), OutboxStatus(status))
            for key, participant_id, status in await self._session.execute(statement)
        ]


def _attempt(key: str) -> int:
    """The attempt number at the end of a broadcast row's key."""
    return int(key.rsplit(":", 1)[1])
