"""The dispatch workers' heartbeat table (storage/tables.py imports it so Alembic sees it).

Each replica's dispatcher upserts its row every few seconds; the number of rows seen
recently is how many replicas share the tenant's send budget (see scheduling/budget.py).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base


class DispatchWorkerRow(Base):
    """One dispatcher process (by its stable worker id) and when it last said it was alive."""

    __tablename__ = "dispatch_workers"
    worker_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_seen: Mapped[datetime] = mapped_column(index=True)
