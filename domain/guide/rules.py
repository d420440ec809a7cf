"""Which guide prompts are due for a partnership in a given week,
and which week a person is in.

Pure rules for the scheduled job: it passes the partnership's week, the cohort's length,
what has already been delivered and how much was sent lately; the rules say what is due.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from domain.core.model import Cohort, Partnership
from domain.core.timing import length_weeks, partnership_week
from domain.guide.model import Guide, Prompt, RecentProgress

# A prompt missed for up to two weeks (a pause, a late pairing) is still worth sending;
# older ones would arrive out of step with the journey, so they stay browsable only.
CATCH_UP_WEEKS = 2
DEFAULT_LENGTH_MONTHS = 12  # before someone joins a cohort, the guide shows the usual length
# A prompt is only ever queued in its week or the catch-up weeks after, so whether one still
# due was delivered can be read from this much recent progress (three weeks, plus margin).
RECENT_PROGRESS = timedelta(weeks=CATCH_UP_WEEKS + 2)


def due_prompts(
    guide: Guide, week: int, length_months: int, delivered: frozenset[str], sent_last_7_days: int, max_per_week: int
) -> list[Prompt]:
    """Scheduled prompts due now, oldest first, within the catch-up window and the weekly cap."""
    return Schedule(guide).due(week, length_months, delivered, sent_last_7_days, max_per_week)


class Schedule:
    """The guide's scheduled prompts by week, so a tick over thousands of pairs looks at a handful each."""

    def __init__(self, guide: Guide) -> None:
        # (week, position in the guide): the order prompts are due in.
        self._by_week: dict[int, list[tuple[int, Prompt]]] = {}
        for position, prompt in enumerate(guide.prompts):
            self._by_week.setdefault(prompt.week, []).append((position, prompt))

    def due(
        self, week: int, length_months: int, delivered: frozenset[str], sent_last_7_days: int, max_per_week: int
    ) -> list[Prompt]:
        """Prompts of weeks `week - CATCH_UP_WEEKS` to `week` (within the length) not yet delivered, capped."""
        room = max(0, max_per_week - sent_last_7_days)
        if room == 0:
            return []
        due: list[Prompt] = []
        for candidate in range(week - CATCH_UP_WEEKS, min(week, length_weeks(length_months)) + 1):
            due += [prompt for _, prompt in self._by_week.get(candidate, ()) if prompt.id not in delivered]
            if len(due) >= room:
                break
        return due[:room]


def next_prompt(guide: Guide, week: int, length_months: int, delivered: frozenset[str]) -> Prompt | None:
    """The next scheduled prompt still to come: undelivered, not past catch-up, within the length. Once the
    partnership has started (week 0, launch day), a preparation prompt from before launch is not "coming up":
    the journey has moved on (a late one may still arrive as catch-up, and stays browsable)."""
    last_week = length_weeks(length_months)
    earliest = week - CATCH_UP_WEEKS if week < 0 else max(0, week - CATCH_UP_WEEKS)
    upcoming = [
        (prompt.week, position, prompt)
        for position, prompt in enumerate(guide.prompts)
        if earliest <= prompt.week <= last_week and prompt.id not in delivered
    ]
    return min(upcoming, key=lambda item: item[:2])[2] if upcoming else None


def journey_week(partnership: Partnership | None, cohort: Cohort | None, today: date) -> int:
    """The week a person is in: from their pairing's start, else their cohort's launch, else this week."""
    if partnership is not None and partnership.started_on is not None:
        start = partnership.started_on
    else:
        start = cohort.start_date if cohort else today
    return partnership_week(start, today)


def plan_prompts(
    guide: Guide,
    partnerships: Sequence[Partnership],
    cohorts: Mapping[int, Cohort],
    recent: Mapping[int, RecentProgress],
    today: date,
    max_per_week: int,
) -> list[tuple[Partnership, list[Prompt]]]:
    """Each partnership's prompts due `today`, from its progress since RECENT_PROGRESS ago."""
    schedule, planned, nothing = Schedule(guide), [], RecentProgress(frozenset(), 0)
    # Pairs of a cohort are mostly in the same week with the same progress: each case is worked out once.
    decided: dict[tuple[int, int, RecentProgress], list[Prompt]] = {}
    for partnership in partnerships:
        cohort = cohorts.get(partnership.cohort_id)
        if cohort is None or partnership.started_on is None:
            continue
        progress = recent.get(partnership.id, nothing)
        case = (partnership_week(partnership.started_on, today), cohort.length_months, progress)
        due = decided.get(case)
        if due is None:
            due = decided[case] = schedule.due(case[0], case[1], progress.delivered, progress.this_week, max_per_week)
        if due:
            planned.append((partnership, due))
    return planned
