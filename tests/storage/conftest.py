"""Fixtures the storage contract tests share."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.store import SqlStore


@pytest.fixture
def store(engine: AsyncEngine) -> SqlStore:
    """The SQL store on the fresh, migrated database."""
    return SqlStore(engine)
