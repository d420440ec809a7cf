"""The daily budget pass's side of the outbox (mixed into SqlOutboxRepo): planned rows, what each
person has already had around now, and the promote / postpone writes, all in bulk."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, and_, bindparam, func, literal, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.core.budget import BUDGETED_KINDS, SPENT, BudgetView, Held
from domain.core.model import OutboxStatus
from storage.repo_common import one_of
from storage.tables import OutboxRow, ParticipantRow

PLANNED = OutboxStatus.PLANNED.value
# "Still planned", written so that no index on status can serve it: looking rows up by id must use
# the primary key (SQLite would otherwise walk every planned row of ix_outbox_due for each chunk).
IS_PLANNED = func.coalesce(OutboxRow.status, "") == PLANNED
ALL_STATUSES = tuple(sorted(s.value for s in OutboxStatus))
ID_CHUNK = 1000
BUDGETED = sorted(BUDGETED_KINDS)
OUTBOX = cast(Table, OutboxRow.__table__)  # the Core table: one UPDATE statement run for many rows
BUDGET_LOCK = 0x504C5042  # "PLPB": one budget pass at a time across replicas (PostgreSQL)


class BudgetQueries:
    """Bulk reads and writes for domain.core.budget_pass."""

    _session: AsyncSession

    async def lock_budget(self) -> None:
        """Serialise budget passes across replicas until the transaction ends (SQLite has one writer)."""
        if self._session.get_bind().dialect.name == "postgresql":
            await self._session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": BUDGET_LOCK})

    async def held(self, until: datetime) -> list[Held]:
        """Planned rows due before `until`, with each recipient's time zone, by person then id."""
        statement = (
            select(OutboxRow.id, OutboxRow.participant_id, OutboxRow.kind, OutboxRow.due_at, ParticipantRow.time_zone)
            .join(ParticipantRow, ParticipantRow.id == OutboxRow.participant_id)
            .where(OutboxRow.status == PLANNED, OutboxRow.due_at < until)
            .order_by(OutboxRow.participant_id, OutboxRow.id)
        )
        return [Held(*row) for row in (await self._session.execute(statement)).all()]

    async def budget_view(
        self, participant_ids: Sequence[int], since: datetime, until: datetime, zones: Mapping[int, str] | None = None
    ) -> BudgetView:
        """`budget_spent` for these people, the keys of their budgeted rows in the window (any status), and
        their time zones: `zones` when given, else read with them (participants joined to their rows)."""
        found: dict[int, str] = {}
        spent: dict[int, list[datetime]] = defaultdict(list)
        known: set[str] = set()
        for start in range(0, len(participant_ids), ID_CHUNK):
            people = participant_ids[start : start + ID_CHUNK]
            window = (OutboxRow.due_at >= since, OutboxRow.due_at < until, OutboxRow.kind.in_(BUDGETED))
            columns = (OutboxRow.idempotency_key, OutboxRow.due_at, OutboxRow.status)
            if zones is None:
                on = and_(OutboxRow.participant_id == ParticipantRow.id, *window)
                statement = (
                    select(ParticipantRow.id, ParticipantRow.time_zone, *columns)
                    .outerjoin(OutboxRow, on)
                    .where(one_of(self._session, ParticipantRow.id, people))
                )
            else:
                person = OutboxRow.participant_id
                statement = select(person, literal(""), *columns).where(one_of(self._session, person, people), *window)
            for pid, time_zone, key, due_at, status in (await self._session.execute(statement)).all():
                found[pid] = time_zone
                if key is not None:
                    known.add(key)
                if status in SPENT:  # checked here, as in budget_spent
                    spent[pid].append(due_at)
        return BudgetView(found if zones is None else zones, spent, known)

    async def budgeted_around(self, since: datetime, until: datetime) -> list[tuple[int, str, datetime, str]]:
        """Budgeted rows due in [since, until), any status: the (status, due) index, one range per status."""
        row = OutboxRow
        statement = select(row.participant_id, row.idempotency_key, row.due_at, row.status).where(
            row.status.in_(ALL_STATUSES), row.due_at >= since, row.due_at < until, row.kind.in_(BUDGETED)
        )
        return [(person, key, due_at, status) for person, key, due_at, status in await self._session.execute(statement)]

    async def budget_spent(
        self, participant_ids: Sequence[int], since: datetime, until: datetime
    ) -> dict[int, list[datetime]]:
        """Per person, the due times in [since, until) of budgeted rows already promoted."""
        spent: dict[int, list[datetime]] = defaultdict(list)
        for start in range(0, len(participant_ids), ID_CHUNK):
            # Status is checked here, not in SQL, so the (participant, due) index serves the query
            # whatever the planner knows; only rows that can count are read back.
            statement = select(OutboxRow.participant_id, OutboxRow.due_at, OutboxRow.status).where(
                one_of(self._session, OutboxRow.participant_id, participant_ids[start : start + ID_CHUNK]),
                OutboxRow.due_at >= since,
                OutboxRow.due_at < until,
                OutboxRow.kind.in_(BUDGETED),
                OutboxRow.status != PLANNED,
            )
            for person, due_at, status in (await self._session.execute(statement)).all():
                if status in SPENT:
                    spent[person].append(due_at)
        return spent

    async def promote(self, ids: Sequence[int]) -> int:
        """Planned rows become pending (the dispatcher may send them from their due time)."""
        promoted = 0
        for start in range(0, len(ids), ID_CHUNK):
            result: Any = await self._session.execute(
                update(OutboxRow)
                .where(one_of(self._session, OutboxRow.id, ids[start : start + ID_CHUNK]), IS_PLANNED)
                .values(status=OutboxStatus.PENDING.value)
            )
            promoted += int(result.rowcount or 0)
        return promoted

    async def postpone(self, moves: Sequence[tuple[int, datetime]]) -> None:
        """Planned rows wait for a later day: one UPDATE statement, executed for every row."""
        if not moves:
            return
        statement = (
            update(OUTBOX)
            .where(OUTBOX.c.id == bindparam("row_id"), OUTBOX.c.status == PLANNED)
            .values(due_at=bindparam("later", type_=OUTBOX.c.due_at.type))
        )
        await self._session.execute(statement, [{"row_id": row_id, "later": later} for row_id, later in moves])
