"""Participant rows to domain participants (shared by the repositories that read people)."""

from __future__ import annotations

from typing import Any

from domain.core.model import Group, Participant, Role
from storage.tables import ParticipantRow

COLUMNS = tuple(ParticipantRow.__table__.columns)  # plain rows: cohort-sized reads skip the ORM


def to_participant(row: Any) -> Participant:
    """Map a ParticipantRow, or a plain row of its columns, to the domain dataclass (grp -> Group, role -> Role)."""
    return Participant(
        id=row.id,
        channel_id=row.channel_id,
        user_id=row.user_id,
        name=row.name,
        aad_object_id=row.aad_object_id,
        email=row.email,
        role=Role(row.role),
        cohort_id=row.cohort_id,
        group=Group(row.grp) if row.grp else None,
        consent_at=row.consent_at,
        consent_declined_at=row.consent_declined_at,
        meeting_rhythm=row.meeting_rhythm,
        meeting_format=row.meeting_format,
        time_zone=row.time_zone,
        enrolled_at=row.enrolled_at,
        unreachable_at=row.unreachable_at,
        unreachable_alerted_at=row.unreachable_alerted_at,
        tenant_id=row.tenant_id,
        erased_at=row.erased_at,
        number=row.cohort_number,
    )
