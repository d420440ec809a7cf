"""Audit repository (implements domain.core.audit.AuditRepo)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.core.audit import AuditEntry
from storage.tables_audit import AuditRow


class SqlAuditRepo:
    """Entries in the `audit_log` table; only ever appended to."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, actor_id: int | None, action: str, subject_id: int | None, now: datetime) -> None:
        await self._session.execute(
            insert(AuditRow).values(at=now, actor_id=actor_id, action=action, subject_id=subject_id)
        )

    async def about(self, participant_id: int) -> list[AuditEntry]:
        """Entries the person did or that were done to them, oldest first."""
        rows = await self._session.execute(
            select(AuditRow)
            .where(or_(AuditRow.actor_id == participant_id, AuditRow.subject_id == participant_id))
            .order_by(AuditRow.id)
        )
        return [AuditEntry(r.id, r.at, r.actor_id, r.action, r.subject_id) for r in rows.scalars()]

    async def recent(self, limit: int) -> list[AuditEntry]:
        rows = await self._session.execute(select(AuditRow).order_by(AuditRow.id.desc()).limit(limit))
        return [AuditEntry(r.id, r.at, r.actor_id, r.action, r.subject_id) for r in rows.scalars()]
