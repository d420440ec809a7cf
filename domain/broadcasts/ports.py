"""The storage seam for broadcasts (UnitOfWork.broadcasts; storage/repo_broadcasts.py implements it)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from domain.broadcasts.model import Broadcast, BroadcastStatus, Delivery, Draft, PairFacts, Selection
from domain.core.model import OutboxStatus


class BroadcastsPersonal(Protocol):
    async def created_by(self, participant_id: int) -> list[Broadcast]:
        """Broadcasts the person wrote, oldest first."""
        ...

    async def forget_author(self, participant_id: int) -> int:
        """Broadcasts the person wrote no longer name them; how many."""
        ...


class BroadcastRepo(BroadcastsPersonal, Protocol):
    """Stored broadcasts, who their audiences cover, and their per-recipient outbox rows."""

    async def create(
        self,
        draft: Draft,
        created_by: int | None,
        send_at: datetime,
        now: datetime,
        status: BroadcastStatus = BroadcastStatus.SCHEDULED,
    ) -> Broadcast:
        """Store a broadcast; its rows are inserted in the background once it is `sending`."""
        ...

    async def get(self, broadcast_id: int) -> Broadcast | None: ...
    async def recent(self, limit: int) -> list[Broadcast]:
        """The latest broadcasts, newest first."""
        ...

    async def unfinished(self) -> list[Broadcast]:
        """Broadcasts scheduled, or having rows inserted, soonest first."""
        ...

    async def take_next(self, now: datetime) -> Broadcast | None:
        """The next broadcast with rows to insert (sending, resending, or scheduled and due), locked
        until the transaction ends; one another worker holds is skipped. None when there is none."""
        ...

    async def lock(self, broadcast_id: int) -> Broadcast | None:
        """The broadcast, locked until the transaction ends (waits for a batch being inserted)."""
        ...

    async def advance(
        self, broadcast_id: int, status: BroadcastStatus, through: int, added: int, sent_at: datetime | None
    ) -> None:
        """Move the cursor to `through`, add `added` recipients, set the status (and `sent_at` when given)."""
        ...

    async def enrolled_after(self, selection: Selection, as_of: datetime, after: int, limit: int) -> list[int]:
        """Up to `limit` ids above `after` of people the selection covers, enrolled by `as_of`, in order."""
        ...

    async def count_enrolled(self, selection: Selection, as_of: datetime) -> int:
        """How many people the selection covers, enrolled by `as_of`."""
        ...

    async def partnered_after(self, after: int, limit: int, as_of: datetime) -> tuple[list[int], list[PairFacts]]:
        """Up to `limit` ids above `after` of people in a current partnership, in order, and the facts
        (at `as_of`) of those partnerships."""
        ...

    async def queue(
        self, broadcast_id: int, participant_ids: Sequence[int], attempt: int, payload: dict[str, Any], now: datetime
    ) -> int:
        """Insert each participant's outbox row for `attempt` (key `broadcast:<id>:<participant>:<attempt>`,
        due now) unless the key exists; return how many were new."""
        ...

    async def summary(self, broadcast_id: int) -> dict[OutboxStatus, int]:
        """How many recipients' latest attempt is in each status (grouped in the database)."""
        ...

    async def unreachable_names(self, broadcast_id: int, limit: int) -> list[str]:
        """Names of up to `limit` recipients whose latest attempt found them unreachable, by id."""
        ...

    async def failed_after(self, broadcast_id: int, after: int, limit: int) -> list[Delivery]:
        """Up to `limit` recipients above `after` whose latest attempt is dead (that attempt), by id."""
        ...

    async def withdraw_pending(self, broadcast_id: int) -> int:
        """Cancel the broadcast's rows not yet claimed for sending; return how many."""
        ...

    async def deliveries(self, broadcast_id: int) -> list[Delivery]:
        """Every outbox row of the broadcast (all attempts)."""
        ...
