"""The bulk reads and writes scheduled work needs of `participants` (mixed into SqlParticipantRepo)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.core.model import Role
from storage.repo_common import id_chunks, one_of
from storage.tables import ParticipantRow


class ParticipantsInBulkSql:
    """A chunk of participants at a time."""

    _session: AsyncSession

    async def time_zones(self, participant_ids: Sequence[int]) -> dict[int, str]:
        """Each existing participant's time zone, by id (two columns, no entity mapping)."""
        zones: dict[int, str] = {}
        for chunk in id_chunks(participant_ids):
            statement = select(ParticipantRow.id, ParticipantRow.time_zone).where(
                one_of(self._session, ParticipantRow.id, chunk)
            )
            zones.update((pid, zone) for pid, zone in (await self._session.execute(statement)).all())
        return zones

    async def enrolled_zones(self, cohort_id: int) -> dict[int, str]:
        """Everyone enrolled in the cohort, with their time zone, by id (two columns, no entity mapping)."""
        statement = select(ParticipantRow.id, ParticipantRow.time_zone).where(
            ParticipantRow.cohort_id == cohort_id, ParticipantRow.enrolled_at.is_not(None)
        )
        return {pid: zone for pid, zone in (await self._session.execute(statement)).all()}

    async def facilitator_ids(self) -> list[int]:
        """Everyone granted the facilitator role in chat, by id."""
        statement = select(ParticipantRow.id).where(ParticipantRow.role == Role.FACILITATOR.value)
        return list(await self._session.scalars(statement.order_by(ParticipantRow.id)))

    async def mark_all_unreachable_alerted(self, participant_ids: Sequence[int], now: datetime) -> None:
        """Note that facilitators have been told these people cannot be reached."""
        for chunk in id_chunks(participant_ids):
            await self._session.execute(
                update(ParticipantRow)
                .where(one_of(self._session, ParticipantRow.id, chunk))
                .values(unreachable_alerted_at=now)
            )
