"""Dashboard sign-in repository (implements domain.dashboard.ports.DashboardRepo)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.dashboard.model import SessionRecord
from storage.repo_common import rows_affected, session_insert
from storage.tables_dashboard import DashboardLinkUseRow, DashboardSessionRow

_QUIET = {"synchronize_session": False}


def _record(row: Any) -> SessionRecord:
    return SessionRecord(row.id, row.participant_id, row.csrf_token, row.created_at, row.last_seen_at, row.ended_at)


class SqlDashboardRepo:
    """Rows of `dashboard_link_uses` and `dashboard_sessions`."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def use_link(self, link_id: str, participant_id: int, now: datetime, expires_at: datetime) -> bool:
        """Insert the link's id; the primary key makes a second use (even a racing one) insert nothing."""
        statement = (
            session_insert(self._session, DashboardLinkUseRow)
            .values(link_id=link_id, participant_id=participant_id, used_at=now, expires_at=expires_at)
            .on_conflict_do_nothing(index_elements=[DashboardLinkUseRow.link_id])
        )
        return rows_affected(await self._session.execute(statement)) == 1

    async def link_used(self, link_id: str) -> bool:
        statement = select(DashboardLinkUseRow.link_id).where(DashboardLinkUseRow.link_id == link_id)
        return (await self._session.execute(statement)).first() is not None

    async def open_session(self, record: SessionRecord) -> None:
        await self._session.execute(
            insert(DashboardSessionRow).values(
                id=record.id,
                participant_id=record.participant_id,
                csrf_token=record.csrf_token,
                created_at=record.created_at,
                last_seen_at=record.last_seen_at,
                ended_at=record.ended_at,
            )
        )

    async def session(self, session_id: str) -> SessionRecord | None:
        row = (
            await self._session.execute(select(DashboardSessionRow).where(DashboardSessionRow.id == session_id))
        ).scalar()
        return _record(row) if row is not None else None

    async def touch(self, session_id: str, now: datetime) -> None:
        statement = update(DashboardSessionRow).where(DashboardSessionRow.id == session_id).values(last_seen_at=now)
        await self._session.execute(statement, execution_options=_QUIET)

    async def end_session(self, session_id: str, now: datetime) -> None:
        statement = (
            update(DashboardSessionRow)
            .where(DashboardSessionRow.id == session_id, DashboardSessionRow.ended_at.is_(None))
            .values(ended_at=now)
        )
        await self._session.execute(statement, execution_options=_QUIET)

    async def sessions_of(self, participant_id: int) -> list[SessionRecord]:
        statement = (
            select(DashboardSessionRow)
            .where(DashboardSessionRow.participant_id == participant_id)
            .order_by(DashboardSessionRow.created_at, DashboardSessionRow.id)
        )
        return [_record(row) for row in await self._session.scalars(statement)]

    async def forget_participant(self, participant_id: int) -> int:
        removed = 0
        for table in (DashboardSessionRow, DashboardLinkUseRow):
            statement = delete(table).where(table.participant_id == participant_id)
            removed += rows_affected(await self._session.execute(statement, execution_options=_QUIET))
        return removed

    async def prune(self, sessions_before: datetime, links_before: datetime) -> int:
        old = or_(DashboardSessionRow.last_seen_at < sessions_before, DashboardSessionRow.ended_at < sessions_before)
        removed = rows_affected(
            await self._session.execute(delete(DashboardSessionRow).where(old), execution_options=_QUIET)
        )
        expired = delete(DashboardLinkUseRow).where(DashboardLinkUseRow.expires_at < links_before)
        return removed + rows_affected(await self._session.execute(expired, execution_options=_QUIET))
