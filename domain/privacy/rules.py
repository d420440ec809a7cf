"""Retention, decided in pure code: when a cohort ends, and which ones are past keeping."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from domain.core.model import Cohort


def months_later(day: date, months: int) -> date:
    """The same day `months` later (or earlier, for negative months), clamped to the month's end."""
    years, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def cohort_end(cohort: Cohort) -> date:
    """The day after a cohort's programme ends (start date plus its length in months)."""
    return months_later(cohort.start_date, cohort.length_months)


def retention_cutoff(now: datetime, months: int) -> datetime:
    """What ended before this moment is past keeping: `months` before `now`."""
    earlier = months_later(now.date(), -months)
    return now - timedelta(days=(now.date() - earlier).days)


def past_retention(cohorts: Sequence[Cohort], cutoff: datetime) -> list[int]:
    """Ids of cohorts whose programme ended on or before the cutoff day."""
    return [c.id for c in cohorts if cohort_end(c) <= cutoff.date()]


def dialog_cutoff(now: datetime, days: int) -> datetime:
    """Conversations untouched since this moment are abandoned."""
    return now - timedelta(days=days)
