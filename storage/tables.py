"""SQLAlchemy 2 typed table models. Change them only together with a new Alembic migration."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base


class CohortRow(Base):
    __tablename__ = "cohorts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    join_code: Mapped[str] = mapped_column(String(32), unique=True)
    start_date: Mapped[date] = mapped_column(Date)
    length_months: Mapped[int] = mapped_column(Integer)
    profile_questions: Mapped[list[Any]] = mapped_column(JSON)
    created_at: Mapped[datetime]
    quiet_weeks: Mapped[int] = mapped_column(Integer, default=4, server_default="4")
    inactive_weeks: Mapped[int] = mapped_column(Integer, default=8, server_default="8")
    # The last participant number given in this cohort (numbers are never reused, even after an erasure).
    last_number: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class ParticipantRow(Base):
    """A person. `grp` (programme group) is special category data: never log it. `cohort_number` is the
    person's number within their cohort (#1, #2, ...), the number people see and type; `id` is internal."""

    __tablename__ = "participants"
    __table_args__ = (
        UniqueConstraint("channel_id", "user_id", name="uq_participant_identity"),
        Index("uq_participant_cohort_number", "cohort_id", "cohort_number", unique=True),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(200), default="")
    aad_object_id: Mapped[str] = mapped_column(String(64), default="", index=True)
    email: Mapped[str] = mapped_column(String(320), default="", index=True)
    role: Mapped[str] = mapped_column(String(16), default="partner")
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id"), nullable=True)
    grp: Mapped[str | None] = mapped_column(String(32), nullable=True)
    consent_at: Mapped[datetime | None] = mapped_column(nullable=True)
    consent_declined_at: Mapped[datetime | None] = mapped_column(nullable=True)
    meeting_rhythm: Mapped[str] = mapped_column(String(32), default="")
    meeting_format: Mapped[str] = mapped_column(String(32), default="")
    time_zone: Mapped[str] = mapped_column(String(64), default="Europe/London")
    enrolled_at: Mapped[datetime | None] = mapped_column(nullable=True)
    unreachable_at: Mapped[datetime | None] = mapped_column(nullable=True)
    unreachable_alerted_at: Mapped[datetime | None] = mapped_column(nullable=True)
    created_at: Mapped[datetime]
    # The Teams (Entra ID) tenant of their first message that named one; '' outside Teams.
    tenant_id: Mapped[str] = mapped_column(String(64), default="", server_default="")
    # Set when the person's data was erased (`erase me` or retention): the row stays, nameless, so
    # partnerships and meetings keep their shape; participants are never deleted.
    erased_at: Mapped[datetime | None] = mapped_column(nullable=True)
    cohort_number: Mapped[int | None] = mapped_column(Integer, nullable=True)


class ProfileAnswerRow(Base):
    """Matching-profile answers (free text: never logged)."""

    __tablename__ = "profile_answers"
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime]


class PartnershipRow(Base):
    __tablename__ = "partnerships"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"))
    partner_a_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    partner_b_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="active")
    started_on: Mapped[date] = mapped_column(Date)
    ended_at: Mapped[datetime | None] = mapped_column(nullable=True)
    end_reason: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime]
    paused_until: Mapped[date | None] = mapped_column(Date, nullable=True)
    resumed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    pause_reason: Mapped[str] = mapped_column(String(32), default="", server_default="")


class ConversationRefRow(Base):
    __tablename__ = "conversation_refs"
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(64))
    service_url: Mapped[str] = mapped_column(String(500))
    conversation_id: Mapped[str] = mapped_column(String(500))
    conversation_type: Mapped[str] = mapped_column(String(32), default="personal")
    user_id: Mapped[str] = mapped_column(String(255))
    bot_id: Mapped[str] = mapped_column(String(255))
    bot_name: Mapped[str] = mapped_column(String(200), default="")
    tenant_id: Mapped[str] = mapped_column(String(64), default="")
    updated_at: Mapped[datetime]


