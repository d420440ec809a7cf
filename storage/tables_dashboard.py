"""The facilitator dashboard's sign-in records (storage/schema.py imports this module so Alembic sees it).

`dashboard_link_uses`: one row per sign-in link opened, keyed by the link's random id, so a link
works once. `dashboard_sessions`: one row per browser session, keyed by a digest of the cookie (the
cookie itself is never stored), with its CSRF token and when it was last used (the idle timeout).
Both go with the person, and old rows are pruned by the dashboard's scheduled job.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base


class DashboardLinkUseRow(Base):
    """A sign-in link that has been used (its random id), by whom and until when it would have worked."""

    __tablename__ = "dashboard_link_uses"
    link_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    used_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)


class DashboardSessionRow(Base):
    """One signed-in browser: the SHA-256 of its cookie, whose it is, its CSRF token and its times."""

    __tablename__ = "dashboard_sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime] = mapped_column(index=True)
    ended_at: Mapped[datetime | None] = mapped_column(nullable=True)
