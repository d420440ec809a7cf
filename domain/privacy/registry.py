"""Every capability's personal data, in one list: export, erasure and the retention purge walk it.

A capability that stores anything about a person adds its `PersonalData` here; the coverage test
(tests/domain/privacy/test_coverage.py) fails while any table holding a participant id is named
by no entry's `tables`.
"""

from __future__ import annotations

from domain.aims.personal import AimsData
from domain.broadcasts.personal import BroadcastsData
from domain.core.personal import PersonalData
from domain.core.personal_core import AuditData, ConversationData, FacilitatorPinData, OutboxData
from domain.dashboard.personal import DashboardData
from domain.enrolment.personal import EnrolmentData
from domain.guide.personal import GuideData
from domain.health.personal import HealthData
from domain.meetings.personal import MeetingsData
from domain.pairing.personal import PairingData
from domain.polls.personal import PollsData
from domain.sessions.personal import SessionsData

PERSONAL_DATA: tuple[PersonalData, ...] = (
    EnrolmentData(),
    PairingData(),
    AimsData(),
    MeetingsData(),
    HealthData(),
    GuideData(),
    SessionsData(),
    PollsData(),
    BroadcastsData(),
    DashboardData(),
    OutboxData(),
    ConversationData(),
    FacilitatorPinData(),
    AuditData(),
)
