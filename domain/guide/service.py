"""Guide use cases: scheduled delivery of due prompts, and what a
person's `guide` views need from the store (where they are, prompts saved or skipped).

Both partners get the same prompt, each timed for their own working hours. A prompt is
recorded once per partnership, so re-running the job (or a second replica) sends nothing
twice; paused and ended partnerships are skipped.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from domain.core.jobs import JobContext
from domain.core.model import NewOutboxMessage, Participant, Partnership, outbox_key
from domain.core.ports import Store, UnitOfWork
from domain.core.timing import next_delivery_time, partnership_week
from domain.guide.model import Guide, GuidePlace, Prompt, PromptSaved, PromptSkipped
from domain.guide.rules import DEFAULT_LENGTH_MONTHS, due_prompts, journey_week
from domain.guide.wording import prompt_reply


async def run_due(ctx: JobContext, now: datetime) -> int:
    """Queue every guide prompt due at `now`; how many messages were queued."""
    async with ctx.store.transaction() as uow:
        partnerships = await uow.partnerships.list_active()
    queued = 0
    for partnership in partnerships:
        async with ctx.store.transaction() as uow:  # one partnership per transaction keeps locks short
            queued += await _queue_for(ctx, uow, partnership, now)
    return queued


async def _queue_for(ctx: JobContext, uow: UnitOfWork, partnership: Partnership, now: datetime) -> int:
    """Queue one partnership's due prompts, recording them as delivered."""
    cohort = await uow.cohorts.get(partnership.cohort_id)
    partners = [await uow.participants.get(pid) for pid in (partnership.partner_a_id, partnership.partner_b_id)]
    if cohort is None or partnership.started_on is None or None in partners:
        return 0
    week = partnership_week(partnership.started_on, now.date())
    due = due_prompts(
        ctx.guide,
        week,
        cohort.length_months,
        frozenset(await uow.guide.delivered(partnership.id)),
        await uow.guide.sent_since(partnership.id, now - timedelta(days=7)),
        ctx.settings.guide_max_per_week,
    )
    people = [person for person in partners if person is not None]
    messages = [_message(ctx, partnership, person, prompt, now) for prompt in due for person in people]
    await uow.guide.record(partnership.id, [p.id for p in due], now)
    return await uow.outbox.enqueue(messages, now) if messages else 0


def _message(
    ctx: JobContext, partnership: Partnership, person: Participant, prompt: Prompt, now: datetime
) -> NewOutboxMessage:
    """One partner's copy of a prompt, due in their own working hours."""
    return NewOutboxMessage(
        outbox_key("guide", partnership.id, person.id, prompt.id),
        "guide_prompt",
        person.id,
        prompt_reply(prompt, ctx.guide).to_dict(),
        next_delivery_time(now, person.time_zone, ctx.settings.hours),
    )


async def place_for(store: Store, me: Participant, now: datetime) -> GuidePlace:
    """Where this person is in the journey, with the prompts their partnership has had and those they saved."""
    async with store.transaction() as uow:
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
