"""What scheduled work reads and writes a chunk at a time: the bulk side of the shared repositories.

`domain/core/ports.py` composes these into ParticipantRepo, PartnershipRepo and OutboxRepo, so a
job asks one query for a thousand partnerships instead of one per partnership.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

from domain.core.budget import BudgetView, Held
from domain.core.model import Cohort, Participant, Partnership


@dataclass(frozen=True)
class ActiveChunk:
    """A page of active partnerships as scheduled work reads it, with each partner's time zone."""

    partnerships: list[Partnership]
    zones: dict[int, str] = field(default_factory=dict)  # participant id -> time zone (partners that exist)
    cohorts: dict[int, Cohort] = field(default_factory=dict)  # every cohort by id (filled in by core/jobs.py)

    @property
    def ids(self) -> list[int]:
        return [p.id for p in self.partnerships]

    def both_known(self, partnership: Partnership) -> bool:
        """Whether both partners' records exist (a partnership missing one is left alone)."""
        return partnership.partner_a_id in self.zones and partnership.partner_b_id in self.zones


class ParticipantsInBulk(Protocol):
    async def get_many(self, participant_ids: Sequence[int]) -> dict[int, Participant]:
        """The participants with these ids that exist, by id."""
        ...

    async def time_zones(self, participant_ids: Sequence[int]) -> dict[int, str]:
        """Each existing participant's time zone, by id."""
        ...

    async def enrolled_zones(self, cohort_id: int) -> dict[int, str]:
        """Everyone enrolled in the cohort, with their time zone, by id."""
        ...

    async def facilitator_ids(self) -> list[int]:
        """Everyone granted the facilitator role in chat, by id (FACILITATORS entries: core/facilitators.py)."""
        ...

    async def mark_all_unreachable_alerted(self, participant_ids: Sequence[int], now: datetime) -> None: ...


class PartnershipsInBulk(Protocol):
    async def active_page(self, after_id: int, limit: int) -> ActiveChunk:
        """Up to `limit` active partnerships with an id above `after_id`, in id order, with the partners'
        time zones (one chunk of scheduled work, one query)."""
        ...

    async def get_many(self, partnership_ids: Sequence[int]) -> dict[int, Partnership]: ...
    async def lock_many(self, partnership_ids: Sequence[int]) -> None:
        """Serialise changes to these partnerships until the transaction ends."""
        ...

    async def resume_all(self, partnership_ids: Sequence[int], today: date) -> None:
        """Make paused partnerships active again from `today`, forgetting pause dates and reasons."""
        ...


class OutboxBudget(Protocol):
    """The daily budget's reads and writes (domain/core/budget_pass.py and budget_queue.py)."""

    async def lock_budget(self) -> None:
        """Hold off other replicas' budget decisions until this transaction ends."""
        ...

    async def budget_view(
        self, participant_ids: Sequence[int], since: datetime, until: datetime, zones: Mapping[int, str] | None = None
    ) -> BudgetView:
        """`budget_spent` for these people, the keys of their budgeted messages in [since, until), and their
        time zones (`zones` when the caller has them, else read: those who exist), in one read."""
        ...

    async def held(self, until: datetime) -> list[Held]:
        """Planned (budgeted, not yet promoted) messages due before `until`, by person then id."""
        ...

    async def budgeted_around(self, since: datetime, until: datetime) -> list[tuple[int, str, datetime, str]]:
        """Every budgeted message due in [since, until), whatever its status: (person, key, due, status)."""
        ...

    async def budget_spent(
        self, participant_ids: Sequence[int], since: datetime, until: datetime
    ) -> dict[int, list[datetime]]:
        """Per person, the due times in [since, until) of budgeted messages already promoted."""
        ...

    async def promote(self, ids: Sequence[int]) -> int:
        """Make planned messages pending (sendable from their due time); return how many."""
        ...

    async def postpone(self, moves: Sequence[tuple[int, datetime]]) -> None:
        """Give planned messages (id, later due time) a later day; they stay planned."""
        ...
