"""Partnership repository (implements domain.core.ports.PartnershipRepo)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.core.model import Partnership, PartnershipStatus
from storage.repo_common import missing
from storage.repo_partnerships_bulk import PartnershipsInBulkSql
from storage.tables import PartnershipRow

PAUSE_REASON_LENGTH = 32
# A paused partnership still belongs to both partners; only an ended one is history.
CURRENT_STATUSES = (PartnershipStatus.ACTIVE.value, PartnershipStatus.PAUSED.value)


def to_partnership(row: PartnershipRow) -> Partnership:
    """Map a table row to the domain dataclass (status -> PartnershipStatus)."""
    return Partnership(
        id=row.id,
        cohort_id=row.cohort_id,
        partner_a_id=row.partner_a_id,
        partner_b_id=row.partner_b_id,
        status=PartnershipStatus(row.status),
        started_on=row.started_on,
        ended_at=row.ended_at,
        end_reason=row.end_reason,
        paused_until=row.paused_until,
        pause_reason=row.pause_reason,
        resumed_on=row.resumed_on,
    )


class SqlPartnershipRepo(PartnershipsInBulkSql):
    """Partnerships in the `partnerships` table."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def create(
        self, cohort_id: int, partner_a_id: int, partner_b_id: int, started_on: date, now: datetime
    ) -> Partnership:
        """Insert an active partnership of two equal partners."""
        row = PartnershipRow(
            cohort_id=cohort_id,
            partner_a_id=partner_a_id,
            partner_b_id=partner_b_id,
            status=PartnershipStatus.ACTIVE.value,
            started_on=started_on,
            end_reason="",
            created_at=now,
        )
        self._session.add(row)
        await self._session.flush()
        return to_partnership(row)

    async def get(self, partnership_id: int) -> Partnership | None:
        """The partnership with this id, or None."""
        row = await self._session.get(PartnershipRow, partnership_id)
        return to_partnership(row) if row is not None else None

    async def current_for(self, participant_id: int) -> Partnership | None:
        """The active or paused partnership that includes the participant, or None."""
        statement = (
            select(PartnershipRow)
            .where(
                or_(PartnershipRow.partner_a_id == participant_id, PartnershipRow.partner_b_id == participant_id),
                PartnershipRow.status.in_(CURRENT_STATUSES),
            )
            .order_by(PartnershipRow.id.desc())
            .limit(1)
        )
        row = (await self._session.scalars(statement)).first()
        return to_partnership(row) if row is not None else None

    async def all_for(self, participant_id: int) -> list[Partnership]:
        """Every partnership the person was ever in (ended ones too), in id order."""
        statement = (
            select(PartnershipRow)
            .where(or_(PartnershipRow.partner_a_id == participant_id, PartnershipRow.partner_b_id == participant_id))
            .order_by(PartnershipRow.id)
            .execution_options(populate_existing=True)
        )
        return [to_partnership(row) for row in await self._session.scalars(statement)]

    async def list_for_cohort(self, cohort_id: int) -> list[Partnership]:
        """Every partnership of the cohort (ended ones included), in id order."""
        statement = select(PartnershipRow).where(PartnershipRow.cohort_id == cohort_id).order_by(PartnershipRow.id)
        return [to_partnership(row) for row in await self._session.scalars(statement)]

    async def lock(self, partnership_id: int) -> None:
        """Lock the partnership row (PostgreSQL); SQLite already has one writer at a time."""
        await self._session.execute(
            select(PartnershipRow.id).where(PartnershipRow.id == partnership_id).with_for_update()
        )

    async def list_active(self) -> list[Partnership]:
        """Every active (not paused, not ended) partnership, in id order."""
        statement = (
            select(PartnershipRow)
            .where(PartnershipRow.status == PartnershipStatus.ACTIVE.value)
            .order_by(PartnershipRow.id)
        )
        return [to_partnership(row) for row in await self._session.scalars(statement)]

    async def list_paused(self) -> list[Partnership]:
        """Every paused partnership, in id order (the health job resumes those whose pause has ended)."""
        statement = (
            select(PartnershipRow)
            .where(PartnershipRow.status == PartnershipStatus.PAUSED.value)
            .order_by(PartnershipRow.id)
        )
        return [to_partnership(row) for row in await self._session.scalars(statement)]

    async def set_status(self, partnership_id: int, status: PartnershipStatus) -> None:
        """Pause or resume (ending goes through `end`, which records why)."""
        row = await self._session.get(PartnershipRow, partnership_id)
        if row is None:
            raise missing("partnership", partnership_id)
        row.status = status.value

    async def pause(self, partnership_id: int, until: date | None, reason: str) -> None:
        """Pause (until a date, or until resumed); `reason` is a short code kept from the partner."""
        if len(reason) > PAUSE_REASON_LENGTH:
            raise ValueError(f"pause reason is a short code of at most {PAUSE_REASON_LENGTH} characters")
        row = await self._current_row(partnership_id)
        row.status, row.paused_until, row.pause_reason = PartnershipStatus.PAUSED.value, until, reason

    async def resume(self, partnership_id: int, today: date) -> None:
        """Make the partnership active again from `today`, forgetting the pause date and reason."""
        row = await self._current_row(partnership_id)
        row.status, row.paused_until, row.pause_reason = PartnershipStatus.ACTIVE.value, None, ""
        row.resumed_on = today

    async def _current_row(self, partnership_id: int) -> PartnershipRow:
        """The row of a partnership that has not ended (an ended one is history and stays ended)."""
        row = await self._session.get(PartnershipRow, partnership_id)
        if row is None:
            raise missing("partnership", partnership_id)
        if row.status == PartnershipStatus.ENDED.value:
            raise ValueError(f"partnership {partnership_id} has ended")
        return row

    async def end(self, partnership_id: int, reason: str, now: datetime) -> None:
        """Mark the partnership ended, recording when and why."""
        row = await self._session.get(PartnershipRow, partnership_id)
        if row is None:
            raise missing("partnership", partnership_id)
        row.status = PartnershipStatus.ENDED.value
        row.ended_at = now
        row.end_reason = reason
