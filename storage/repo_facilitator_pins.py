"""Facilitator pins repository (implements domain.core.pins.FacilitatorPinRepo)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.core.pins import FacilitatorPin
from storage.repo_common import rows_affected, session_insert
from storage.tables_facilitators import FacilitatorPinRow

# Fixed key of the PostgreSQL advisory lock role changes take: the bytes of "PLP_ROLE" as a 64-bit integer.
ROLE_LOCK_KEY = int.from_bytes(b"PLP_ROLE", "big")


def _pin(row: Any) -> FacilitatorPin:
    return FacilitatorPin(
        row.entry, row.participant_id, row.tenant_id, row.aad_object_id, row.pinned_at, row.revoked_at
    )


class SqlFacilitatorPinRepo:
    """Rows of `facilitator_pins`: a handful, one per FACILITATORS entry that has named someone."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def pins(self, entries: Collection[str]) -> list[FacilitatorPin]:
        if not entries:
            return []
        statement = (
            select(FacilitatorPinRow)
            .where(FacilitatorPinRow.entry.in_(sorted(entries)))
            .order_by(FacilitatorPinRow.entry)
        )
        return [_pin(row) for row in await self._session.scalars(statement)]

    async def add(self, pin: FacilitatorPin) -> bool:
        statement = (
            session_insert(self._session, FacilitatorPinRow)
            .values(
                entry=pin.entry,
                participant_id=pin.participant_id,
                tenant_id=pin.tenant_id,
                aad_object_id=pin.aad_object_id,
                pinned_at=pin.pinned_at,
                revoked_at=pin.revoked_at,
            )
            .on_conflict_do_nothing(index_elements=[FacilitatorPinRow.entry])
        )
        return rows_affected(await self._session.execute(statement)) == 1

    async def held_by(self, participant_id: int) -> list[FacilitatorPin]:
        statement = (
            select(FacilitatorPinRow)
            .where(FacilitatorPinRow.participant_id == participant_id)
            .order_by(FacilitatorPinRow.entry)
        )
        return [_pin(row) for row in await self._session.scalars(statement)]

    async def revoke_held_by(self, participant_id: int, now: datetime) -> int:
        statement = (
            update(FacilitatorPinRow)
            .where(FacilitatorPinRow.participant_id == participant_id, FacilitatorPinRow.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        return rows_affected(await self._session.execute(statement, execution_options={"synchronize_session": False}))

    async def revoke_erased(self, participant_id: int, now: datetime) -> int:
        statement = (
            update(FacilitatorPinRow)
            .where(FacilitatorPinRow.participant_id == participant_id)
            .values(revoked_at=func.coalesce(FacilitatorPinRow.revoked_at, now), tenant_id="", aad_object_id="")
        )
        return rows_affected(await self._session.execute(statement, execution_options={"synchronize_session": False}))

    async def lock_roles(self) -> None:
        """Serialise role changes until the transaction ends (PostgreSQL); SQLite already has one writer."""
        if self._session.get_bind().dialect.name == "postgresql":
            await self._session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ROLE_LOCK_KEY})
