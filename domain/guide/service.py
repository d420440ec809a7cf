"""Guide use cases: scheduled delivery of due prompts, and what a
person's `guide` views need from the store (where they are, prompts saved or skipped).

Both partners get the same prompt, each at their own place in their working window. A prompt
is recorded once per partnership, so re-running the job (or a second replica) sends nothing
twice; paused and ended partnerships are skipped. The job reads and writes a chunk of
partnerships per query, never one partnership at a time.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial
from typing import Any

from domain.core.bulk_ports import ActiveChunk
from domain.core.jobs import WRITE_BATCH, Apply, JobContext, each_active_chunk, slices
from domain.core.model import NewOutboxMessage, Participant, Partnership, outbox_key
from domain.core.ports import Store, UnitOfWork
from domain.core.spread import spread_delivery_time
from domain.guide.model import Guide, GuidePlace, Prompt, PromptSaved, PromptSkipped
from domain.guide.rules import DEFAULT_LENGTH_MONTHS, RECENT_PROGRESS, journey_week, plan_prompts
from domain.guide.wording import prompt_reply


async def run_due(ctx: JobContext, now: datetime) -> int:
    """Queue every guide prompt due at `now`, a chunk of partnerships per transaction; how many queued."""
    return await each_active_chunk(ctx, partial(_plan_chunk, ctx, now))


async def _plan_chunk(ctx: JobContext, now: datetime, uow: UnitOfWork, page: ActiveChunk) -> list[Apply]:
    """One chunk: read recent progress in bulk and decide in rules; the writes come back to run after."""
    cohorts = page.cohorts
    recent = await uow.guide.recent(page.ids, now - RECENT_PROGRESS, now - timedelta(days=7))
    # A partnership whose partner record is gone is skipped, as before: nothing recorded, nothing sent.
    pairs = [p for p in page.partnerships if page.both_known(p)]
    planned = plan_prompts(ctx.guide, pairs, cohorts, recent, now.date(), ctx.settings.guide_max_per_week)
    payloads: dict[str, dict[str, Any]] = {}
    writes: list[Apply] = []
    # Up to four messages a pair (two partners, at most two prompts a week): a write's worth of pairs at a time.
    for batch in slices(planned, WRITE_BATCH // 4):
        messages = [
            _message(ctx, partnership, person, page.zones[person], prompt, payloads, now)
            for partnership, due in batch
            for prompt in due
            for person in (partnership.partner_a_id, partnership.partner_b_id)
        ]
        delivered = [(p.id, prompt.id) for p, due in batch for prompt in due]
        writes.append(partial(_record_and_queue, ctx, delivered, messages, page, now))
    return writes


async def _record_and_queue(
    ctx: JobContext,
    delivered: list[tuple[int, str]],
    messages: list[NewOutboxMessage],
    page: ActiveChunk,
    now: datetime,
    uow: UnitOfWork,
) -> int:
    """The chunk's writes: prompts noted as delivered, both partners' copies queued within their day's budget."""
    await uow.guide.record_all(delivered, now)
    return await ctx.queue(uow, messages, now, page.zones)


def _message(
    ctx: JobContext,
    partnership: Partnership,
    person: int,
    time_zone: str,
    prompt: Prompt,
    payloads: dict[str, dict[str, Any]],
    now: datetime,
) -> NewOutboxMessage:
    """One partner's copy of a prompt, at their own place in their working window."""
    if prompt.id not in payloads:
        payloads[prompt.id] = prompt_reply(prompt, ctx.guide).to_dict()
    return NewOutboxMessage(
        outbox_key("guide", partnership.id, person, prompt.id),
        "guide_prompt",
        person,
        payloads[prompt.id],
        spread_delivery_time(now, time_zone, ctx.settings.hours, person),
    )


async def place_for(store: Store, me: Participant, now: datetime) -> GuidePlace:
    """Where this person is in the journey, with the prompts their partnership has had and those they saved."""
    async with store.reading() as uow:
        partnership = await uow.partnerships.current_for(me.id)
        cohort = await uow.cohorts.get(partnership.cohort_id if partnership else (me.cohort_id or 0))
        delivered = await uow.guide.delivered(partnership.id) if partnership else []
        saved = await uow.guide.saved(me.id)
    return GuidePlace(
        journey_week(partnership, cohort, now.date()),
        cohort.length_months if cohort else DEFAULT_LENGTH_MONTHS,
        tuple(delivered),
        tuple(saved),
    )


async def save_for_later(store: Store, guide: Guide, participant_id: int, prompt_id: str, now: datetime) -> PromptSaved:
    """Keep a prompt for later, private to this person; nothing is kept for an id the guide lacks."""
    if guide.prompt(prompt_id) is None:
        return PromptSaved(prompt_id, found=False)
    async with store.transaction() as uow:
        await uow.guide.save(participant_id, prompt_id, now)
    return PromptSaved(prompt_id, found=True)


async def skip_prompt(store: Store, participant_id: int, prompt_id: str) -> PromptSkipped:
    """Leave a prompt aside (off the saved list too); skipping needs no reason and records nobody."""
    async with store.transaction() as uow:
        await uow.guide.unsave(participant_id, prompt_id)
    return PromptSkipped(prompt_id)
