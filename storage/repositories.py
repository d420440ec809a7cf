"""SQLAlchemy implementations of the repository Protocols in domain/ports.py.

Each repository lives in its own `storage/repo_*.py` module; this module gathers them and
the unit of work that binds them all to one session (one transaction).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from domain.broadcasts.ports import BroadcastRepo
from domain.core.audit import AuditRepo
from domain.core.pins import FacilitatorPinRepo
from domain.core.ports import (
    AimsRepo,
    CohortRepo,
    ConversationRepo,
    GuideRepo,
    HealthRepo,
    MeetingsRepo,
    OutboxRepo,
    ParticipantRepo,
    PartnershipRepo,
)
from domain.polls.ports import PollsRepo
from domain.sessions.ports import SessionsRepo
from storage.repo_aims import SqlAimsRepo
from storage.repo_audit import SqlAuditRepo
from storage.repo_broadcasts import SqlBroadcastRepo
from storage.repo_cohorts import SqlCohortRepo
from storage.repo_conversations import SqlConversationRepo
from storage.repo_facilitator_pins import SqlFacilitatorPinRepo
from storage.repo_guide import SqlGuideRepo
from storage.repo_health import SqlHealthRepo
from storage.repo_meetings import SqlMeetingsRepo
from storage.repo_outbox import SqlOutboxRepo
from storage.repo_participants import SqlParticipantRepo
from storage.repo_partnerships import SqlPartnershipRepo
from storage.repo_polls import SqlPollsRepo
from storage.repo_sessions import SqlSessionsRepo


class SqlUnitOfWork:
    """The repositories of one transaction, all sharing one AsyncSession."""

    def __init__(self, session: AsyncSession) -> None:
        # Typed as the domain's ports: the unit of work then provably satisfies domain.core.ports.UnitOfWork.
        self.session = session
        self.cohorts: CohortRepo = SqlCohortRepo(session)
        self.participants: ParticipantRepo = SqlParticipantRepo(session)
        self.partnerships: PartnershipRepo = SqlPartnershipRepo(session)
        self.conversations: ConversationRepo = SqlConversationRepo(session)
        self.outbox: OutboxRepo = SqlOutboxRepo(session)
        self.guide: GuideRepo = SqlGuideRepo(session)
        self.aims: AimsRepo = SqlAimsRepo(session)
        self.meetings: MeetingsRepo = SqlMeetingsRepo(session)
        self.health: HealthRepo = SqlHealthRepo(session)
        self.sessions: SessionsRepo = SqlSessionsRepo(session)
        self.broadcasts: BroadcastRepo = SqlBroadcastRepo(session)
        self.polls: PollsRepo = SqlPollsRepo(session)
        self.audit: AuditRepo = SqlAuditRepo(session)
        self.facilitator_pins: FacilitatorPinRepo = SqlFacilitatorPinRepo(session)
