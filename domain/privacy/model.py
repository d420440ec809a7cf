"""What the privacy use cases return."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class MyData:
    """Everything held about one person, section by section (only sections holding something)."""

    participant_id: int
    generated_at: datetime
    sections: dict[str, dict[str, Any]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON document the `my data` page offers."""
        return {"generated_at": self.generated_at.isoformat(), "sections": self.sections}


@dataclass(frozen=True)
class DataLink:
    """The signed link to the `my data` page ("" when no page is served)."""

    url: str
    queued: bool = False


@dataclass(frozen=True)
class Erased:
    """An `erase me` that happened; `partner_told` when an active partnership ended kindly."""

    partner_told: bool
    queued: bool = False


@dataclass(frozen=True)
class Purged:
    """One retention run: people erased, and records of ended things removed."""

    people: int = 0
    records: int = 0

    @property
    def total(self) -> int:
        return self.people + self.records
