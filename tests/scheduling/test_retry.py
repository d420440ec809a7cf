"""Retry policy: status classification, Retry-After parsing and full-jitter backoff bounds."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from scheduling.retry import BACKOFF_CAP_SECONDS, RETRY_AFTER_CAP_SECONDS, Verdict, backoff, classify, parse_retry_after

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
YOUNG = timedelta(minutes=5)  # how long ago the message was first due
GIVE_UP = timedelta(hours=24)


@pytest.mark.parametrize(
    ("status", "verdict"),
    [
        (200, Verdict.SENT),
        (201, Verdict.SENT),
        (202, Verdict.SENT),
        (429, Verdict.RETRY),
        (412, Verdict.RETRY),
        (500, Verdict.RETRY),
        (502, Verdict.RETRY),
        (503, Verdict.RETRY),
        (504, Verdict.RETRY),
        (401, Verdict.RETRY),
        (0, Verdict.RETRY),
        (403, Verdict.UNREACHABLE),
        (404, Verdict.UNREACHABLE),
        (400, Verdict.DEAD),
        (405, Verdict.DEAD),
        (409, Verdict.DEAD),
        (413, Verdict.DEAD),
        (422, Verdict.DEAD),
    ],
)
def test_status_is_classified(status: int, verdict: Verdict) -> None:
    assert classify(status, 1, YOUNG, GIVE_UP, random.Random(1), NOW).verdict is verdict


@pytest.mark.parametrize("status", [429, 412, 500, 502, 503, 504, 401, 0])
def test_retryable_status_is_dead_once_the_message_is_too_old(status: int) -> None:
    almost = GIVE_UP - timedelta(seconds=1)
    assert classify(status, 150, almost, GIVE_UP, random.Random(1), NOW).verdict is Verdict.RETRY
    outcome = classify(status, 151, GIVE_UP, GIVE_UP, random.Random(1), NOW)
    assert outcome.verdict is Verdict.DEAD
    assert "gave up after 151 attempts over 24.0 h" in outcome.error


@pytest.mark.parametrize("attempts", [8, 30, 1000])
def test_many_attempts_alone_never_give_up(attempts: int) -> None:
    outcome = classify(503, attempts, timedelta(hours=1), GIVE_UP, random.Random(1), NOW)
    assert outcome.verdict is Verdict.RETRY and 0.0 <= outcome.delay <= BACKOFF_CAP_SECONDS


@pytest.mark.parametrize("status", [403, 404])
def test_unreachable_does_not_wait_for_attempts(status: int) -> None:
    outcome = classify(status, 1, YOUNG, GIVE_UP, random.Random(1), NOW)
    assert (outcome.verdict, outcome.error) == (Verdict.UNREACHABLE, f"http {status}")


def test_429_honours_retry_after_seconds_and_pauses_everything() -> None:
    outcome = classify(429, 1, YOUNG, GIVE_UP, random.Random(1), NOW, retry_after="17")
    assert (outcome.verdict, outcome.delay, outcome.pause) == (Verdict.RETRY, 17.0, 17.0)


def test_429_honours_retry_after_http_date() -> None:
    outcome = classify(429, 1, YOUNG, GIVE_UP, random.Random(1), NOW, retry_after="Mon, 01 Mar 2027 09:01:30 GMT")
    assert (outcome.delay, outcome.pause) == (90.0, 90.0)


def test_429_without_retry_after_still_pauses_for_the_backoff() -> None:
    outcome = classify(429, 3, YOUNG, GIVE_UP, random.Random(5), NOW)
    assert 0.0 <= outcome.delay <= 8.0
    assert outcome.pause == outcome.delay


def test_503_backs_off_without_a_global_pause() -> None:
    outcome = classify(503, 2, YOUNG, GIVE_UP, random.Random(3), NOW)
    assert 0.0 <= outcome.delay <= 4.0
    assert outcome.pause == 0.0
    assert outcome.error == "http 503"


def test_transport_error_keeps_the_senders_label() -> None:
    outcome = classify(0, 1, YOUNG, GIVE_UP, random.Random(3), NOW, error="timeout")
    assert (outcome.verdict, outcome.error) == (Verdict.RETRY, "timeout")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", 0.0),
        ("5", 5.0),
        (" 2.5 ", 2.5),
        ("-3", 0.0),
        ("Mon, 01 Mar 2027 09:00:10 GMT", 10.0),
        ("Mon, 01 Mar 2027 08:59:00 GMT", 0.0),
        ("999999", RETRY_AFTER_CAP_SECONDS),
        (None, None),
        ("", None),
        ("soon", None),
    ],
)
def test_parse_retry_after(value: str | None, expected: float | None) -> None:
    assert parse_retry_after(value, NOW) == expected


@pytest.mark.parametrize(
    ("attempt", "ceiling"),
    [
        (1, 2.0),
        (2, 4.0),
        (3, 8.0),
        (6, 64.0),
        (9, 512.0),
        (10, BACKOFF_CAP_SECONDS),
        (50, BACKOFF_CAP_SECONDS),
    ],
)
def test_backoff_stays_within_full_jitter_bounds(attempt: int, ceiling: float) -> None:
    rng = random.Random(42)
    delays = [backoff(attempt, rng) for _ in range(500)]
    assert all(0.0 <= d <= ceiling for d in delays)
    # Full jitter spreads retries over the whole window instead of bunching them at the top.
    assert min(delays) < ceiling * 0.1 and max(delays) > ceiling * 0.9


def test_backoff_is_reproducible_with_a_seeded_random() -> None:
    first = [backoff(n, random.Random(9)) for n in range(1, 8)]
    assert first == [backoff(n, random.Random(9)) for n in range(1, 8)]