class OutboxRow(Base):
    """Every proactive message. `payload` is a neutral Reply rendered at send time."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "status", "due_at"),
        Index("ix_outbox_participant_due", "participant_id", "due_at"),  # a person's rows around a day
        # Key-prefix reads (a broadcast's rows) under any collation; SQLite uses the unique index.
        Index(
            "ix_outbox_key_prefix", "idempotency_key", postgresql_ops={"idempotency_key": "varchar_pattern_ops"}
        ).ddl_if(dialect="postgresql"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(255), unique=True)
    kind: Mapped[str] = mapped_column(String(64))
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    due_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_owner: Mapped[str] = mapped_column(String(64), default="")
    lease_until: Mapped[datetime | None] = mapped_column(nullable=True)
    # Set at the first claim; retries give up by age measured from here (due_at moves on each retry).
    first_due_at: Mapped[datetime | None] = mapped_column(nullable=True)
    last_error: Mapped[str] = mapped_column(String(200), default="")
    activity_id: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None] = mapped_column(nullable=True)


class ProcessedActivityRow(Base):
    """Inbound activities claimed (`finished_at` unset: a turn is running) or handled, so each runs once."""

    __tablename__ = "processed_activities"
    activity_key: Mapped[str] = mapped_column(String(600), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(index=True)
    finished_at: Mapped[datetime | None] = mapped_column(nullable=True)


class HealthProbeRow(Base):
    """One row per probe (readiness, start-up), rewritten at each check: proof the database takes writes."""

    __tablename__ = "health_probes"
    probe: Mapped[str] = mapped_column(String(64), primary_key=True)
    checked_at: Mapped[datetime]


class BotStateRow(Base):
    """botbuilder state documents (dialog stacks) with an e_tag for optimistic concurrency."""

    __tablename__ = "bot_state"
    key: Mapped[str] = mapped_column(String(600), primary_key=True)
    document: Mapped[str] = mapped_column(Text)
    e_tag: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime]


class GuideProgressRow(Base):
    """Which guide prompts a partnership has been sent (each at most once)."""

    __tablename__ = "guide_progress"
    __table_args__ = (Index("ix_guide_progress_recent", "partnership_id", "queued_at", "prompt_id"),)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnerships.id", ondelete="CASCADE"), primary_key=True)
    prompt_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    queued_at: Mapped[datetime] = mapped_column(index=True)


class GuideSavedRow(Base):
    """Prompts a person saved for later (private to them)."""

    __tablename__ = "guide_saved"
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True)
    prompt_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    saved_at: Mapped[datetime]


class AimHopesRow(Base):
    """One partner's private hopes (free text: never logged); shown to both once both are in."""

    __tablename__ = "aim_hopes"
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnerships.id", ondelete="CASCADE"), primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True)
    learn: Mapped[str] = mapped_column(Text)
    offer: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime]


class SharedAimsRow(Base):
    """A proposal of two or three shared aims; the latest open or agreed one is current."""

    __tablename__ = "shared_aims"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnerships.id", ondelete="CASCADE"), index=True)
    aims: Mapped[list[Any]] = mapped_column(JSON)
    proposed_by: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16), default="proposed")
    proposed_at: Mapped[datetime]
    agreed_at: Mapped[datetime | None] = mapped_column(nullable=True)
    shared_with_team: Mapped[list[Any]] = mapped_column(JSON, default=list)


class AimRatingRow(Base):
    """One partner's private progress rating of each agreed aim at a review stage."""

    __tablename__ = "aim_ratings"
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnerships.id", ondelete="CASCADE"), primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True)
    stage: Mapped[str] = mapped_column(String(8), primary_key=True)
    ratings: Mapped[list[Any]] = mapped_column(JSON)
    created_at: Mapped[datetime]


class MeetingRow(Base):
    """A meeting proposal or booking; `options` holds ISO UTC start times, agenda and place are free text."""

    __tablename__ = "meetings"
    __table_args__ = (
        Index("ix_meetings_status_start", "status", "start_at"),
        # Per partnership, everything the quiet-pair check reads (storage/repo_health.py), so a tick over
        # a year of meetings reads this index alone.
        Index(
            "ix_meetings_partnership_activity",
            "partnership_id",
            "created_at",
            "start_at",
            "outcome",
            "logged_only",
            "status",
        ),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnerships.id", ondelete="CASCADE"))
    proposed_by: Mapped[int | None] = mapped_column(ForeignKey("participants.id"), nullable=True)
    status: Mapped[str] = mapped_column(String(16))
    options: Mapped[list[Any]] = mapped_column(JSON)
    start_at: Mapped[datetime | None] = mapped_column(nullable=True)
    duration_minutes: Mapped[int] = mapped_column(Integer)
    format: Mapped[str] = mapped_column(String(16))
    place: Mapped[str] = mapped_column(Text, default="")
    agenda: Mapped[str] = mapped_column(Text, default="")
    rhythm_weeks: Mapped[int] = mapped_column(Integer, default=0)
    uid: Mapped[str] = mapped_column(String(64), index=True)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    outcome: Mapped[str] = mapped_column(String(16), default="")
    logged_only: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class MeetingAnswerRow(Base):
    """One partner's private answer to "did you meet?" (never shown to the other partner)."""

    __tablename__ = "meeting_answers"
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True)
    answer: Mapped[str] = mapped_column(String(16))
    answered_at: Mapped[datetime]


class ReflectionRow(Base):
    """A private reflection note (free text: never logged), visible to its author only."""

    __tablename__ = "reflections"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"), nullable=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]


class NudgeRow(Base):
    """One step of the quiet-pair ladder sent (participant_id None: the facilitator alert)."""

    __tablename__ = "nudges"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnerships.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), nullable=True)
    step: Mapped[int] = mapped_column(Integer)
    sent_at: Mapped[datetime]


class CheckinRow(Base):
    """One partner's private check-in answer: never shown to the partner."""

    __tablename__ = "checkins"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnerships.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    answer: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]
