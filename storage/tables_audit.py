"""The audit trail's table (kept in its own module; storage/schema.py imports it so Alembic sees it).

Ids are plain integers, not foreign keys: an entry must outlive the erasure of the person it names.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base


class AuditRow(Base):
    """One action: who (participant id, or null for the companion), what, to whom, when."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    action: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
