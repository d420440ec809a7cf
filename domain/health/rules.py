"""Partnership health and the graded nudge ladder: pure rules, no storage and no wording.

The ladder for a quiet pair: step 1, the same encouraging nudge to both partners; step 2,
a private check-in with each partner separately; step 3, an alert to facilitators. Any
activity (a meeting proposed, booked, met or logged) starts the ladder again, and nobody
is nudged more than once a week.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta

from domain.core.model import Cohort, NudgeRecord, Partnership, PartnershipStatus
from domain.health.model import ALERT, NUDGE, Activity, Booked, Health, Quiet
from domain.meetings.model import Meeting

ONE_A_WEEK = timedelta(days=7)


def booked_within(upcoming: Sequence[Meeting], until: date | None) -> tuple[Booked, ...]:
    """The booked meetings a pause until `until` covers (every one ahead when the pause is open-ended)."""
    return tuple(
        Booked(m.id, m.start_at)
        for m in upcoming
        if m.start_at is not None and (until is None or m.start_at.date() <= until)
    )


def assess(
    partnership: Partnership,
    last_activity: datetime | None,
    has_upcoming: bool,
    now: datetime,
    quiet_weeks: int = 4,
    inactive_weeks: int = 8,
) -> Health:
    """The partnership's health at `now`, from its status, its last activity and any booked meeting."""
    if partnership.status is PartnershipStatus.ENDED:
        return Health.ENDED
    if partnership.status is PartnershipStatus.PAUSED:
        return Health.PAUSED
    if has_upcoming:
        return Health.ACTIVE
    since = quiet_since(partnership, last_activity)
    if since is None:
        return Health.ACTIVE
    quiet_for = now - since
    if quiet_for >= timedelta(weeks=inactive_weeks):
        return Health.INACTIVE
    if quiet_for >= timedelta(weeks=quiet_weeks):
        return Health.QUIET
    return Health.ACTIVE


def next_step(health: Health, sent: list[NudgeRecord], now: datetime) -> int | None:
    """The ladder step due now (1, 2 or 3), given the nudges sent since the last activity; None if none is."""
    if health not in (Health.QUIET, Health.INACTIVE):
        return None
    if not sent:
        return NUDGE
    if now - max(record.sent_at for record in sent) < ONE_A_WEEK:
        return None
    reached = max(record.step for record in sent)
    return reached + 1 if reached < ALERT else None


def quiet_since(partnership: Partnership, last_activity: datetime | None) -> datetime | None:
    """When the quiet clock started: the last activity, the start, or the end of a pause (midnight UTC)."""
    days = (partnership.started_on, partnership.resumed_on)
    moments = [last_activity] + [datetime.combine(d, time.min, tzinfo=UTC) for d in days if d is not None]
    present = [moment for moment in moments if moment is not None]
    return max(present) if present else None


def quiet_pairs(
    partnerships: Sequence[Partnership], cohorts: Mapping[int, Cohort], activity: Mapping[int, Activity], now: datetime
) -> list[Quiet]:
    """The partnerships that are quiet or inactive at `now` (by their cohort's thresholds)."""
    found = []
    for partnership in partnerships:
        cohort = cohorts.get(partnership.cohort_id)
        if cohort is None or partnership.started_on is None:
            continue
        seen = activity.get(partnership.id, Activity())
        health = assess(partnership, seen.last, seen.has_upcoming, now, cohort.quiet_weeks, cohort.inactive_weeks)
        if health in (Health.QUIET, Health.INACTIVE):
            found.append(Quiet(partnership, cohort, health, quiet_since(partnership, seen.last) or now))
    return found


def steps_due(
    quiet: Sequence[Quiet], nudges: Mapping[int, Sequence[NudgeRecord]], now: datetime
) -> list[tuple[Quiet, int]]:
    """The ladder step due now for each quiet partnership, given every nudge it has had."""
    due = []
    for pair in quiet:
        sent = [n for n in nudges.get(pair.partnership.id, ()) if n.sent_at >= pair.since]
        step = next_step(pair.health, sent, now)
        if step is not None:
            due.append((pair, step))
    return due
