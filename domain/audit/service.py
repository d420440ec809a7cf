"""Audit use cases: record an action (inside another service's transaction) and read the trail."""

from __future__ import annotations

from domain.audit.model import SHOWN, AuditPage
from domain.core.audit import record_event
from domain.core.ports import Store

__all__ = ["recent_audit", "record_event"]


async def recent_audit(store: Store, shown: int = SHOWN) -> AuditPage:
    """The newest `shown` entries (facilitators only; checked by the caller)."""
    async with store.reading() as uow:
        entries = await uow.audit.recent(shown + 1)
    return AuditPage(entries[:shown], len(entries) > shown)
