"""Half an answer: days typed without a time, or a time without a day. Said back ("I have Tuesday
2 March 2027; what time?") and kept in the question's state, so the next answer completes it.

Used by domain.language.when; `HalfAnswer.held()` is what a dialog keeps between turns.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time
from typing import Any

from domain.language.recognize import AnswerError
from domain.language.show import format_date
from domain.language.when_words import Parts


class HalfAnswer(AnswerError):
    """Half of what is needed: days without a time, or a time without a day. Kept so the next answer completes it."""

    reask = False  # the message itself is the question ("...; what time?")

    def __init__(self, days: tuple[date, ...] = (), clock: time | None = None) -> None:
        self.days, self.clock = days, clock
        if days:
            listed = " and ".join(format_date(day) for day in days)
            super().__init__(f"I have {listed}; what time?")
        else:
            super().__init__(f"I have {clock:%H:%M}; which day?")

    def held(self) -> dict[str, Any]:
        """JSON-ready form, for dialog state."""
        return {"days": [day.isoformat() for day in self.days], "clock": self.clock.isoformat() if self.clock else ""}


def has_day(parts: Parts) -> bool:
    """Whether an option names a day (a date or a weekday)."""
    return parts.on is not None or parts.weekday is not None


def complete(parts: list[Parts], held: dict[str, Any] | None) -> list[Parts]:
    """Join this answer to an earlier half answer: held days take this time, a held time these days."""
    if not held:
        return parts
    days, clock = [date.fromisoformat(d) for d in held.get("days", ())], held.get("clock") or ""
    if days and all(p.clock is not None and not has_day(p) for p in parts):
        return [Parts(on=day, clock=p.clock) for day in days for p in parts]
    if clock and all(p.clock is None and has_day(p) for p in parts):
        return [replace(p, clock=time.fromisoformat(clock)) for p in parts]
    return parts
