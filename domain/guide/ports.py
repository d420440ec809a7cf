"""The bulk side of the guide's storage seam (core/ports.py's GuideRepo includes it)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from domain.guide.model import RecentProgress


class GuideInBulk(Protocol):
    async def recent(
        self, partnership_ids: Sequence[int], since: datetime, week_ago: datetime
    ) -> dict[int, RecentProgress]:
        """Per partnership, the prompts queued after `since` and how many after `week_ago` (none: left out)."""
        ...

    async def delivered_many(self, partnership_ids: Sequence[int]) -> dict[int, list[str]]:
        """Per partnership, the prompt ids queued for it, oldest first (none yet: left out)."""
        ...

    async def record_all(self, delivered: Sequence[tuple[int, str]], now: datetime) -> int:
        """Note (partnership id, prompt id) pairs as sent; pairs already noted are ignored. How many were new."""
        ...


class GuidePersonal(Protocol):
    async def forget_saved(self, participant_id: int) -> int:
        """Delete the prompts the person saved for later; return how many."""
        ...
