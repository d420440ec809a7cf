"""The one shape of scheduled work: every capability's `run_due(ctx, now)` takes this context.

`scheduling/` builds one JobContext at start-up and calls each capability's `run_due` on a
timer; each returns how many messages it queued. Nothing here holds state between runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from domain.core.clock import Clock
from domain.core.identity import FacilitatorDirectory
from domain.core.links import Links, NoLinks
from domain.core.ports import Store
from domain.core.timing import WorkingHours
from domain.guide.model import Guide


@dataclass(frozen=True)
class JobSettings:
    """The settings scheduled work needs (read from config by the composition root)."""

    hours: WorkingHours = field(default_factory=WorkingHours)
    guide_max_per_week: int = 2
    meeting_reminders: tuple[timedelta, ...] = (timedelta(hours=24), timedelta(hours=1))


@dataclass(frozen=True)
class JobContext:
    """Everything a capability's `run_due(ctx, now)` may use."""

    store: Store
    clock: Clock
    guide: Guide
    settings: JobSettings = field(default_factory=JobSettings)
    links: Links = field(default_factory=NoLinks)
    facilitators: FacilitatorDirectory = field(default_factory=FacilitatorDirectory)
