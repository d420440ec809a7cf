"""The daily budget on a fixed clock (pure `allot`): how many a day, in which order, and where
what does not fit goes (the person's next working day, in their own zone)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.core.budget import PRIORITY, Held, allot
from domain.core.spread import next_working_day_slot
from domain.core.timing import WorkingHours, local_date

HOURS = WorkingHours()
MONDAY = datetime(2027, 3, 8, 6, 0, tzinfo=UTC)  # before London's working day
LONDON = "Europe/London"


def held(row_id: int, kind: str, due: datetime, person: int = 7, zone: str = LONDON) -> Held:
    return Held(row_id, person, kind, due, zone)


def at(day: datetime, hour: int) -> datetime:
    return day.replace(hour=hour)


def test_the_priority_order_is_nudges_then_poll_reminders_then_guide_prompts_then_invitations() -> None:
    order = sorted(PRIORITY, key=lambda kind: PRIORITY[kind])
    assert order == ["nudge", "private_checkin", "poll_reminder", "guide_prompt", "aims_invite", "poll_invite"]


@pytest.mark.parametrize(
    ("budget", "promoted"),
    [
        (1, [5]),
        (2, [5, 4]),
        (3, [5, 4, 2]),
        (4, [5, 4, 2, 3]),
        (9, [5, 4, 2, 3, 1]),
    ],
)
def test_the_days_room_goes_in_priority_order_and_the_rest_waits_for_the_next_working_day(
    budget: int, promoted: list[int]
) -> None:
    messages = [
        held(1, "aims_invite", at(MONDAY, 10)),
        held(2, "guide_prompt", at(MONDAY, 11)),
        held(3, "guide_prompt", at(MONDAY, 12)),
        held(4, "poll_reminder", at(MONDAY, 13)),
        held(5, "nudge", at(MONDAY, 14)),
    ]
    decided = allot(messages, {}, MONDAY, HOURS, budget)
    assert decided.promote == promoted
    tuesday_slot = next_working_day_slot(MONDAY.date(), LONDON, HOURS, 7)
    assert local_date(tuesday_slot, LONDON).isoformat() == "2027-03-09"
    in_order = [5, 4, 2, 3, 1]
    assert decided.postpone == [(row, tuesday_slot) for row in in_order[budget:]]


def test_messages_already_promoted_today_use_up_the_budget_and_other_days_do_not() -> None:
    messages = [held(1, "guide_prompt", at(MONDAY, 10)), held(2, "guide_prompt", at(MONDAY, 11))]
    spent_today = {7: [at(MONDAY, 9)]}
    assert allot(messages, spent_today, MONDAY, HOURS, 2).promote == [1]
    spent_yesterday = {7: [at(MONDAY, 9) - timedelta(days=1)]}
    assert allot(messages, spent_yesterday, MONDAY, HOURS, 2).promote == [1, 2]
    assert allot(messages, {8: [at(MONDAY, 9)]}, MONDAY, HOURS, 2).promote == [1, 2]  # someone else's


def test_the_day_is_the_persons_own_day_in_their_time_zone() -> None:
    # 20:00 UTC on Monday is already Tuesday 01:30 in Kolkata: Monday's messages there are yesterday's.
    evening = at(MONDAY, 20)
    spent_on_kolkata_monday = {7: [datetime(2027, 3, 8, 6, 0, tzinfo=UTC)]}
    tuesday_message = held(1, "guide_prompt", datetime(2027, 3, 9, 5, 0, tzinfo=UTC), zone="Asia/Kolkata")
    assert allot([tuesday_message], spent_on_kolkata_monday, evening, HOURS, 1).promote == [1]


def test_messages_for_a_later_day_wait_and_one_whose_day_has_passed_counts_today() -> None:
    tomorrow, yesterday = (
        held(1, "nudge", at(MONDAY, 10) + timedelta(days=1)),
        held(2, "guide_prompt", MONDAY - timedelta(days=3)),
    )
    decided = allot([tomorrow, yesterday], {}, MONDAY, HOURS, 1)
    assert (decided.promote, decided.postpone) == ([2], [])


def test_friday_overflow_moves_to_monday_inside_the_persons_window() -> None:
    friday = datetime(2027, 3, 12, 7, 0, tzinfo=UTC)
    messages = [held(n, "guide_prompt", at(friday, 9 + n)) for n in (1, 2, 3)]
    decided = allot(messages, {}, friday, HOURS, 2)
    [(row, later)] = decided.postpone
    assert row == 3 and later.date().isoformat() == "2027-03-15"
    assert datetime(2027, 3, 15, 9, tzinfo=UTC) <= later < datetime(2027, 3, 15, 17, tzinfo=UTC)


def test_each_person_has_their_own_budget() -> None:
    messages = [held(n, "guide_prompt", at(MONDAY, 10), person=person) for n, person in enumerate((1, 1, 1, 2, 2))]
    decided = allot(messages, {}, MONDAY, HOURS, 2)
    assert sorted(decided.promote) == [0, 1, 3, 4] and [row for row, _ in decided.postpone] == [2]
