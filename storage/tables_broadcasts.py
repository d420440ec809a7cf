"""Tables for broadcasts (kept in their own module; storage/tables.py imports it so Alembic sees them).

A broadcast row holds the message, its audience and the cursor of the background batches
(`materialised_through`); who it went to, and how that went, lives in the outbox rows keyed
`broadcast:<id>:<participant>:<attempt>`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base


class BroadcastRow(Base):
    """A facilitator's announcement: scheduled, sending, sent, resending or cancelled."""

    __tablename__ = "broadcasts"
    __table_args__ = (Index("ix_broadcasts_status_send_at", "status", "send_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("participants.id", ondelete="SET NULL"), nullable=True)
    text: Mapped[str] = mapped_column(Text)
    link_title: Mapped[str] = mapped_column(String(80), default="", server_default="")
    link_url: Mapped[str] = mapped_column(String(500), default="", server_default="")
    audience: Mapped[str] = mapped_column(String(16))
    audience_value: Mapped[str] = mapped_column(String(32), default="", server_default="")
    status: Mapped[str] = mapped_column(String(16))
    send_at: Mapped[datetime]
    recipients: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None] = mapped_column(nullable=True)
    materialised_through: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
