"""Each capability owns the personal data it stores: it can export it, erase it, and purge it.

`PersonalData` is the one protocol: every capability with a table that holds a participant id
implements it in its own `personal.py`, and domain/privacy/registry.py lists them all. A test
(tests/domain/privacy/test_coverage.py) reads the database schema and fails when a table
holding a participant id is named by no implementation's `tables`, so a new capability cannot
forget its people's data.

- `export`: what this capability holds about the person, as plain JSON-ready values.
- `traces`: what identifies the person (name, email) and the free text they wrote, as kept
  here: copies of it elsewhere (messages queued to others, someone's half-finished
  conversation) are swept on erasure.
- `erase`: remove what they wrote and what identifies them (the `erase me` command, and the
  retention purge of someone whose programme ended long ago).
- `purge_before`: forget records that belong to nobody current any more and are older than
  the retention cutoff (ended partnerships, closed polls, finished messages); counts only
  that were already suppressed may be kept.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from domain.core.ports import UnitOfWork

Exported = dict[str, Any]
FORMER_NAME = "Former participant"  # how an erased person appears to facilitators and former partners


class PersonalData(Protocol):
    """One capability's personal data."""

    @property
    def section(self) -> str:
        """The heading of its part of the `my data` page."""
        ...

    @property
    def tables(self) -> tuple[str, ...]:
        """Every table it keeps personal data in (checked against the schema by a test)."""
        ...

    async def export(self, uow: UnitOfWork, participant_id: int) -> Exported:
        """Everything held about the person here, word for word."""
        ...

    async def traces(self, uow: UnitOfWork, participant_id: int) -> list[str]:
        """What identifies the person, and the free text they wrote, as this capability keeps it."""
        ...

    async def erase(self, uow: UnitOfWork, participant_id: int, now: datetime) -> None:
        """Remove what the person wrote and what identifies them."""
        ...

    async def purge_before(self, uow: UnitOfWork, cutoff: datetime) -> int:
        """Forget records of what ended before `cutoff`; how many were removed or cleared."""
        ...


def when(at: datetime | None) -> str:
    """A time as the export shows it (ISO 8601 UTC, or "")."""
    return at.isoformat() if at is not None else ""
