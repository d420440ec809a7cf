"""SQLAlchemy implementations of the repository Protocols in domain/ports.py.

Each repository lives in its own `storage/repo_*.py` module; this module gathers them and
the unit of work that binds them all to one session (one transaction).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from storage.repo_aims import SqlAimsRepo
from storage.repo_broadcasts import SqlBroadcastRepo
from storage.repo_cohorts import SqlCohortRepo
from storage.repo_conversations import SqlConversationRepo
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
        self.session = session
        self.cohorts = SqlCohortRepo(session)
        self.participants = SqlParticipantRepo(session)
        self.partnerships = SqlPartnershipRepo(session)
        self.conversations = SqlConversationRepo(session)
        self.outbox = SqlOutboxRepo(session)
        self.guide = SqlGuideRepo(session)
        self.aims = SqlAimsRepo(session)
        self.meetings = SqlMeetingsRepo(session)
        self.health = SqlHealthRepo(session)
        self.sessions = SqlSessionsRepo(session)
        self.broadcasts = SqlBroadcastRepo(session)
        self.polls = SqlPollsRepo(session)
