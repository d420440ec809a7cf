"""A cohort with one partnership, for storage contract tests."""

from __future__ import annotations

from datetime import UTC, date, datetime

from storage.store import SqlStore

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


async def partnership_of_two(store: SqlStore, code: str) -> tuple[int, int, int]:
    """A cohort `code` with Ada and Sam as partners; returns (partnership, ada, sam) ids."""
    async with store.transaction() as uow:
        cohort = await uow.cohorts.create("Spring", code, date(2027, 3, 1), 12, ["a", "b", "c"], NOW)
        a = await uow.participants.upsert_identity("msteams", f"29:a-{code}", "Ada", "", NOW)
        b = await uow.participants.upsert_identity("msteams", f"29:b-{code}", "Sam", "", NOW)
        partnership = await uow.partnerships.create(cohort.id, a.id, b.id, date(2027, 3, 1), NOW)
    return partnership.id, a.id, b.id
