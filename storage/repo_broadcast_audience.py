"""Who a broadcast's audience covers, read in windows of participant ids (part of SqlBroadcastRepo).

Everyone / cohort / group audiences are one indexed query per window. A health audience
needs each current partnership's activity: read here for a whole window in three grouped
queries (the same facts SqlHealthRepo.last_activity and has_upcoming give for one pair).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select, union
from sqlalchemy.ext.asyncio import AsyncSession

from domain.broadcasts.model import PairFacts, Selection
from domain.core.model import PartnershipStatus
from domain.meetings.model import MeetingStatus, Outcome
from storage.repo_partnerships import to_partnership
from storage.tables import CohortRow, MeetingRow, ParticipantRow, PartnershipRow

CURRENT = PartnershipRow.status != PartnershipStatus.ENDED.value


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
        partners = union(
            select(PartnershipRow.partner_a_id.label("pid")).where(CURRENT),
            select(PartnershipRow.partner_b_id.label("pid")).where(CURRENT),
        ).subquery()
        ids = list(
            await self._session.scalars(
                select(partners.c.pid).where(partners.c.pid > after).order_by(partners.c.pid).limit(limit)
            )
        )
        return ids, await self._pair_facts(ids, as_of) if ids else []

    async def _pair_facts(self, people: Sequence[int], as_of: datetime) -> list[PairFacts]:
        """The current partnerships of `people`, each with its cohort's thresholds and its activity."""
        statement = (
            select(PartnershipRow, CohortRow.quiet_weeks, CohortRow.inactive_weeks)
            .join(CohortRow, CohortRow.id == PartnershipRow.cohort_id)
            .where(CURRENT, or_(PartnershipRow.partner_a_id.in_(people), PartnershipRow.partner_b_id.in_(people)))
        )
        pairs = [
            (to_partnership(row), quiet, inactive) for row, quiet, inactive in await self._session.execute(statement)
        ]
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


def _latest(*moments: datetime | None) -> datetime | None:
    found = [moment for moment in moments if moment is not None]
    return max(found) if found else None
