"""The bulk side of the partnership-health storage seam (core/ports.py's HealthRepo includes it)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from domain.core.model import NudgeRecord
from domain.health.model import Activity


class HealthInBulk(Protocol):
    async def activity(self, partnership_ids: Sequence[int], now: datetime) -> dict[int, Activity]:
        """Last activity and whether a meeting is booked ahead, per partnership (none with no meetings)."""
        ...

    async def idle_since(self, partnership_ids: Sequence[int], since: datetime, now: datetime) -> dict[int, Activity]:
        """`activity` of only those partnerships with no activity after `since` and no meeting booked ahead
        (with no meetings at all: an empty Activity); the others cannot be quiet."""
        ...

    async def nudges_for(self, partnership_ids: Sequence[int]) -> dict[int, list[NudgeRecord]]:
        """Every nudge of each partnership, oldest first (partnerships never nudged are left out)."""
        ...

    async def record_nudges(self, nudges: Sequence[tuple[int, int | None, int]], now: datetime) -> None:
        """Note many (partnership id, participant id or None for facilitators, step) nudges as sent."""
        ...


class HealthPersonal(Protocol):
    async def forget_participant(self, participant_id: int) -> int:
        """Delete the person's check-in answers and the record of nudges sent to them; how many."""
        ...

    async def forget_ended_before(self, cutoff: datetime) -> int:
        """Delete check-ins and nudges of partnerships that ended before `cutoff`; how many."""
        ...
