"""The bulk side of the meetings storage seam (core/ports.py's MeetingsRepo includes it)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from domain.meetings.model import Meeting


class MeetingsInBulk(Protocol):
    async def open_or_since(self, partnership_ids: Sequence[int], since: datetime) -> dict[int, list[Meeting]]:
        """Per partnership, its meetings still proposed or starting or created at or after `since`,
        newest first, without the private answers."""
        ...

    async def met_starts(self, partnership_ids: Sequence[int]) -> dict[int, list[datetime]]:
        """Per partnership, the starts of meetings the pair said happened (or logged), earliest first."""
        ...

    async def create_all(self, drafts: Sequence[Meeting], now: datetime) -> list[Meeting]:
        """Insert the drafts (their ids are ignored) and return them as stored, in order."""
        ...


class MeetingsPersonal(Protocol):
    async def forget_participant(self, participant_id: int) -> int:
        """Delete the person's reflections and "did you meet?" answers, and clear the agenda and place of
        the meetings they proposed (no longer naming them as proposer); return how many rows changed."""
        ...

    async def forget_ended_before(self, cutoff: datetime) -> int:
        """For partnerships that ended before `cutoff`: clear their meetings' agenda and place and delete
        the answers; return how many rows changed."""
        ...
