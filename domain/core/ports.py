"""The storage seams the domain depends on, as small Protocols.

`storage/` implements them with SQLAlchemy; a unit of work groups the repositories
that must change together in one transaction (e.g. a new partnership and the
introduction messages for both partners).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from contextlib import AbstractAsyncContextManager as AsyncContextManager
from datetime import date, datetime
from typing import Protocol

from domain.aims.model import AimRating, AimsStatus, Hopes, SharedAims
from domain.aims.ports import AimsInBulk, AimsPersonal
from domain.broadcasts.ports import BroadcastRepo
from domain.core.audit import AuditRepo
from domain.core.bulk_ports import OutboxBudget, ParticipantsInBulk, PartnershipsInBulk
from domain.core.model import (
    CheckinRecord,
    Cohort,
    ConversationRef,
    Group,
    NewOutboxMessage,
    NudgeRecord,
    OutboxMessage,
    Participant,
    Partnership,
    PartnershipStatus,
    ProfileAnswer,
    Role,
)
from domain.core.personal_ports import (
    ConversationsPersonal,
    DialogStateRepo,
    OutboxPersonal,
    ParticipantsPersonal,
    PartnershipsPersonal,
)
from domain.core.pins import FacilitatorPinRepo
from domain.dashboard.ports import DashboardRepo
from domain.guide.ports import GuideInBulk, GuidePersonal
from domain.health.ports import HealthInBulk, HealthPersonal
from domain.meetings.model import Answer, Meeting, Reflection
from domain.meetings.ports import MeetingsInBulk, MeetingsPersonal
from domain.polls.ports import PollsRepo
from domain.sessions.ports import SessionsRepo


class CohortRepo(Protocol):
    async def create(
        self,
        name: str,
        join_code: str,
        start_date: date,
        length_months: int,
        profile_questions: list[str],
        now: datetime,
    ) -> Cohort: ...
    async def get(self, cohort_id: int) -> Cohort | None: ...
    async def by_join_code(self, join_code: str) -> Cohort | None: ...
    async def list_all(self) -> list[Cohort]: ...
    async def set_thresholds(self, cohort_id: int, quiet_weeks: int, inactive_weeks: int) -> None:
        """Weeks without a meeting before the cohort's pairs count as quiet / inactive (0 < quiet < inactive)."""
        ...


class ParticipantRepo(ParticipantsInBulk, ParticipantsPersonal, Protocol):
    async def upsert_identity(
        self, channel_id: str, user_id: str, name: str, aad_object_id: str, now: datetime, tenant_id: str = ""
    ) -> Participant:
        """Create or refresh a person; their tenant is kept from the first message that names one."""
        ...

    async def get(self, participant_id: int) -> Participant | None: ...
    async def find_by_user(self, channel_id: str, user_id: str) -> Participant | None: ...
    async def set_email(self, participant_id: int, email: str) -> None: ...
    async def set_role(self, participant_id: int, role: Role) -> None: ...
    async def record_consent(self, participant_id: int, accepted: bool, now: datetime) -> None: ...
    async def save_enrolment(
        self,
        participant_id: int,
        cohort_id: int,
        group: Group,
        answers: Sequence[ProfileAnswer],
        meeting_rhythm: str,
        meeting_format: str,
        time_zone: str,
        now: datetime,
    ) -> None: ...
    async def profile(self, participant_id: int) -> list[ProfileAnswer]: ...
    async def by_number(self, cohort_id: int, number: int) -> Participant | None:
        """The participant with this number (#1, #2...) in the cohort, or None."""
        ...

    async def list_in_cohort(self, cohort_id: int) -> list[Participant]: ...
    async def list_all(self) -> list[Participant]: ...
    async def named_by(self, names: Collection[str]) -> list[Participant]:
        """People whose email, Entra object id or chat user id (case-insensitive) is one of the lower-case `names`."""
        ...

    async def mark_unreachable(self, participant_id: int, now: datetime) -> None: ...
    async def mark_reachable(self, participant_id: int) -> None: ...
    async def unreachable_unalerted(self) -> list[Participant]:
        """Unreachable people facilitators have not been told about yet, in id order."""
        ...

    async def mark_unreachable_alerted(self, participant_id: int, now: datetime) -> None: ...


class PartnershipRepo(PartnershipsInBulk, PartnershipsPersonal, Protocol):
    async def create(
        self, cohort_id: int, partner_a_id: int, partner_b_id: int, started_on: date, now: datetime
    ) -> Partnership: ...
    async def get(self, partnership_id: int) -> Partnership | None: ...
    async def current_for(self, participant_id: int) -> Partnership | None: ...
    async def list_for_cohort(self, cohort_id: int) -> list[Partnership]: ...
    async def end(self, partnership_id: int, reason: str, now: datetime) -> None: ...
    async def list_active(self) -> list[Partnership]: ...
    async def list_paused(self) -> list[Partnership]: ...
    async def lock(self, partnership_id: int) -> None:
        """Serialise changes to one partnership (aims, meetings) until the transaction ends."""
        ...

    async def set_status(self, partnership_id: int, status: PartnershipStatus) -> None: ...
    async def pause(self, partnership_id: int, until: date | None, reason: str) -> None:
        """Pause (until a date, or until resumed); `reason` is a short code kept from the partner."""
        ...

    async def resume(self, partnership_id: int, today: date) -> None:
        """Make the partnership active again, forgetting the pause date and reason."""
        ...


class ConversationRepo(ConversationsPersonal, Protocol):
    async def upsert(self, ref: ConversationRef, now: datetime) -> None: ...
    async def get(self, participant_id: int) -> ConversationRef | None: ...


