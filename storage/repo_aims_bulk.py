"""How far many partnerships have got with their aims, in one grouped query per chunk (mixed into SqlAimsRepo)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import CompoundSelect, func, literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from domain.aims.model import AGREED, AimsProgress
from storage.repo_common import around, id_chunks
from storage.tables import AimHopesRow, AimRatingRow, SharedAimsRow

HOPES, AGREED_ROW = "~hopes", "~agreed"  # labels beside the rating stages ("mid", "end") in one result


class AimsInBulkSql:
    """Counts only: no hopes, aims or ratings leave the database here."""

    _session: AsyncSession

    async def progress(self, partnership_ids: Sequence[int]) -> dict[int, AimsProgress]:
        """Hopes noted, aims agreed and ratings per stage, by partnership (none yet: left out)."""
        wanted = set(partnership_ids)
        counts: dict[int, dict[str, int]] = defaultdict(dict)
        for chunk in id_chunks(sorted(wanted)):
            for pid, label, count in (await self._session.execute(self._counts(chunk))).all():
                if pid in wanted:
                    counts[pid][label] = int(count)
        return {
            pid: AimsProgress(found.pop(HOPES, 0), found.pop(AGREED_ROW, 0) > 0, tuple(sorted(found.items())))
            for pid, found in counts.items()
        }

    def _counts(self, chunk: list[int]) -> CompoundSelect:
        """(partnership, what, how many): hopes noted, agreed proposals, and ratings per stage."""
        hopes = (
            select(AimHopesRow.partnership_id, literal(HOPES), func.count())
            .where(around(self._session, AimHopesRow.partnership_id, chunk))
            .group_by(AimHopesRow.partnership_id)
        )
        agreed = (
            select(SharedAimsRow.partnership_id, literal(AGREED_ROW), func.count())
            .where(around(self._session, SharedAimsRow.partnership_id, chunk), SharedAimsRow.status == AGREED)
            .group_by(SharedAimsRow.partnership_id)
        )
        rated = (
            select(AimRatingRow.partnership_id, AimRatingRow.stage, func.count())
            .where(around(self._session, AimRatingRow.partnership_id, chunk))
            .group_by(AimRatingRow.partnership_id, AimRatingRow.stage)
        )
        return union_all(hopes, agreed, rated)
