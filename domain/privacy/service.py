"""Personal data use cases: the `my data` link and page, `erase me`, and the retention purge.

Every capability's part is in domain/privacy/registry.py; this module only walks that list.
Erasure runs in one transaction: the person's current partnership ends kindly (the partner
gets the note a partner leaving gets, naming nobody), every capability erases its part, and
copies of their name or words in messages queued to others, or in anyone's half-finished
conversation, are swept. The audit keeps "participant #n erased at t", nothing more.
"""

from __future__ import annotations

from datetime import datetime

from domain.core.audit import record_event
from domain.core.jobs import JobContext
from domain.core.links import DataLinks
from domain.core.ports import Store, UnitOfWork
from domain.core.timing import WorkingHours
from domain.guide.model import Guide
from domain.health.team_service import leaving_without_a_trace
from domain.privacy.model import DataLink, Erased, MyData, Purged
from domain.privacy.registry import PERSONAL_DATA
from domain.privacy.rules import dialog_cutoff, past_retention, retention_cutoff

PURGE_BATCH = 100  # people erased per tick at most: each is its own short transaction


async def my_data_link(store: Store, participant_id: int, links: DataLinks, now: datetime) -> DataLink:
    """A short-lived link to everything held about the person; the export is recorded in the audit."""
    url = links.my_data_url(participant_id)
    if url:
        async with store.transaction() as uow:
            await record_event(uow, participant_id, "export_own_data", participant_id, now)
    return DataLink(url)


async def erase_preview(store: Store, participant_id: int) -> bool:
    """Whether erasing the person would end a current partnership (the question says so)."""
    async with store.reading() as uow:
        return await uow.partnerships.current_for(participant_id) is not None


async def my_data(store: Store, participant_id: int, now: datetime) -> MyData | None:
    """Everything held about the person, section by section; None for someone unknown or erased."""
    async with store.reading() as uow:
        person = await uow.participants.get(participant_id)
        if person is None or person.erased_at is not None:
            return None
        sections = {}
        for data in PERSONAL_DATA:
            exported = await data.export(uow, participant_id)
            if exported:
                sections[data.section] = exported
    return MyData(participant_id, now, sections)


async def erase_participant(
    store: Store, participant_id: int, guide: Guide, now: datetime, hours: WorkingHours = WorkingHours()
) -> Erased:
    """Erase the person now, in every capability; an active partnership ends kindly for the partner."""
    async with store.transaction() as uow:
        person = await uow.participants.get(participant_id)
        if person is None or person.erased_at is not None:
            return Erased(partner_told=False)
        note = await leaving_without_a_trace(uow, participant_id, guide, now, hours)
        await erase_everywhere(uow, participant_id, now)
        if note is not None:
            await uow.outbox.enqueue([note], now)
        await record_event(uow, participant_id, "erase_participant", participant_id, now)
    return Erased(partner_told=note is not None, queued=note is not None)


async def erase_everywhere(uow: UnitOfWork, participant_id: int, now: datetime) -> None:
    """Every capability erases its part; then copies of their name and words elsewhere are swept."""
    traces = [text for data in PERSONAL_DATA for text in await data.traces(uow, participant_id) if text.strip()]
    for data in PERSONAL_DATA:
        await data.erase(uow, participant_id, now)
    await uow.outbox.withdraw_mentioning(traces)
    await uow.dialog_state.forget_mentioning(traces)


async def purge(ctx: JobContext, now: datetime) -> Purged:
    """Erase people whose programme ended more than the retention period ago (or who never enrolled and
    have been silent that long), forget records of what ended before then, and abandoned conversations."""
    cutoff = retention_cutoff(now, ctx.settings.retention_months)
    async with ctx.store.reading() as uow:
        cohorts = past_retention(await uow.cohorts.list_all(), cutoff)
        keep = set(await ctx.facilitators.ids(uow))  # facilitators stay while they facilitate
        candidates = await uow.participants.retention_due(cohorts, cutoff, PURGE_BATCH + len(keep))
    due = [p.id for p in candidates if p.id not in keep][:PURGE_BATCH]
    for participant_id in due:
        async with ctx.store.transaction() as uow:
            await erase_everywhere(uow, participant_id, now)
            await record_event(uow, None, "purge", participant_id, now)
    async with ctx.store.transaction() as uow:
        records = sum([await data.purge_before(uow, cutoff) for data in PERSONAL_DATA])
        records += await uow.dialog_state.forget_idle(dialog_cutoff(now, ctx.settings.dialog_state_days))
    return Purged(len(due), records)


async def run_due(ctx: JobContext, now: datetime) -> int:
    """The retention purge as scheduled work: how many people and records it removed."""
    return (await purge(ctx, now)).total
