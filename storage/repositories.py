"""SQLAlchemy implementations of the repository Protocols in domain/ports.py.

Each repository lives in its own `storage/repo_*.py` module (capabilities' personal-data side in
`storage/personal_*.py`, extending them); this module gathers them and
the unit of work that binds them all to one session (one transaction).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from domain.broadcasts.ports import BroadcastRepo
from domain.core.audit import AuditRepo
from domain.core.personal_ports import DialogStateRepo
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
from domain.dashboard.ports import DashboardRepo
from domain.polls.ports import PollsRepo
from domain.sessions.ports import SessionsRepo
from storage.personal_partnerships import SqlAimsData, SqlGuideData, SqlHealthData, SqlMeetingsData
from storage.personal_programme import SqlBroadcastData, SqlPollsData, SqlSessionsData
from storage.repo_audit import SqlAuditRepo
from storage.repo_cohorts import SqlCohortRepo
from storage.repo_conversations import SqlConversationRepo
from storage.repo_dashboard import SqlDashboardRepo
from storage.repo_dialog_state import SqlDialogStateRepo
from storage.repo_facilitator_pins import SqlFacilitatorPinRepo
from storage.repo_outbox import SqlOutboxRepo
from storage.repo_participants import SqlParticipantRepo
from storage.repo_partnerships import SqlPartnershipRepo


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
        self.guide: GuideRepo = SqlGuideData(session)
        self.aims: AimsRepo = SqlAimsData(session)
        self.meetings: MeetingsRepo = SqlMeetingsData(session)
        self.health: HealthRepo = SqlHealthData(session)
        self.sessions: SessionsRepo = SqlSessionsData(session)
        self.broadcasts: BroadcastRepo = SqlBroadcastData(session)
        self.polls: PollsRepo = SqlPollsData(session)
        self.audit: AuditRepo = SqlAuditRepo(session)
        self.facilitator_pins: FacilitatorPinRepo = SqlFacilitatorPinRepo(session)
        self.dialog_state: DialogStateRepo = SqlDialogStateRepo(session)
        self.dashboard: DashboardRepo = SqlDashboardRepo(session)
