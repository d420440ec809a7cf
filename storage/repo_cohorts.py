"""Cohort repository (implements domain.core.ports.CohortRepo)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.core.model import Cohort
from storage.repo_common import missing
from storage.tables import CohortRow


def normalise_join_code(join_code: str) -> str:
    """Join codes are stored upper-case without surrounding spaces, so matching ignores case."""
    return join_code.strip().upper()


def to_cohort(row: CohortRow) -> Cohort:
    """Map a table row to the domain dataclass."""
    return Cohort(
        id=row.id,
        name=row.name,
        join_code=row.join_code,
        start_date=row.start_date,
        length_months=row.length_months,
        profile_questions=list(row.profile_questions),
        created_at=row.created_at,
        quiet_weeks=row.quiet_weeks,
        inactive_weeks=row.inactive_weeks,
    )


class SqlCohortRepo:
    """Cohorts in the `cohorts` table."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def create(
        self,
        name: str,
        join_code: str,
        start_date: date,
        length_months: int,
        profile_questions: list[str],
        now: datetime,
    ) -> Cohort:
        """Insert a cohort; the join code must be unique (case-insensitively)."""
        row = CohortRow(
            name=name,
            join_code=normalise_join_code(join_code),
            start_date=start_date,
            length_months=length_months,
            profile_questions=list(profile_questions),
            created_at=now,
        )
        self._session.add(row)
        await self._session.flush()
        return to_cohort(row)

    async def get(self, cohort_id: int) -> Cohort | None:
        """The cohort with this id, or None."""
        row = await self._session.get(CohortRow, cohort_id)
        return to_cohort(row) if row is not None else None

    async def by_join_code(self, join_code: str) -> Cohort | None:
        """The cohort whose join code matches, ignoring case and surrounding spaces."""
        statement = select(CohortRow).where(CohortRow.join_code == normalise_join_code(join_code))
        row = (await self._session.scalars(statement)).one_or_none()
        return to_cohort(row) if row is not None else None

    async def list_all(self) -> list[Cohort]:
        """Every cohort, oldest first."""
        rows = await self._session.scalars(select(CohortRow).order_by(CohortRow.id))
        return [to_cohort(row) for row in rows]

    async def set_thresholds(self, cohort_id: int, quiet_weeks: int, inactive_weeks: int) -> None:
        """Weeks without a meeting before the cohort's pairs count as quiet / inactive (0 < quiet < inactive)."""
        if not 0 < quiet_weeks < inactive_weeks:
            raise ValueError("thresholds must satisfy 0 < quiet_weeks < inactive_weeks")
        row = await self._session.get(CohortRow, cohort_id)
        if row is None:
            raise missing("cohort", cohort_id)
        row.quiet_weeks, row.inactive_weeks = quiet_weeks, inactive_weeks
        await self._session.flush()
