"""Tables for polls (kept in their own module; storage/tables.py imports it so Alembic sees them).

Anonymity is structural. An anonymous response is written in two transactions: the person's
row in `poll_responders` (has responded, nothing about what or when), then the answers into
`poll_held_answers`, a holding area with no participant column, no time column and a random
uuid key. Each time an answer is held, the poll's whole holding area is rewritten in content
order, so every waiting row shares one transaction id and no position maps to a responder.
The poll job moves waiting answers into `poll_anonymous_answers` once at least 5 wait, and at
close; every move rewrites the poll's answers the same way (one transaction id, content order).
On SQLite the three tables have no rowid, so no hidden sequence lines rows up either.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base


class PollRow(Base):
    """A poll for one cohort, with the template snapshot it was created from and its job progress."""

    __tablename__ = "polls"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    template_id: Mapped[str] = mapped_column(String(64))
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    anonymous: Mapped[bool] = mapped_column(Boolean)
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime]
    created_by: Mapped[int | None] = mapped_column(ForeignKey("participants.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime]
    invited_at: Mapped[datetime | None] = mapped_column(nullable=True)
    reminded: Mapped[list[Any]] = mapped_column(JSON, default=list)
    closed_at: Mapped[datetime | None] = mapped_column(nullable=True)


class PollResponderRow(Base):
    """Has-responded: who answered a poll (for reminders), nothing about what or when."""

    __tablename__ = "poll_responders"
    __table_args__ = ({"sqlite_with_rowid": False},)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"), primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True)


class PollNamedAnswerRow(Base):
    """A named poll's response: one per person, replaced when they change it before closing."""

    __tablename__ = "poll_named_answers"
    __table_args__ = (UniqueConstraint("poll_id", "participant_id", name="uq_poll_named_answers_person"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime]


class PollAnonymousAnswerRow(Base):
    """An anonymous poll's response: a random key, the poll, the answers; nothing else."""

    __tablename__ = "poll_anonymous_answers"
    __table_args__ = ({"sqlite_with_rowid": False},)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"), index=True)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)


class PollHeldAnswerRow(Base):
    """Anonymous answers waiting to be moved into `poll_anonymous_answers`: a random key, the poll, the answers."""

    __tablename__ = "poll_held_answers"
    __table_args__ = ({"sqlite_with_rowid": False},)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"), index=True)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
