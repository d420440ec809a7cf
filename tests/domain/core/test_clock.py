"""The shifted clock behind try-it's "jump a week": the base clock plus an offset that only grows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.core.clock import FixedClock, ShiftedClock

START = datetime(2027, 3, 1, 10, 0, tzinfo=UTC)


def test_the_shifted_clock_follows_its_base_plus_the_offset() -> None:
    base = FixedClock(START)
    clock = ShiftedClock(base, timedelta(days=1))
    assert clock.now() == START + timedelta(days=1)
    base.current = START + timedelta(hours=2)
    assert clock.now() == START + timedelta(days=1, hours=2)


def test_advancing_adds_up_and_never_goes_back() -> None:
    clock = ShiftedClock(FixedClock(START))
    clock.advance(timedelta(weeks=1))
    clock.advance(timedelta(0))
    clock.advance(timedelta(days=2))
    assert clock.offset == timedelta(days=9)
    with pytest.raises(ValueError, match="forward"):
        clock.advance(timedelta(seconds=-1))
    with pytest.raises(ValueError, match="forward"):
        ShiftedClock(FixedClock(START), timedelta(days=-1))
    assert clock.now() == START + timedelta(days=9)