class OutboxRepo(OutboxBudget, OutboxPersonal, Protocol):
    async def enqueue(self, messages: Sequence[NewOutboxMessage], now: datetime) -> int:
        """Insert messages whose idempotency key is new; return how many were inserted."""
        ...

    async def list_for(self, participant_id: int) -> list[OutboxMessage]: ...

    async def queued_keys(self, keys: Sequence[str]) -> set[str]:
        """Which of these idempotency keys are already in the outbox (whatever became of them)."""
        ...

    async def cancel_pending(self, key_prefix: str) -> int:
        """Cancel planned or pending messages whose idempotency key starts with `key_prefix`; return how many."""
        ...


class GuideRepo(GuideInBulk, GuidePersonal, Protocol):
    async def delivered(self, partnership_id: int) -> list[str]: ...
    async def sent_since(self, partnership_id: int, since: datetime) -> int: ...
    async def record(self, partnership_id: int, prompt_ids: Sequence[str], now: datetime) -> int: ...
    async def save(self, participant_id: int, prompt_id: str, now: datetime) -> None: ...
    async def unsave(self, participant_id: int, prompt_id: str) -> None: ...
    async def saved(self, participant_id: int) -> list[str]: ...


class AimsRepo(AimsInBulk, AimsPersonal, Protocol):
    async def save_hopes(
        self, partnership_id: int, participant_id: int, learn: str, offer: str, now: datetime
    ) -> None: ...
    async def hopes(self, partnership_id: int) -> list[Hopes]: ...
    async def propose(
        self, partnership_id: int, proposed_by: int, aims: Sequence[str], now: datetime
    ) -> SharedAims: ...
    async def get(self, proposal_id: int) -> SharedAims | None: ...
    async def open_proposal(self, partnership_id: int) -> SharedAims | None: ...
    async def agreed(self, partnership_id: int) -> SharedAims | None: ...
    async def supersede_open(self, partnership_id: int) -> int: ...
    async def agree(self, proposal_id: int, now: datetime) -> bool: ...
    async def share_with_team(self, proposal_id: int, participant_id: int) -> list[int]: ...
    async def save_rating(
        self, partnership_id: int, participant_id: int, stage: str, ratings: Sequence[int], now: datetime
    ) -> None: ...
    async def ratings(self, partnership_id: int, stage: str | None = None) -> list[AimRating]: ...
    async def aims_status(self, partnership_id: int) -> AimsStatus: ...


class MeetingsRepo(MeetingsInBulk, MeetingsPersonal, Protocol):
    async def create(self, draft: Meeting, now: datetime) -> Meeting: ...
    async def get(self, meeting_id: int) -> Meeting | None: ...
    async def update(self, meeting: Meeting) -> None: ...
    async def for_partnership(self, partnership_id: int) -> list[Meeting]: ...
    async def upcoming(self, partnership_id: int, now: datetime) -> list[Meeting]: ...
    async def ended_between(self, since: datetime, until: datetime, *, to_follow: bool = False) -> list[Meeting]:
        """Confirmed meetings whose end is in (since, until], earliest end first (answers not loaded).
        `to_follow`: only those a next meeting could follow (a rhythm, not logged afterwards, and no proposal
        open or later booking in their partnership; the follow-up job decides the rest)."""
        ...

    async def save_answer(self, meeting_id: int, participant_id: int, answer: Answer, now: datetime) -> None: ...
    async def answers(self, meeting_id: int) -> dict[int, Answer]: ...
    async def add_reflection(
        self, participant_id: int, meeting_id: int | None, text: str, now: datetime
    ) -> Reflection: ...
    async def reflections(self, participant_id: int) -> list[Reflection]: ...


class HealthRepo(HealthInBulk, HealthPersonal, Protocol):
    async def record_nudge(self, partnership_id: int, participant_id: int | None, step: int, now: datetime) -> None: ...
    async def nudges_since(self, partnership_id: int, since: datetime) -> list[NudgeRecord]:
        """Nudges sent at or after `since`, oldest first."""
        ...

    async def save_checkin(self, partnership_id: int, participant_id: int, answer: str, now: datetime) -> None:
        """Store a private check-in answer ("fine", "not_working", "contact"); never shown to the partner."""
        ...

    async def checkins(self, partnership_id: int) -> list[CheckinRecord]:
        """Every check-in answer of the partnership, oldest first."""
        ...

    async def last_activity(self, partnership_id: int) -> datetime | None:
        """Latest start of a met (or logged) meeting or creation of any proposal or booking."""
        ...

    async def has_upcoming(self, partnership_id: int, now: datetime) -> bool:
        """Whether a confirmed meeting starts at or after `now`."""
        ...


class UnitOfWork(Protocol):
    cohorts: CohortRepo
    participants: ParticipantRepo
    partnerships: PartnershipRepo
    conversations: ConversationRepo
    outbox: OutboxRepo
    guide: GuideRepo
    aims: AimsRepo
    meetings: MeetingsRepo
    health: HealthRepo
    sessions: SessionsRepo
    broadcasts: BroadcastRepo
    polls: PollsRepo
    audit: AuditRepo
    facilitator_pins: FacilitatorPinRepo
    dialog_state: DialogStateRepo
    dashboard: DashboardRepo


class Store(Protocol):
    def transaction(self) -> AsyncContextManager[UnitOfWork]:
        """One database transaction; committed on normal exit, rolled back on error."""
        ...

    def reading(self) -> AsyncContextManager[UnitOfWork]:
        """A transaction that only reads: it holds no write lock (SQLite), so turns are never kept waiting."""
        ...

    def give_way(self) -> bool:
        """Should a run of writes in one transaction commit now, because another writer waits for the lock?"""
        ...
