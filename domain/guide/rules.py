"""Which guide prompts are due for a partnership in a given week,
and which week a person is in.

Pure rules for the scheduled job: it passes the partnership's week, the cohort's length,
what has already been delivered and how much was sent lately; the rules say what is due.
"""

from __future__ import annotations

from datetime import date

from domain.core.model import Cohort, Partnership
from domain.core.timing import length_weeks, partnership_week
from domain.guide.model import Guide, Prompt

# A prompt missed for up to two weeks (a pause, a late pairing) is still worth sending;
# older ones would arrive out of step with the journey, so they stay browsable only.
CATCH_UP_WEEKS = 2
DEFAULT_LENGTH_MONTHS = 12  # before someone joins a cohort, the guide shows the usual length


def due_prompts(
    guide: Guide, week: int, length_months: int, delivered: frozenset[str], sent_last_7_days: int, max_per_week: int
) -> list[Prompt]:
    """Scheduled prompts due now, oldest first, within the catch-up window and the weekly cap."""
    last_week = length_weeks(length_months)
    due = [
        (prompt.week, position, prompt)
        for position, prompt in enumerate(guide.prompts)
        if week - CATCH_UP_WEEKS <= prompt.week <= min(week, last_week) and prompt.id not in delivered
    ]
    room = max(0, max_per_week - sent_last_7_days)
    return [prompt for _, _, prompt in sorted(due, key=lambda item: item[:2])[:room]]


def next_prompt(guide: Guide, week: int, length_months: int, delivered: frozenset[str]) -> Prompt | None:
    """The next scheduled prompt still to come: undelivered, not past catch-up, within the length."""
    last_week = length_weeks(length_months)
    upcoming = [
        (prompt.week, position, prompt)
        for position, prompt in enumerate(guide.prompts)
        if week - CATCH_UP_WEEKS <= prompt.week <= last_week and prompt.id not in delivered
    ]
    return min(upcoming, key=lambda item: item[:2])[2] if upcoming else None


def journey_week(partnership: Partnership | None, cohort: Cohort | None, today: date) -> int:
    """The week a person is in: from their pairing's start, else their cohort's launch, else this week."""
    if partnership is not None and partnership.started_on is not None:
        start = partnership.started_on
    else:
        start = cohort.start_date if cohort else today
    return partnership_week(start, today)
