"""Pinned FACILITATORS entries (kept in their own module; storage/schema.py imports it so Alembic sees it).

An entry (email, Entra object id or development user id) is resolved once to one person in one
tenant and never moves; removing the role in chat revokes the pin. The row goes with the person.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base


class FacilitatorPinRow(Base):
    """One FACILITATORS entry and the person (row, tenant, Entra object id) it was resolved to."""

    __tablename__ = "facilitator_pins"
    entry: Mapped[str] = mapped_column(String(320), primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    tenant_id: Mapped[str] = mapped_column(String(64))
    aad_object_id: Mapped[str] = mapped_column(String(64))
    pinned_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None] = mapped_column(nullable=True)
