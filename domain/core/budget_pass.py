"""The daily budget pass, run once at the end of every tick of scheduled work.

Planners queue unprompted messages as planned (domain/core/budget.py says which); this pass
promotes, per person and local day, as many as the budget allows in priority order, and moves
the rest to the person's next working day, where a later pass looks at them again. Only
promoted (pending) rows are ever claimed by the dispatcher.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from datetime import datetime

from domain.core.budget import DAY_REACH, TODAY_REACH, Held, allot, ready_people
from domain.core.jobs import JobContext

PEOPLE_PER_TRANSACTION = 1000


async def run_due(ctx: JobContext, now: datetime) -> int:
    """Promote what each person's day has room for, postpone the rest; return how many were promoted."""
    async with ctx.store.reading() as uow:
        held = await uow.outbox.held(now + TODAY_REACH)
    by_person: dict[int, list[Held]] = defaultdict(list)
    for message in held:
        by_person[message.participant_id].append(message)
    # Messages moved to a later day wait there untouched: only people whose day has come are looked at.
    people = sorted(ready_people(held, now))
    promoted = 0
    for start in range(0, len(people), PEOPLE_PER_TRANSACTION):
        chunk = people[start : start + PEOPLE_PER_TRANSACTION]
        async with ctx.store.transaction() as uow:
            # Why the lock: two replicas' passes must not both see room left for the same person.
            await uow.outbox.lock_budget()
            # Under the lock, what is spent is read afresh. A row another replica promoted since `held`
            # was read then counts twice: fewer promoted today, never more; and every write below
            # applies only to rows still planned.
            spent = await uow.outbox.budget_spent(chunk, now - DAY_REACH, now + DAY_REACH)
            decided = allot(
                [m for person in chunk for m in by_person[person]],
                spent,
                now,
                ctx.settings.hours,
                ctx.settings.daily_budget,
            )
            promoted += await uow.outbox.promote(decided.promote)
            await uow.outbox.postpone(decided.postpone)
        await asyncio.sleep(0)
    return promoted
