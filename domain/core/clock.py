"""Time is a parameter: rules take `now`; long-lived code gets a `Clock`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Source of the current time (always timezone-aware UTC)."""

    def now(self) -> datetime: ...


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class FixedClock:
    """A clock that says what it is told; tests move it explicitly."""

    current: datetime

    def now(self) -> datetime:
        return self.current


class ShiftedClock:
    """Another clock, moved forward by `offset`: try-it's "jump a week" (local development only).

    Only forward: going back would put stored times in the future of the clock that wrote them.
    """

    def __init__(self, base: Clock, offset: timedelta = timedelta(0)) -> None:
        self.base = base
        self.offset = timedelta(0)
        self.advance(offset)

    def now(self) -> datetime:
        return self.base.now() + self.offset

    def advance(self, by: timedelta) -> None:
        """Move the clock forward by `by` (zero is allowed, backwards is not)."""
        if by < timedelta(0):
            raise ValueError("the shifted clock only moves forward")
        self.offset += by
