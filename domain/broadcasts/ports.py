"""The storage seam for broadcasts (UnitOfWork.broadcasts; storage/repo_broadcasts.py implements it)."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from domain.broadcasts.model import Broadcast, Delivery, Draft


class BroadcastRepo(Protocol):
    """Stored broadcasts; their per-recipient delivery rows are read back from the outbox."""

    async def create(self, draft: Draft, created_by: int | None, send_at: datetime, now: datetime) -> Broadcast:
        """Store a scheduled broadcast (one due now is sent straight away by the caller)."""
        ...

    async def get(self, broadcast_id: int) -> Broadcast | None: ...
    async def recent(self, limit: int) -> list[Broadcast]:
        """The latest broadcasts, newest first."""
        ...

    async def scheduled(self) -> list[Broadcast]:
        """Broadcasts still waiting for their time, soonest first."""
        ...

    async def due(self, now: datetime, stale_before: datetime) -> list[int]:
        """Scheduled ones due at `now`, and ones left `sending` since before `stale_before` (a crash)."""
        ...

    async def start_sending(self, broadcast_id: int) -> bool:
        """Move scheduled -> sending; False when it was not scheduled (cancelled, or already taken)."""
        ...

    async def finish(self, broadcast_id: int, recipients: int, now: datetime) -> None:
        """Mark sent with the number of recipients."""
        ...

    async def cancel(self, broadcast_id: int) -> bool:
        """Cancel a scheduled broadcast; False when it was not scheduled."""
        ...

    async def deliveries(self, broadcast_id: int) -> list[Delivery]:
        """Every outbox row of the broadcast (all attempts)."""
        ...
