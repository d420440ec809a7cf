"""Partnership health and the graded nudge ladder: pure rules, no storage and no wording.

The ladder for a quiet pair: step 1, the same encouraging nudge to both partners; step 2,
a private check-in with each partner separately; step 3, an alert to facilitators. Any
activity (a meeting proposed, booked, met or logged) starts the ladder again, and nobody
is nudged more than once a week.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from domain.core.model import NudgeRecord, Partnership, PartnershipStatus
from domain.health.model import ALERT, NUDGE, Health

ONE_A_WEEK = timedelta(days=7)


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
