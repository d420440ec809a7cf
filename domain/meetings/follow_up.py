"""The scheduled proposal of the next meeting at a pair's rhythm, for every pair at once.

After each booked meeting with a rhythm has ended, the companion proposes the next one, once,
to both partners (proposed by nobody, so either may accept), only for active partnerships
and only if the pair has not already moved on. Proposal cards carry no calendar link.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from functools import partial

from domain.core.jobs import CHUNK, WRITE_BATCH, JobContext, slices, write_each
from domain.core.model import Participant, Partnership, PartnershipStatus
from domain.core.ports import UnitOfWork
from domain.meetings.cards import proposal_card
from domain.meetings.model import Meeting, MeetingStatus
from domain.meetings.outbox import message
from domain.meetings.rules import is_later, next_start

# How long after a meeting the scheduled job still proposes the next one (covers downtime).
FOLLOW_UP_WINDOW = timedelta(days=3)


async def follow_up_due(ctx: JobContext, now: datetime) -> int:
    """Propose the next meeting after each recently ended meeting with a rhythm; return how many proposed."""
    async with ctx.store.reading() as uow:
        ended = [
            m
            for m in await uow.meetings.ended_between(now - FOLLOW_UP_WINDOW, now, to_follow=True)
            if m.rhythm_weeks > 0 and not m.logged_only
        ]
    made = 0
    for start in range(0, len(ended), CHUNK):
        chunk = ended[start : start + CHUNK]
        # Most ticks every ended meeting has been followed up already: a read finds that, no lock taken.
        async with ctx.store.reading() as uow:
            candidates = await _to_follow(uow, chunk)
        # Two messages and a meeting per proposal: a write's worth of them at a time.
        writes = [partial(_propose_chunk, list(batch), now) for batch in slices(candidates, WRITE_BATCH // 2)]
        made += await write_each(ctx.store, writes)
        await asyncio.sleep(0)
    return made


async def _to_follow(uow: UnitOfWork, ended: list[Meeting]) -> list[Meeting]:
    """The ended meetings still to follow up (see `sources_to_follow`), from bulk reads."""
    pairs = await uow.partnerships.get_many(sorted({m.partnership_id for m in ended}))
    active = [p.id for p in pairs.values() if p.status is PartnershipStatus.ACTIVE]
    # Only what could count as "later" than a source: open, or from its start on (see rules.is_later).
    since = min(m.start_at for m in ended if m.start_at is not None)
    return sources_to_follow(ended, pairs, await uow.meetings.open_or_since(active, since))


async def _propose_chunk(candidates: list[Meeting], now: datetime, uow: UnitOfWork) -> int:
    """Lock the pairs, decide again on what is there now, then insert the proposals and their cards in bulk."""
    # Why lock: a partner booking at this moment must not end up beside a second, automatic proposal.
    await uow.partnerships.lock_many(sorted({m.partnership_id for m in candidates}))
    sources = await _to_follow(uow, candidates)
    pairs = await uow.partnerships.get_many(sorted({m.partnership_id for m in sources}))
    people = await uow.participants.get_many([pid for p in pairs.values() for pid in _partners(p)])
    sources = [m for m in sources if all(pid in people for pid in _partners(pairs[m.partnership_id]))]
    created = await uow.meetings.create_all([_draft(m, pairs[m.partnership_id], people, now) for m in sources], now)
    await uow.outbox.enqueue(
        [
            message("meeting_proposed", meeting.id, person, proposal_card(meeting, None, person.time_zone, None), now)
            for meeting in created
            for person in (people[pid] for pid in _partners(pairs[meeting.partnership_id]))
        ],
        now,
    )
    return len(created)


def sources_to_follow(
    ended: Sequence[Meeting], pairs: Mapping[int, Partnership], history: Mapping[int, Sequence[Meeting]]
) -> list[Meeting]:
    """The ended meetings to follow up: active pair, nothing later yet, the first per pair in end order."""
    chosen: dict[int, Meeting] = {}
    for source in ended:
        pair = pairs.get(source.partnership_id)
        if pair is None or pair.status is not PartnershipStatus.ACTIVE or pair.id in chosen:
            continue
        if not any(is_later(other, source) for other in history.get(pair.id, ())):
            chosen[pair.id] = source
    return list(chosen.values())


def _partners(partnership: Partnership) -> tuple[int, int]:
    return partnership.partner_a_id, partnership.partner_b_id


def _draft(source: Meeting, partnership: Partnership, people: Mapping[int, Participant], now: datetime) -> Meeting:
    """The automatic proposal: the weekday and time the pair chose, as the person who proposed it sees them."""
    pair = [people[pid] for pid in _partners(partnership)]
    anchor = next((p for p in pair if p.id == source.proposed_by), pair[0])
    return Meeting(
        id=0,
        partnership_id=partnership.id,
        proposed_by=None,
        status=MeetingStatus.PROPOSED,
        options=[next_start(source, anchor.time_zone, now)],
        start_at=None,
        duration_minutes=source.duration_minutes,
        format=source.format,
        place=source.place,
        rhythm_weeks=source.rhythm_weeks,
        uid=uuid.uuid4().hex,
    )
