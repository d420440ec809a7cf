"""Turn due guide prompts (and aims invitations) into outbox rows for every active partnership.

Both partners get the same prompt, each timed for their own working hours. A prompt is
recorded once per partnership, so re-running the job (or a second replica) sends nothing
twice; paused and ended partnerships are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from domain.aims.invites import aims_invites
from domain.core.jobs import JobContext
from domain.core.model import NewOutboxMessage, Participant, Partnership, outbox_key
from domain.core.ports import Store, UnitOfWork
from domain.core.timing import WorkingHours, next_delivery_time, partnership_week
from domain.guide.content import Guide
from domain.guide.rules import due_prompts
from domain.guide.wording import prompt_reply


@dataclass(frozen=True)
class GuidePolicy:
    """How guide prompts are paced (from settings)."""

    hours: WorkingHours
    max_per_week: int = 2


async def queue_guide_prompts(store: Store, guide: Guide, policy: GuidePolicy, now: datetime) -> int:
    """Queue every prompt due now; returns how many outbox messages were added."""
    async with store.transaction() as uow:
        partnerships = await uow.partnerships.list_active()
    queued = 0
    for partnership in partnerships:
        async with store.transaction() as uow:  # one partnership per transaction keeps locks short
            queued += await _queue_for(uow, partnership, guide, policy, now)
    return queued


async def _queue_for(
    uow: UnitOfWork, partnership: Partnership, guide: Guide, policy: GuidePolicy, now: datetime
) -> int:
    cohort = await uow.cohorts.get(partnership.cohort_id)
    partners = [await uow.participants.get(pid) for pid in (partnership.partner_a_id, partnership.partner_b_id)]
    if cohort is None or partnership.started_on is None or None in partners:
        return 0
    week = partnership_week(partnership.started_on, now.date())
    due = due_prompts(
        guide,
        week,
        cohort.length_months,
        frozenset(await uow.guide.delivered(partnership.id)),
        await uow.guide.sent_since(partnership.id, now - timedelta(days=7)),
        policy.max_per_week,
    )
    people = [person for person in partners if person is not None]
    messages = [
        _message(partnership, person, prompt.id, prompt_reply(prompt, guide).to_dict(), policy, now)
        for prompt in due
        for person in people
    ]
    messages += await aims_invites(uow, partnership, week, cohort.length_months, people, policy.hours, now)
    await uow.guide.record(partnership.id, [p.id for p in due], now)
    return await uow.outbox.enqueue(messages, now) if messages else 0


def _message(
    partnership: Partnership,
    person: Participant,
    prompt_id: str,
    payload: dict[str, Any],
    policy: GuidePolicy,
    now: datetime,
) -> NewOutboxMessage:
    return NewOutboxMessage(
        outbox_key("guide", partnership.id, person.id, prompt_id),
        "guide_prompt",
        person.id,
        payload,
        next_delivery_time(now, person.time_zone, policy.hours),
    )


async def run_due(ctx: JobContext, now: datetime) -> int:
    """Queue every guide prompt and aims invitation due at `now`; how many messages were queued."""
    policy = GuidePolicy(ctx.settings.hours, ctx.settings.guide_max_per_week)
    return await queue_guide_prompts(ctx.store, ctx.guide, policy, now)
