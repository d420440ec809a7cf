"""Guide progress repository (implements domain.core.ports.GuideRepo)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import case, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.guide.model import RecentProgress
from storage.bulk_insert import BulkInsert, Column
from storage.repo_common import around, id_chunks, one_of, rows_affected, session_insert
from storage.tables import GuideProgressRow, GuideSavedRow


def _joined(session: AsyncSession, column: Any) -> Any:
    """The column's values in a group, comma-separated (prompt ids hold no commas)."""
    if session.get_bind().dialect.name == "postgresql":
        return func.string_agg(column, ",")
    return func.group_concat(column, ",")


PROGRESS_ROWS = BulkInsert(
    "guide_progress",
    (Column("partnership_id", "int"), Column("prompt_id", "varchar"), Column("queued_at", "timestamptz", is_time=True)),
    "partnership_id, prompt_id",
)


class SqlGuideRepo:
    """Which prompts each partnership was sent, and what each person saved for later."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def delivered(self, partnership_id: int) -> list[str]:
        """Prompt ids already queued for the partnership, oldest first."""
        statement = (
            select(GuideProgressRow.prompt_id)
            .where(GuideProgressRow.partnership_id == partnership_id)
            .order_by(GuideProgressRow.queued_at, GuideProgressRow.prompt_id)
        )
        return list(await self._session.scalars(statement))

    async def sent_since(self, partnership_id: int, since: datetime) -> int:
        """How many prompts were queued for the partnership after `since` (a week later, the slot is free)."""
        statement = select(func.count()).where(
            GuideProgressRow.partnership_id == partnership_id, GuideProgressRow.queued_at > since
        )
        return int(await self._session.scalar(statement) or 0)

    async def record(self, partnership_id: int, prompt_ids: Sequence[str], now: datetime) -> int:
        """Note prompts as sent; ids already recorded are ignored. Returns how many were new."""
        if not prompt_ids:
            return 0
        statement = (
            session_insert(self._session, GuideProgressRow)
            .values([{"partnership_id": partnership_id, "prompt_id": p, "queued_at": now} for p in prompt_ids])
            .on_conflict_do_nothing()
        )
        return rows_affected(await self._session.execute(statement))

    async def recent(
        self, partnership_ids: Sequence[int], since: datetime, week_ago: datetime
    ) -> dict[int, RecentProgress]:
        """Per partnership, the prompts queued after `since` and how many after `week_ago`: one row per
        partnership, aggregated in SQL from the (partnership, queued_at, prompt) index alone."""
        ids = set(partnership_ids)
        this_week = func.sum(case((GuideProgressRow.queued_at > week_ago, 1), else_=0))
        found: dict[int, RecentProgress] = {}
        # Pairs of a cohort mostly had the same prompts: each distinct list is read once.
        seen: dict[tuple[str, int], RecentProgress] = {}
        for chunk in id_chunks(sorted(ids)):
            statement = (
                select(GuideProgressRow.partnership_id, _joined(self._session, GuideProgressRow.prompt_id), this_week)
                .where(
                    around(self._session, GuideProgressRow.partnership_id, chunk), GuideProgressRow.queued_at > since
                )
                .group_by(GuideProgressRow.partnership_id)
            )
            for partnership_id, prompts, count in (await self._session.execute(statement)).all():
                if partnership_id in ids:
                    key = (prompts, int(count))
                    progress = seen.get(key)
                    if progress is None:
                        progress = seen[key] = RecentProgress(frozenset(prompts.split(",")), key[1])
                    found[partnership_id] = progress
        return found

    async def delivered_many(self, partnership_ids: Sequence[int]) -> dict[int, list[str]]:
        """`delivered` for many partnerships: one query per chunk of ids."""
        found: dict[int, list[str]] = {}
        for chunk in id_chunks(sorted(set(partnership_ids))):
            statement = (
                select(GuideProgressRow.partnership_id, GuideProgressRow.prompt_id)
                .where(one_of(self._session, GuideProgressRow.partnership_id, chunk))
                .order_by(GuideProgressRow.partnership_id, GuideProgressRow.queued_at, GuideProgressRow.prompt_id)
            )
            for partnership_id, prompt_id in (await self._session.execute(statement)).all():
                found.setdefault(partnership_id, []).append(prompt_id)
        return found

    async def record_all(self, delivered: Sequence[tuple[int, str]], now: datetime) -> int:
        """Note (partnership id, prompt id) pairs as sent, one statement for all; how many were new."""
        return await PROGRESS_ROWS.run(self._session, [(pid, prompt, now) for pid, prompt in delivered])

    async def save(self, participant_id: int, prompt_id: str, now: datetime) -> None:
        """Keep a prompt for later (idempotent)."""
        statement = (
            session_insert(self._session, GuideSavedRow)
            .values(participant_id=participant_id, prompt_id=prompt_id, saved_at=now)
            .on_conflict_do_nothing()
        )
        await self._session.execute(statement)

    async def unsave(self, participant_id: int, prompt_id: str) -> None:
        """Forget a saved prompt."""
        await self._session.execute(
            delete(GuideSavedRow).where(
                GuideSavedRow.participant_id == participant_id, GuideSavedRow.prompt_id == prompt_id
            )
        )

    async def saved(self, participant_id: int) -> list[str]:
        """Prompt ids the person saved, oldest first."""
        statement = (
            select(GuideSavedRow.prompt_id)
            .where(GuideSavedRow.participant_id == participant_id)
            .order_by(GuideSavedRow.saved_at, GuideSavedRow.prompt_id)
        )
        return list(await self._session.scalars(statement))
