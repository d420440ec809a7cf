"""Tables for sessions (kept in their own module; storage/tables.py imports it so Alembic sees them)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base


class GroupSessionRow(Base):
    """A group check-in session for one cohort; `link` is "" when there is no meeting link."""

    __tablename__ = "group_sessions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(index=True)
    minutes: Mapped[int] = mapped_column(Integer)
    link: Mapped[str] = mapped_column(String(500), default="", server_default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("participants.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime]
    cancelled_at: Mapped[datetime | None] = mapped_column(nullable=True)
    reminded: Mapped[str] = mapped_column(String(8), default="", server_default="")


class SessionInviteRow(Base):
    """One invitee of a session and their RSVP ("" until they answer)."""

    __tablename__ = "session_invites"
    session_id: Mapped[int] = mapped_column(ForeignKey("group_sessions.id", ondelete="CASCADE"), primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True)
    answer: Mapped[str] = mapped_column(String(8), default="", server_default="")
    invited_at: Mapped[datetime]
    answered_at: Mapped[datetime | None] = mapped_column(nullable=True)
