"""The bulk side of the aims storage seam (core/ports.py's AimsRepo includes it)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from domain.aims.model import AimsProgress


class AimsInBulk(Protocol):
    async def progress(self, partnership_ids: Sequence[int]) -> dict[int, AimsProgress]:
        """How far each partnership has got with its aims (one with nothing yet is left out)."""
        ...
