"""What to do after a send attempt: pure classification of an HTTP status into an Outcome.

The SDK retries no POST (see DESIGN.md), so this module is the whole retry policy:
2xx sent; 429 retried after Retry-After with a global pause; 412/5xx/timeouts retried
with exponential backoff and full jitter, growing to ten minutes; 401 retried (the token
may be stale); 403/404 mean the person removed the app or left the tenant; other 4xx are
dead. Retries give up by age (hours since the message was first due), not by a count, so
an outage of minutes loses nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from enum import Enum

BACKOFF_BASE_SECONDS = 2.0
BACKOFF_CAP_SECONDS = 600.0
# A Retry-After far in the future is more likely a bug than a plan; never stall longer.
RETRY_AFTER_CAP_SECONDS = 3600.0
TRANSPORT_ERROR = 0  # the status a sender reports for timeouts and connection errors

RETRYABLE = frozenset({401, 412, 429, 500, 502, 503, 504, TRANSPORT_ERROR})
UNREACHABLE = frozenset({403, 404})


class Verdict(str, Enum):
    """The fate of one outbox row after one attempt."""

    SENT = "sent"
    RETRY = "retry"
    UNREACHABLE = "unreachable"
    DEAD = "dead"


@dataclass(frozen=True)
class Outcome:
    """A verdict, plus when to retry and how long to hold all sending (429 only)."""

    verdict: Verdict
    delay: float = 0.0
    pause: float = 0.0
    error: str = ""


def backoff(
    attempt: int, rng: random.Random, base: float = BACKOFF_BASE_SECONDS, cap: float = BACKOFF_CAP_SECONDS
) -> float:
    """Full-jitter exponential backoff: uniform in [0, min(cap, base * 2**(attempt-1))]."""
    exponent = min(max(attempt, 1) - 1, 32)  # the cap is reached long before 2**32
    return rng.uniform(0.0, min(cap, base * 2.0**exponent))


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After header (delta seconds or HTTP date), or None."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        from_date = _seconds_until_http_date(text, now)
        if from_date is None:
            return None
        seconds = from_date
    return min(max(seconds, 0.0), RETRY_AFTER_CAP_SECONDS)


def _seconds_until_http_date(text: str, now: datetime) -> float | None:
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # RFC 7231 dates are GMT
        when = when.replace(tzinfo=UTC)
    return (when - now).total_seconds()


def give_up(label: str, attempts: int, age: timedelta) -> Outcome:
    """The final outcome of a message still failing when it is too old to retry."""
    hours = age / timedelta(hours=1)
    return Outcome(Verdict.DEAD, error=f"{label}; gave up after {attempts} attempts over {hours:.1f} h")


def classify(
    status: int,
    attempts: int,
    age: timedelta,
    give_up_after: timedelta,
    rng: random.Random,
    now: datetime,
    retry_after: str | None = None,
    error: str = "",
) -> Outcome:
    """Decide the outcome of attempt number `attempts` (1-based), made `age` after the message was first due."""
    label = error or (f"http {status}" if status else "transport error")
    if 200 <= status < 300:
        return Outcome(Verdict.SENT)
    if status in UNREACHABLE:
        return Outcome(Verdict.UNREACHABLE, error=label)
    if status not in RETRYABLE:
        return Outcome(Verdict.DEAD, error=label)
    if age >= give_up_after:
        return give_up(label, attempts, age)
    waited = parse_retry_after(retry_after, now)
    delay = waited if waited is not None else backoff(attempts, rng)
    pause = delay if status == 429 else 0.0
    return Outcome(Verdict.RETRY, delay=delay, pause=pause, error=label)
