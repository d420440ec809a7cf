"""Fixtures the domain service tests share: the real store and a pair of partners."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.store import SqlStore
from tests.domain.meeting_fixtures import Pair, make_pair


@pytest.fixture
def store(engine: AsyncEngine) -> SqlStore:
    """The SQL store on the fresh, migrated database."""
    return SqlStore(engine)


@pytest.fixture
async def pair(store: SqlStore) -> Pair:
    """Ada (London) and Sam (New York), learning partners in one cohort."""
    return await make_pair(store)
