"""Who a broadcast's audience covers, read in windows of participant ids (part of SqlBroadcastRepo).

Everyone / cohort / group audiences are one indexed query per window. A health audience
needs each current partnership's activity: read here for a whole window in three grouped
queries (the same facts SqlHealthRepo.last_activity and has_upcoming give for one pair).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.broadcasts.model import PairFacts, Selection
from domain.core.model import Partnership, PartnershipStatus
from domain.meetings.model import MeetingStatus, Outcome
from storage.tables import CohortRow, MeetingRow, ParticipantRow, PartnershipRow

CURRENT = PartnershipRow.status != PartnershipStatus.ENDED.value
# What assessing a pair's health reads: plain columns, not ORM objects (a window holds thousands).
PAIR_COLUMNS = (
    PartnershipRow.id,
    PartnershipRow.cohort_id,
    PartnershipRow.partner_a_id,
    PartnershipRow.partner_b_id,
    PartnershipRow.status,
    PartnershipRow.started_on,
    PartnershipRow.paused_until,
    PartnershipRow.resumed_on,
)


def _covered(selection: Selection, as_of: datetime) -> list[ColumnElement[bool]]:
    """Enrolled by `as_of`, in the cohort and groups the selection names."""
    conditions = [
        ParticipantRow.enrolled_at.is_not(None),
        ParticipantRow.cohort_id.is_not(None),
        ParticipantRow.enrolled_at <= as_of,
    ]
    if selection.cohort_id is not None:
        conditions.append(ParticipantRow.cohort_id == selection.cohort_id)
    if selection.groups:
        conditions.append(ParticipantRow.grp.in_(sorted(selection.groups)))
    return conditions


class BroadcastAudienceReads:
    """The audience side of SqlBroadcastRepo."""

    _session: AsyncSession

    async def enrolled_after(self, selection: Selection, as_of: datetime, after: int, limit: int) -> list[int]:
        """Up to `limit` ids above `after` of people the selection covers, enrolled by `as_of`, in order."""
        if selection.nobody:
            return []
        statement = (
            select(ParticipantRow.id)
            .where(ParticipantRow.id > after, *_covered(selection, as_of))
            .order_by(ParticipantRow.id)
            .limit(limit)
        )
        return list(await self._session.scalars(statement))

    async def count_enrolled(self, selection: Selection, as_of: datetime) -> int:
        """How many people the selection covers, enrolled by `as_of`."""
        if selection.nobody:
            return 0
        statement = select(func.count()).select_from(ParticipantRow).where(*_covered(selection, as_of))
        return int(await self._session.scalar(statement) or 0)

    async def partnered_after(self, after: int, limit: int, as_of: datetime) -> tuple[list[int], list[PairFacts]]:
        """Up to `limit` ids above `after` of people in a current partnership, and those partnerships' facts."""
        # Each side read in index order (partner_a_id, partner_b_id are indexed), then merged:
        # a window costs `limit` index entries per side, not a scan of every partnership.
        sides = [
            await self._session.scalars(
                select(column).where(CURRENT, column > after).order_by(column).limit(limit).distinct()
            )
            for column in (PartnershipRow.partner_a_id, PartnershipRow.partner_b_id)
        ]
        ids = sorted({pid for side in sides for pid in side})[:limit]
        return ids, await self._pair_facts(ids, as_of) if ids else []

    async def _pair_facts(self, people: Sequence[int], as_of: datetime) -> list[PairFacts]:
        """The current partnerships of `people`, each with its cohort's thresholds and its activity."""
        statement = (
            select(*PAIR_COLUMNS, CohortRow.quiet_weeks, CohortRow.inactive_weeks)
            .join(CohortRow, CohortRow.id == PartnershipRow.cohort_id)
            .where(CURRENT, or_(PartnershipRow.partner_a_id.in_(people), PartnershipRow.partner_b_id.in_(people)))
        )
        rows = await self._session.execute(statement)
        pairs = [(_partnership(row), row.quiet_weeks, row.inactive_weeks) for row in rows]
        ids = [pair.id for pair, _, _ in pairs]
        met, created, upcoming = await self._activity(ids, as_of)
        return [
            PairFacts(pair, quiet, inactive, _latest(met.get(pair.id), created.get(pair.id)), pair.id in upcoming)
            for pair, quiet, inactive in pairs
        ]

    async def _activity(
        self, pair_ids: Sequence[int], as_of: datetime
    ) -> tuple[dict[int, datetime], dict[int, datetime], set[int]]:
        """Per partnership: latest met (or logged) meeting start, latest meeting created, any confirmed ahead."""
        of_pairs = MeetingRow.partnership_id.in_(pair_ids)
        held = or_(MeetingRow.outcome == Outcome.MET.value, MeetingRow.logged_only.is_(True))
        met = await self._latest_by_pair(MeetingRow.start_at, of_pairs, held)
        created = await self._latest_by_pair(MeetingRow.created_at, of_pairs)
        ahead = select(MeetingRow.partnership_id).where(
            of_pairs, MeetingRow.status == MeetingStatus.CONFIRMED.value, MeetingRow.start_at >= as_of
        )
        return met, created, set(await self._session.scalars(ahead.distinct()))

    async def _latest_by_pair(self, column: Any, *conditions: ColumnElement[bool]) -> dict[int, datetime]:
        # max() keeps the column type, so both backends give aware UTC back.
        statement = (
            select(MeetingRow.partnership_id, func.max(column)).where(*conditions).group_by(MeetingRow.partnership_id)
        )
        return {pair: moment for pair, moment in await self._session.execute(statement) if moment is not None}


def _partnership(row: Any) -> Partnership:
    """The fields of a partnership its health depends on."""
    return Partnership(
        id=row.id,
        cohort_id=row.cohort_id,
        partner_a_id=row.partner_a_id,
        partner_b_id=row.partner_b_id,
        status=PartnershipStatus(row.status),
        started_on=row.started_on,
        paused_until=row.paused_until,
        resumed_on=row.resumed_on,
    )


def _latest(*moments: datetime | None) -> datetime | None:
    found = [moment for moment in moments if moment is not None]
    return max(found) if found else None
