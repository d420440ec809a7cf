"""Partnership health rules over fixed dates: `assess` (thresholds, bookings, pauses) and
`next_step` (the nudge ladder, at most one a week, starting again after any activity)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from domain.core.model import NudgeRecord, Partnership, PartnershipStatus
from domain.health.model import ALERT, CHECKIN, NUDGE, Health
from domain.health.rules import assess, next_step

STARTED = date(2027, 1, 4)
MIDNIGHT = datetime(2027, 1, 4, tzinfo=UTC)  # the day the partnership started, in UTC
SECOND = timedelta(seconds=1)
WEEK = timedelta(weeks=1)
ACTIVE, PAUSED, ENDED = PartnershipStatus.ACTIVE, PartnershipStatus.PAUSED, PartnershipStatus.ENDED


def _pair(status: PartnershipStatus = ACTIVE, started_on: date | None = STARTED) -> Partnership:
    return Partnership(id=1, cohort_id=1, partner_a_id=10, partner_b_id=20, status=status, started_on=started_on)


@pytest.mark.parametrize(
    ("status", "last_activity", "upcoming", "now", "expected"),
    [
        # Measured from the start while nothing has happened yet.
        (ACTIVE, None, False, MIDNIGHT + 3 * WEEK, Health.ACTIVE),
        (ACTIVE, None, False, MIDNIGHT + 4 * WEEK - SECOND, Health.ACTIVE),
        (ACTIVE, None, False, MIDNIGHT + 4 * WEEK, Health.QUIET),
        (ACTIVE, None, False, MIDNIGHT + 8 * WEEK - SECOND, Health.QUIET),
        (ACTIVE, None, False, MIDNIGHT + 8 * WEEK, Health.INACTIVE),
        (ACTIVE, None, False, MIDNIGHT + 30 * WEEK, Health.INACTIVE),
        # Measured from the last activity once there is one.
        (ACTIVE, MIDNIGHT + 10 * WEEK, False, MIDNIGHT + 11 * WEEK, Health.ACTIVE),
        (ACTIVE, MIDNIGHT + 10 * WEEK, False, MIDNIGHT + 14 * WEEK - SECOND, Health.ACTIVE),
        (ACTIVE, MIDNIGHT + 10 * WEEK, False, MIDNIGHT + 14 * WEEK, Health.QUIET),
        (ACTIVE, MIDNIGHT + 10 * WEEK, False, MIDNIGHT + 18 * WEEK, Health.INACTIVE),
        # Activity before the start (e.g. a re-pair's old meeting) never makes a new pair look quiet.
        (ACTIVE, MIDNIGHT - 6 * WEEK, False, MIDNIGHT + 3 * WEEK, Health.ACTIVE),
        # A meeting booked ahead keeps a long-quiet pair active.
        (ACTIVE, None, True, MIDNIGHT + 20 * WEEK, Health.ACTIVE),
        (ACTIVE, MIDNIGHT, True, MIDNIGHT + 9 * WEEK, Health.ACTIVE),
        # Pauses and endings come from the status, whatever else is true.
        (PAUSED, None, False, MIDNIGHT + 20 * WEEK, Health.PAUSED),
        (PAUSED, None, True, MIDNIGHT + WEEK, Health.PAUSED),
        (ENDED, None, False, MIDNIGHT + 20 * WEEK, Health.ENDED),
        (ENDED, MIDNIGHT + 19 * WEEK, True, MIDNIGHT + 20 * WEEK, Health.ENDED),
    ],
)
def test_assess(
    status: PartnershipStatus, last_activity: datetime | None, upcoming: bool, now: datetime, expected: Health
) -> None:
    assert assess(_pair(status), last_activity, upcoming, now) is expected


@pytest.mark.parametrize(
    ("quiet", "inactive", "weeks", "expected"),
    [
        (2, 3, 1, Health.ACTIVE),
        (2, 3, 2, Health.QUIET),
        (2, 3, 3, Health.INACTIVE),
        (6, 10, 5, Health.ACTIVE),
        (6, 10, 6, Health.QUIET),
        (6, 10, 9, Health.QUIET),
        (6, 10, 10, Health.INACTIVE),
    ],
)
def test_assess_uses_the_cohort_thresholds(quiet: int, inactive: int, weeks: int, expected: Health) -> None:
    assert assess(_pair(), None, False, MIDNIGHT + weeks * WEEK, quiet, inactive) is expected


def test_assess_without_a_start_or_activity_has_nothing_to_measure() -> None:
    assert assess(_pair(started_on=None), None, False, MIDNIGHT + 50 * WEEK) is Health.ACTIVE
    assert assess(_pair(started_on=None), MIDNIGHT, False, MIDNIGHT + 5 * WEEK) is Health.QUIET


def test_assess_before_the_start_date_is_active() -> None:
    assert assess(_pair(), None, False, MIDNIGHT - 10 * WEEK) is Health.ACTIVE


T = MIDNIGHT + 5 * WEEK  # when the first nudge went out


def _sent(*steps: tuple[int, int | None, datetime]) -> list[NudgeRecord]:
    return [NudgeRecord(step, who, at) for step, who, at in steps]


FIRST = _sent((NUDGE, 10, T), (NUDGE, 20, T))
SECOND_STEP = FIRST + _sent((CHECKIN, 10, T + WEEK), (CHECKIN, 20, T + WEEK))
ALL = SECOND_STEP + _sent((ALERT, None, T + 2 * WEEK))


@pytest.mark.parametrize(
    ("health", "sent", "now", "expected"),
    [
        # Only quiet and inactive pairs are nudged.
        (Health.ACTIVE, [], T, None),
        (Health.PAUSED, [], T, None),
        (Health.ENDED, [], T, None),
        (Health.ACTIVE, FIRST, T + 3 * WEEK, None),
        # The ladder: 1, then 2, then 3, then nothing more.
        (Health.QUIET, [], T, NUDGE),
        (Health.INACTIVE, [], T, NUDGE),
        (Health.QUIET, FIRST, T + WEEK, CHECKIN),
        (Health.INACTIVE, SECOND_STEP, T + 2 * WEEK, ALERT),
        (Health.INACTIVE, ALL, T + 3 * WEEK, None),
        (Health.INACTIVE, ALL, T + 50 * WEEK, None),
        # At most one a week: exactly seven days after the last one is the earliest.
        (Health.QUIET, FIRST, T + WEEK - SECOND, None),
        (Health.QUIET, FIRST, T, None),
        (Health.INACTIVE, SECOND_STEP, T + 2 * WEEK - SECOND, None),
        # The order records arrive in does not matter.
        (Health.INACTIVE, list(reversed(SECOND_STEP)), T + 2 * WEEK, ALERT),
        (Health.INACTIVE, list(reversed(SECOND_STEP)), T + 2 * WEEK - SECOND, None),
    ],
)
def test_next_step(health: Health, sent: list[NudgeRecord], now: datetime, expected: int | None) -> None:
    assert next_step(health, sent, now) == expected


def test_activity_starts_the_ladder_again() -> None:
    """After a meeting, the nudges sent before it no longer count: the next quiet spell starts at step 1."""
    met = T + 2 * WEEK + timedelta(days=1)
    later = met + 4 * WEEK
    since_activity = [record for record in ALL if record.sent_at >= met]
    assert next_step(Health.INACTIVE, ALL, later) is None
    assert assess(_pair(), met, False, met + WEEK) is Health.ACTIVE
    assert next_step(assess(_pair(), met, False, met + WEEK), since_activity, met + WEEK) is None
    assert assess(_pair(), met, False, later) is Health.QUIET
    assert next_step(assess(_pair(), met, False, later), since_activity, later) == NUDGE


def test_the_quiet_clock_restarts_when_a_pause_ends() -> None:
    resumed = Partnership(
        1, 1, 1, 2, PartnershipStatus.ACTIVE, started_on=date(2027, 3, 1), resumed_on=date(2027, 5, 3)
    )
    assert assess(resumed, None, False, datetime(2027, 5, 24, tzinfo=UTC)) is Health.ACTIVE
    assert assess(resumed, None, False, datetime(2027, 5, 31, tzinfo=UTC)) is Health.QUIET
