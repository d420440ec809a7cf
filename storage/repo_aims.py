"""Mutual aims repository (implements domain.core.ports.AimsRepo).

Hopes, aims and ratings are free text or private answers: nothing here logs them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.aims.model import AGREED, PROPOSED, SUPERSEDED, AimRating, AimsStatus, Hopes, SharedAims
from domain.aims.rules import aims_status_of
from storage.repo_aims_bulk import AimsInBulkSql
from storage.repo_common import missing, session_insert
from storage.repo_partnerships import to_partnership
from storage.tables import AimHopesRow, AimRatingRow, PartnershipRow, SharedAimsRow


def to_shared_aims(row: SharedAimsRow) -> SharedAims:
    """Map a table row to the domain dataclass (JSON lists -> tuples)."""
    return SharedAims(
        id=row.id,
        partnership_id=row.partnership_id,
        aims=tuple(row.aims),
        proposed_by=row.proposed_by,
        status=row.status,
        proposed_at=row.proposed_at,
        agreed_at=row.agreed_at,
        shared_with_team=tuple(row.shared_with_team or ()),
    )


class SqlAimsRepo(AimsInBulkSql):
    """Hopes in `aim_hopes`, proposals in `shared_aims`, ratings in `aim_ratings`."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def save_hopes(self, partnership_id: int, participant_id: int, learn: str, offer: str, now: datetime) -> None:
        """Insert or replace this person's hopes for the partnership."""
        upsert = session_insert(self._session, AimHopesRow)
        await self._session.execute(
            upsert.values(
                partnership_id=partnership_id,
                participant_id=participant_id,
                learn=learn,
                offer=offer,
                updated_at=now,
            ).on_conflict_do_update(
                index_elements=[AimHopesRow.partnership_id, AimHopesRow.participant_id],
                set_={"learn": learn, "offer": offer, "updated_at": now},
            )
        )

    async def hopes(self, partnership_id: int) -> list[Hopes]:
        """Both partners' hopes as far as noted, by participant id."""
        statement = (
            select(AimHopesRow)
            .where(AimHopesRow.partnership_id == partnership_id)
            .order_by(AimHopesRow.participant_id)
            .execution_options(populate_existing=True)
        )
        return [Hopes(r.participant_id, r.learn, r.offer) for r in await self._session.scalars(statement)]

    async def propose(self, partnership_id: int, proposed_by: int, aims: Sequence[str], now: datetime) -> SharedAims:
        """Insert a new proposal (status proposed, shared with nobody)."""
        row = SharedAimsRow(
            partnership_id=partnership_id,
            aims=list(aims),
            proposed_by=proposed_by,
            status=PROPOSED,
            proposed_at=now,
            shared_with_team=[],
        )
        self._session.add(row)
        await self._session.flush()
        return to_shared_aims(row)

    async def get(self, proposal_id: int) -> SharedAims | None:
        """The proposal with this id, or None."""
        return await self._first(select(SharedAimsRow).where(SharedAimsRow.id == proposal_id))

    async def open_proposal(self, partnership_id: int) -> SharedAims | None:
        """The latest proposal still waiting for an answer, or None."""
        return await self._latest(partnership_id, PROPOSED)

    async def agreed(self, partnership_id: int) -> SharedAims | None:
        """The aims both partners agreed most recently, or None."""
        return await self._latest(partnership_id, AGREED)

    async def supersede_open(self, partnership_id: int) -> int:
        """Mark every open proposal of the partnership superseded; return how many."""
        result: Any = await self._session.execute(
            update(SharedAimsRow)
            .where(SharedAimsRow.partnership_id == partnership_id, SharedAimsRow.status == PROPOSED)
            .values(status=SUPERSEDED)
        )
        return int(result.rowcount)

    async def agree(self, proposal_id: int, now: datetime) -> bool:
        """Agree an open proposal (earlier agreed aims become superseded); False if it was not open."""
        proposal = await self.get(proposal_id)
        if proposal is None or proposal.status != PROPOSED:
            return False
        await self._session.execute(
            update(SharedAimsRow)
            .where(SharedAimsRow.partnership_id == proposal.partnership_id, SharedAimsRow.status == AGREED)
            .values(status=SUPERSEDED)
        )
        result: Any = await self._session.execute(
            update(SharedAimsRow)
            .where(SharedAimsRow.id == proposal_id, SharedAimsRow.status == PROPOSED)
            .values(status=AGREED, agreed_at=now)
        )
        return int(result.rowcount) == 1

    async def share_with_team(self, proposal_id: int, participant_id: int) -> list[int]:
        """Record that this person chose to share these aims; return everyone who has."""
        statement = (
            select(SharedAimsRow)
            .where(SharedAimsRow.id == proposal_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        row = (await self._session.scalars(statement)).one_or_none()
        if row is None:
            raise missing("shared aims", proposal_id)
        if participant_id not in row.shared_with_team:
            # A new list, so the JSON column is seen as changed.
            row.shared_with_team = [*row.shared_with_team, participant_id]
            await self._session.flush()
        return list(row.shared_with_team)

    async def save_rating(
        self, partnership_id: int, participant_id: int, stage: str, ratings: Sequence[int], now: datetime
    ) -> None:
        """Insert or replace this person's ratings for the stage."""
        upsert = session_insert(self._session, AimRatingRow)
        await self._session.execute(
            upsert.values(
                partnership_id=partnership_id,
                participant_id=participant_id,
                stage=stage,
                ratings=list(ratings),
                created_at=now,
            ).on_conflict_do_update(
                index_elements=[AimRatingRow.partnership_id, AimRatingRow.participant_id, AimRatingRow.stage],
                set_={"ratings": list(ratings), "created_at": now},
            )
        )

    async def ratings(self, partnership_id: int, stage: str | None = None) -> list[AimRating]:
        """Ratings given for the partnership (one stage, or all), by stage then participant."""
        statement = select(AimRatingRow).where(AimRatingRow.partnership_id == partnership_id)
        if stage is not None:
            statement = statement.where(AimRatingRow.stage == stage)
        statement = statement.order_by(AimRatingRow.stage, AimRatingRow.participant_id).execution_options(
            populate_existing=True
        )
        return [AimRating(r.participant_id, r.stage, tuple(r.ratings)) for r in await self._session.scalars(statement)]

    async def aims_status(self, partnership_id: int) -> AimsStatus:
        """For facilitators: whether aims are agreed; their content only if both partners shared."""
        partnership = await self._session.get(PartnershipRow, partnership_id)
        if partnership is None:
            raise missing("partnership", partnership_id)
        return aims_status_of(await self.agreed(partnership_id), to_partnership(partnership))

    async def _latest(self, partnership_id: int, status: str) -> SharedAims | None:
        return await self._first(
            select(SharedAimsRow)
            .where(SharedAimsRow.partnership_id == partnership_id, SharedAimsRow.status == status)
            .order_by(SharedAimsRow.id.desc())
            .limit(1)
        )

    async def _first(self, statement: Any) -> SharedAims | None:
        row = (await self._session.scalars(statement.execution_options(populate_existing=True))).first()
        return to_shared_aims(row) if row is not None else None
