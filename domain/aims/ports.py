"""The bulk side of the aims storage seam (core/ports.py's AimsRepo includes it)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from domain.aims.model import AimsProgress, SharedAims


class AimsInBulk(Protocol):
    async def progress(self, partnership_ids: Sequence[int]) -> dict[int, AimsProgress]:
        """How far each partnership has got with its aims (one with nothing yet is left out)."""
        ...


class AimsPersonal(Protocol):
    async def proposals(self, partnership_id: int) -> list[SharedAims]:
        """Every proposal of shared aims in the partnership, oldest first."""
        ...

    async def forget_participant(self, participant_id: int) -> int:
        """Delete the person's hopes and ratings and the aims they proposed; return how many."""
        ...

    async def forget_ended_before(self, cutoff: datetime) -> int:
        """Delete hopes, aims and ratings of partnerships that ended before `cutoff`; how many."""
        ...
