"""What the dashboard's pages read: each page one read-only transaction and a bounded number of
queries (a few per cohort, the rest in bulk), counts suppressed before they leave the domain.

Nothing here shows a programme group: the pages name people only where chat does (partnerships,
unreachable people) and count everyone else.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from domain.core.model import Cohort, Participant, Partnership, PartnershipStatus
from domain.core.personal import FORMER_NAME
from domain.core.ports import Store
from domain.dashboard.model import CohortSummary, PairFilter, PairRow, Partnerships, Series, Unreachable
from domain.dashboard.rules import by_month, cells, guide_place, matches, total_cell
from domain.guide.model import Guide
from domain.health.model import Health
from domain.health.rules import assess
from domain.polls.model import PollListing
from domain.polls.results import PollResults
from domain.polls.service import list_polls, results_for

PAIRED, PAUSED, WAITING = "Paired", "Paused", "Waiting for a partner"
HEALTH_ORDER = (Health.INACTIVE, Health.QUIET, Health.ACTIVE, Health.PAUSED, Health.ENDED)
HEALTH_TITLES = {
    Health.ACTIVE: "Active",
    Health.QUIET: "Quiet",
    Health.INACTIVE: "Inactive",
    Health.PAUSED: "Paused",
    Health.ENDED: "Ended",
}
NOT_STARTED = "No prompt sent yet"


def _name(person: Participant | None) -> str:
    return (person.name if person is not None and person.erased_at is None else "") or FORMER_NAME


async def overview(store: Store) -> tuple[CohortSummary, ...]:
    """Each cohort: its join code, enrolled people by status, pairs by state, and who is unreachable."""
    summaries = []
    async with store.reading() as uow:
        for cohort in await uow.cohorts.list_all():
            people = [p for p in await uow.participants.list_in_cohort(cohort.id) if p.is_enrolled and not p.erased_at]
            pairs = await uow.partnerships.list_for_cohort(cohort.id)
            summaries.append(_summary(cohort, people, pairs))
    return tuple(summaries)


def _summary(cohort: Cohort, people: list[Participant], pairs: list[Partnership]) -> CohortSummary:
    status: dict[int, str] = {}
    for pair in pairs:
        if pair.status is not PartnershipStatus.ENDED:
            for pid in (pair.partner_a_id, pair.partner_b_id):
                status[pid] = PAUSED if pair.status is PartnershipStatus.PAUSED else PAIRED
    by_status = Counter(status.get(p.id, WAITING) for p in people)
    by_state = Counter(p.status for p in pairs)
    pair_counts = {f"{state.value.capitalize()} pairs": by_state[state] for state in PartnershipStatus}
    return CohortSummary(
        id=cohort.id,
        name=cohort.name,
        join_code=cohort.join_code,
        start_date=cohort.start_date,
        people=cells({label: by_status[label] for label in (PAIRED, PAUSED, WAITING)}, exclusive=True),
        enrolled=total_cell("Enrolled", len(people)),
        pairs=cells(pair_counts, exclusive=True),
        unreachable=total_cell("Unreachable", sum(1 for p in people if p.unreachable_at is not None)),
    )


async def partnerships(store: Store, guide: Guide, chosen: PairFilter, now: datetime) -> Partnerships:
    """Every partnership's health, last meeting, aims and guide progress; the rows the filter keeps."""
    async with store.reading() as uow:
        cohorts = await uow.cohorts.list_all()
        pairs = [(cohort, pair) for cohort in cohorts for pair in await uow.partnerships.list_for_cohort(cohort.id)]
        ids = [pair.id for _, pair in pairs]
        people = await uow.participants.get_many(
            sorted({pid for _, p in pairs for pid in (p.partner_a_id, p.partner_b_id)})
        )
        activity = await uow.health.activity(ids, now)
        aims = await uow.aims.progress(ids)
        met = await uow.meetings.met_starts(ids)
        delivered = await uow.guide.delivered_many(ids)
    total = len(guide.prompts)
    rows = []
    for cohort, pair in pairs:
        seen = activity.get(pair.id)
        health = assess(
            pair,
            seen.last if seen else None,
            bool(seen and seen.has_upcoming),
            now,
            cohort.quiet_weeks,
            cohort.inactive_weeks,
        )
        sent, phase = guide_place(delivered.get(pair.id, []), guide)
        starts = met.get(pair.id, [])
        rows.append(
            PairRow(
                id=pair.id,
                cohort_id=cohort.id,
                cohort=cohort.name,
                names=(_name(people.get(pair.partner_a_id)), _name(people.get(pair.partner_b_id))),
                health=health,
                last_met=starts[-1].date() if starts else None,
                aims_agreed=pair.id in aims and aims[pair.id].agreed,
                prompts_sent=sent,
                prompts_total=total,
                phase=phase,
            )
        )
    rows.sort(key=lambda row: (row.cohort, HEALTH_ORDER.index(row.health), row.id))
    counted = Counter(row.health for row in rows)
    keys = {HEALTH_TITLES[h]: h.value for h in HEALTH_ORDER}
    by_health = cells({HEALTH_TITLES[h]: counted[h] for h in HEALTH_ORDER}, exclusive=True, keys=keys)
    kept = tuple(row for row in rows if matches(row, chosen))
    return Partnerships(kept, by_health, tuple((c.id, c.name) for c in cohorts), chosen)


