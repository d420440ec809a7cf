"""The audit trail: ids only, known actions only, newest first, and how it reads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.audit.model import AuditPage
from domain.audit.service import recent_audit, record_event
from domain.audit.wording import audit_reply
from storage.store import SqlStore

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


async def test_entries_come_back_newest_first_with_a_note_when_older_ones_exist(engine: AsyncEngine) -> None:
    store = SqlStore(engine)
    async with store.transaction() as uow:
        for n in range(4):
            await record_event(uow, 7, "export_own_data", 7, NOW + timedelta(minutes=n))
        await record_event(uow, None, "purge", None, NOW + timedelta(hours=1))
    page = await recent_audit(store, shown=3)
    assert [e.action for e in page.entries] == ["purge", "export_own_data", "export_own_data"]
    assert page.more
    text = audit_reply(page).text
    assert "The companion deleted personal data past the retention period" in text
    assert "participant #7 opened a copy of their own data" in text
    assert "Older entries are kept" in text


async def test_an_entry_is_kept_only_when_its_transaction_commits(engine: AsyncEngine) -> None:
    store = SqlStore(engine)
    with pytest.raises(RuntimeError):
        async with store.transaction() as uow:
            await record_event(uow, 1, "erase_participant", 2, NOW)
            raise RuntimeError("the erasure failed")
    assert (await recent_audit(store)).entries == []


async def test_free_text_cannot_be_recorded_as_an_action(engine: AsyncEngine) -> None:
    async with SqlStore(engine).transaction() as uow:
        with pytest.raises(ValueError):
            await record_event(uow, 1, "Chris said something private", None, NOW)


def test_an_empty_trail_says_what_will_appear() -> None:
    assert "Nothing has been recorded yet" in audit_reply(AuditPage([], False)).text
