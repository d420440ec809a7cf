"""The bulk reads and writes scheduled work needs of `partnerships` (mixed into SqlPartnershipRepo)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from domain.core.bulk_ports import ActiveChunk
from domain.core.model import Partnership, PartnershipStatus
from storage.repo_common import id_chunks, one_of
from storage.tables import ParticipantRow, PartnershipRow

# The columns of a Partnership, in its field order (plain columns: no ORM identity map for a page).
PAGE_COLUMNS = (
    PartnershipRow.id,
    PartnershipRow.cohort_id,
    PartnershipRow.partner_a_id,
    PartnershipRow.partner_b_id,
    PartnershipRow.status,
    PartnershipRow.started_on,
    PartnershipRow.ended_at,
    PartnershipRow.end_reason,
    PartnershipRow.paused_until,
    PartnershipRow.resumed_on,
    PartnershipRow.pause_reason,
)


STATUSES = {status.value: status for status in PartnershipStatus}  # a dict look-up: Enum(value) is slow


def _from_columns(row: Any) -> Partnership:
    """A Partnership from a row of PAGE_COLUMNS."""
    return Partnership(
        id=row[0],
        cohort_id=row[1],
        partner_a_id=row[2],
        partner_b_id=row[3],
        status=STATUSES[row[4]],
        started_on=row[5],
        ended_at=row[6],
        end_reason=row[7],
        paused_until=row[8],
        resumed_on=row[9],
        pause_reason=row[10],
    )


class PartnershipsInBulkSql:
    """A chunk of partnerships at a time, as plain columns (no ORM identity map)."""

    _session: AsyncSession

    async def active_page(self, after_id: int, limit: int) -> ActiveChunk:
        """Up to `limit` active partnerships with an id above `after_id`, in id order (keyset pages),
        with each partner's time zone, in one query of plain columns."""
        a, b = aliased(ParticipantRow), aliased(ParticipantRow)
        statement = (
            select(*PAGE_COLUMNS, a.time_zone, b.time_zone)
            .outerjoin(a, a.id == PartnershipRow.partner_a_id)
            .outerjoin(b, b.id == PartnershipRow.partner_b_id)
            .where(PartnershipRow.status == PartnershipStatus.ACTIVE.value, PartnershipRow.id > after_id)
            .order_by(PartnershipRow.id)
            .limit(limit)
        )
        partnerships, zones = [], {}
        for row in (await self._session.execute(statement)).all():
            partnership = _from_columns(row)
            partnerships.append(partnership)
            for pid, zone in ((partnership.partner_a_id, row[11]), (partnership.partner_b_id, row[12])):
                if zone is not None:
                    zones[pid] = zone
        return ActiveChunk(partnerships, zones)

    async def get_many(self, partnership_ids: Sequence[int]) -> dict[int, Partnership]:
        """The partnerships with these ids that exist, by id."""
        found: dict[int, Partnership] = {}
        for chunk in id_chunks(partnership_ids):
            rows = await self._session.execute(
                select(*PAGE_COLUMNS).where(one_of(self._session, PartnershipRow.id, chunk))
            )
            found.update((row.id, _from_columns(row)) for row in rows)
        return found

    async def lock_many(self, partnership_ids: Sequence[int]) -> None:
        """Lock the rows (PostgreSQL) in id order, so two lockers never wait on each other in a circle."""
        for chunk in id_chunks(sorted(partnership_ids)):
            await self._session.execute(
                select(PartnershipRow.id)
                .where(one_of(self._session, PartnershipRow.id, chunk))
                .order_by(PartnershipRow.id)
                .with_for_update()
            )

    async def resume_all(self, partnership_ids: Sequence[int], today: date) -> None:
        """Make paused partnerships active again from `today` (ended ones stay ended)."""
        for chunk in id_chunks(partnership_ids):
            await self._session.execute(
                update(PartnershipRow)
                .where(
                    one_of(self._session, PartnershipRow.id, chunk),
                    PartnershipRow.status == PartnershipStatus.PAUSED.value,
                )
                .values(status=PartnershipStatus.ACTIVE.value, paused_until=None, pause_reason="", resumed_on=today)
            )
