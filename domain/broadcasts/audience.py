"""Who a broadcast's audience covers, one window of participant ids at a time, read in bulk.

An audience is taken as it stood at the broadcast's send time (`as_of`), so a batch redone
after a crash, or by another worker, picks the same people.
"""

from __future__ import annotations

from datetime import datetime

from domain.broadcasts.model import Audience, AudienceKind, Window
from domain.broadcasts.rules import in_health_state, selection, window
from domain.core.ports import UnitOfWork

BATCH = 1000  # participant ids per window: one INSERT of outbox rows, one short transaction
COUNT_BATCH = 5000  # a read-only count takes bigger windows: fewer round trips (still under bind limits)


async def next_window(uow: UnitOfWork, audience: Audience, as_of: datetime, after: int, batch: int = BATCH) -> Window:
    """The audience's recipients among the next `batch` candidate ids above `after`."""
    if batch < 1:
        raise ValueError("a window needs at least one id")
    if audience.kind is AudienceKind.HEALTH:
        candidates, pairs = await uow.broadcasts.partnered_after(after, batch, as_of)
        return window(candidates, in_health_state(candidates, pairs, audience.value, as_of), after, batch)
    ids = await uow.broadcasts.enrolled_after(selection(audience), as_of, after, batch)
    return window(ids, ids, after, batch)


async def recipients(uow: UnitOfWork, audience: Audience, as_of: datetime, batch: int = BATCH) -> list[int]:
    """Every participant id the audience covers at `as_of`, in id order (window by window)."""
    found: list[int] = []
    after = 0
    while True:
        part = await next_window(uow, audience, as_of, after, batch)
        found.extend(part.recipients)
        if part.done:
            return found
        after = part.through


async def count(uow: UnitOfWork, audience: Audience, as_of: datetime) -> int:
    """How many people the audience covers at `as_of` (counted in the database where it can be)."""
    if audience.kind is AudienceKind.HEALTH:
        return len(await recipients(uow, audience, as_of, COUNT_BATCH))
    return await uow.broadcasts.count_enrolled(selection(audience), as_of)
