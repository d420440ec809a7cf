"""The storage seams the domain depends on, as small Protocols.

`storage/` implements them with SQLAlchemy; a unit of work groups the repositories
that must change together in one transaction (e.g. a new partnership and the
introduction messages for both partners).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import AsyncContextManager, Protocol, Sequence

from domain.model import (
    Cohort,
    ConversationRef,
    Group,
    NewOutboxMessage,
    OutboxMessage,
    Participant,
    Partnership,
    ProfileAnswer,
    Role,
)


class CohortRepo(Protocol):
    async def create(self, name: str, join_code: str, start_date: date, length_months: int,
                     profile_questions: list[str], now: datetime) -> Cohort: ...
    async def get(self, cohort_id: int) -> Cohort | None: ...
    async def by_join_code(self, join_code: str) -> Cohort | None: ...
    async def list_all(self) -> list[Cohort]: ...


class ParticipantRepo(Protocol):
    async def upsert_identity(self, channel_id: str, user_id: str, name: str,
                              aad_object_id: str, now: datetime) -> Participant: ...
    async def get(self, participant_id: int) -> Participant | None: ...
    async def find_by_user(self, channel_id: str, user_id: str) -> Participant | None: ...
    async def set_email(self, participant_id: int, email: str) -> None: ...
    async def set_role(self, participant_id: int, role: Role) -> None: ...
    async def record_consent(self, participant_id: int, accepted: bool, now: datetime) -> None: ...
    async def save_enrolment(self, participant_id: int, cohort_id: int, group: Group,
                             answers: Sequence[ProfileAnswer], meeting_rhythm: str,
                             meeting_format: str, time_zone: str, now: datetime) -> None: ...
    async def profile(self, participant_id: int) -> list[ProfileAnswer]: ...
    async def list_in_cohort(self, cohort_id: int) -> list[Participant]: ...
    async def list_all(self) -> list[Participant]: ...
    async def mark_unreachable(self, participant_id: int, now: datetime) -> None: ...


class PartnershipRepo(Protocol):
    async def create(self, cohort_id: int, partner_a_id: int, partner_b_id: int,
                     started_on: date, now: datetime) -> Partnership: ...
    async def get(self, partnership_id: int) -> Partnership | None: ...
    async def current_for(self, participant_id: int) -> Partnership | None: ...
    async def list_for_cohort(self, cohort_id: int) -> list[Partnership]: ...
    async def end(self, partnership_id: int, reason: str, now: datetime) -> None: ...


class ConversationRepo(Protocol):
    async def upsert(self, ref: ConversationRef, now: datetime) -> None: ...
    async def get(self, participant_id: int) -> ConversationRef | None: ...


class OutboxRepo(Protocol):
    async def enqueue(self, messages: Sequence[NewOutboxMessage], now: datetime) -> int:
        """Insert messages whose idempotency key is new; return how many were inserted."""
        ...

    async def list_for(self, participant_id: int) -> list[OutboxMessage]: ...


class UnitOfWork(Protocol):
    cohorts: CohortRepo
    participants: ParticipantRepo
    partnerships: PartnershipRepo
    conversations: ConversationRepo
    outbox: OutboxRepo


class Store(Protocol):
    def transaction(self) -> AsyncContextManager[UnitOfWork]:
        """One database transaction; committed on normal exit, rolled back on error."""
        ...