async def meetings_by_month(store: Store, now: datetime) -> Series:
    """Meetings held per month, from the first cohort's start to now (suppressed), with the total."""
    async with store.reading() as uow:
        cohorts = await uow.cohorts.list_all()
        ids = [pair.id for cohort in cohorts for pair in await uow.partnerships.list_for_cohort(cohort.id)]
        met = await uow.meetings.met_starts(ids)
    starts = [start for found in met.values() for start in found if start <= now]
    first = min([c.start_date for c in cohorts] + [s.date() for s in starts], default=now.date())
    counts = by_month(starts, first, now)
    return Series("Meetings held each month", cells(counts, exclusive=True), total_cell("Meetings held", len(starts)))


async def guide_by_phase(store: Store, guide: Guide) -> Series:
    """Current partnerships by the phase of the latest guide prompt they were sent (suppressed)."""
    async with store.reading() as uow:
        cohorts = await uow.cohorts.list_all()
        current = [
            pair.id
            for cohort in cohorts
            for pair in await uow.partnerships.list_for_cohort(cohort.id)
            if pair.status is not PartnershipStatus.ENDED
        ]
        delivered = await uow.guide.delivered_many(current)
    reached = Counter(guide_place(delivered.get(pid, []), guide)[1] or NOT_STARTED for pid in current)
    labels = [NOT_STARTED, *dict.fromkeys(phase.name for phase in guide.phases)]
    counts = {label: reached[label] for label in labels}
    title = "Current partnerships by guide phase reached"
    return Series(title, cells(counts, exclusive=True), total_cell("Current partnerships", len(current)))


async def unreachable_people(store: Store) -> tuple[Unreachable, ...]:
    """People the companion could not reach, longest first (facilitators follow them up)."""
    async with store.reading() as uow:
        names = {c.id: c.name for c in await uow.cohorts.list_all()}
        people = [p for p in await uow.participants.list_all() if p.unreachable_at is not None and not p.erased_at]
    found = [
        Unreachable(p.id, _name(p), names.get(p.cohort_id, "") if p.cohort_id else "", p.unreachable_at)
        for p in people
        if p.unreachable_at is not None
    ]
    return tuple(sorted(found, key=lambda u: (u.since, u.participant_id)))


async def closed_polls(store: Store) -> tuple[PollResults, ...]:
    """Every closed poll's results, suppressed exactly as `poll results` shows them in chat, newest first."""
    listed: list[PollListing] = await list_polls(store)
    found = []
    for listing in listed:
        if listing.poll.closed:
            results = await results_for(store, listing.poll.id)
            if results is not None and results.results is not None:
                found.append(results)
    return tuple(found)
