"""Rate limiter maths: how long a send must wait, with time passed in (no sleeping)."""

from __future__ import annotations

import itertools

import pytest

from scheduling.ratelimit import REPLY_ROOM, RateLimiter, TokenBucket
from scheduling.ratewindows import EDGE_GUARD


def send_times(limiter: RateLimiter, conversations: list[str], now: float = 0.0) -> list[float]:
    """The instants at which each send would go out if all asked at `now`."""
    return [now + limiter.reserve(conversation, now) for conversation in conversations]


def max_in_window(times: list[float], window: float) -> int:
    """The most sends inside any window [t, t + window) (a small margin guards float error)."""
    return max(sum(1 for t in times if start <= t < start + window - 1e-9) for start in times)


def test_bucket_starts_full_then_refills_at_its_rate() -> None:
    bucket = TokenBucket(rate=2.0, capacity=3.0)
    for _ in range(3):
        assert bucket.earliest(10.0) == 10.0
        bucket.take(10.0)
    assert bucket.earliest(10.0) == pytest.approx(10.5)
    assert bucket.earliest(20.0) == 20.0  # idle long enough: full again


def test_the_tenant_window_lets_a_burst_through_then_holds_the_rest() -> None:
    limiter = RateLimiter(tenant_rate=50.0, time=lambda: 0.0)
    times = send_times(limiter, [f"c{n}" for n in range(120)])
    assert times[:50] == pytest.approx([0.0] * 50)  # fifty people answered at once all hear back at once
    # The next fifty once the first have left the window, and the guard's worth later (Teams counts
    # arrivals: the first fifty may arrive late).
    assert times[50:100] == pytest.approx([1.0 + EDGE_GUARD] * 50)
    assert times[100:] == pytest.approx([2.0 + 2 * EDGE_GUARD] * 20)
    assert max_in_window(times, 1.0 + EDGE_GUARD) <= 50


def test_per_conversation_rate_is_seven_a_second() -> None:
    limiter = RateLimiter(tenant_rate=1000.0, conversation_rate=7.0, time=lambda: 0.0)
    times = send_times(limiter, ["one"] * 7)
    assert times == pytest.approx([n / 7 for n in range(7)])
    assert max_in_window(times, 1.0) <= 7


def test_one_conversation_stays_under_sixty_per_thirty_seconds() -> None:
    limiter = RateLimiter(tenant_rate=1000.0, time=lambda: 0.0)
    times = send_times(limiter, ["busy"] * 200)
    assert max_in_window(times, 30.0) < 60
    assert max_in_window(times, 1.0) <= 7
    # The sustained pace is still close to the limit, not needlessly slow.
    assert times[-1] < 200 / 1.4


def test_other_conversations_are_not_held_by_a_busy_one() -> None:
    limiter = RateLimiter(tenant_rate=1000.0, time=lambda: 0.0)
    send_times(limiter, ["busy"] * 30)
    assert limiter.reserve("quiet", 0.0) == pytest.approx(0.0, abs=0.01)


def test_pause_holds_every_conversation_until_it_ends() -> None:
    now = 100.0
    limiter = RateLimiter(time=lambda: now)
    limiter.pause_for(30.0)
    assert limiter.paused_for() == 30.0
    assert limiter.reserve("a", now) == pytest.approx(30.0)
    assert limiter.reserve("b", now) == pytest.approx(30.0)  # then both at once: the window has room
    limiter.pause_until(110.0)  # a shorter pause never cuts a longer one short
    assert limiter.paused_for() == 30.0


def test_pause_is_over_once_time_passes_it() -> None:
    clock = [0.0]
    limiter = RateLimiter(time=lambda: clock[0])
    limiter.pause_for(5.0)
    clock[0] = 5.5
    assert limiter.paused_for() == 0.0
    assert limiter.reserve("a", clock[0]) == 0.0


async def test_acquire_grants_just_in_time_one_spacing_after_the_last() -> None:
    waits: list[float] = []

    async def record(seconds: float) -> None:
        waits.append(seconds)

    limiter = RateLimiter(tenant_rate=50.0, outbox_rate=10.0, time=lambda: 0.0, sleep=record)
    granted = [await limiter.acquire(conversation) for conversation in ("a", "b", "c")]
    assert granted == pytest.approx([0.0, 0.1, 0.2])  # the first send needs no wait at all
    # Nothing is booked ahead: each send waits one spacing after the previous grant, when its turn comes.
    assert waits == pytest.approx([0.1, 0.1])


async def test_the_outbox_leaves_room_for_replies_in_every_window() -> None:
    async def frozen(_: float) -> None:
        return None  # the limiter's own clock runs on past the waits it asked for

    grants: list[tuple[float, bool]] = []
    limiter = RateLimiter(10.0, 10.0, time=lambda: 0.0, sleep=frozen, on_grant=lambda at, _, r: grants.append((at, r)))
    for n in range(30):
        await limiter.acquire(f"person-{n}")
    assert max_in_window([at for at, _ in grants], 1.0) == 10 - REPLY_ROOM  # the outbox alone never fills one
    now = limiter.now()
    assert [limiter.reserve(f"asker-{n}", now) for n in range(REPLY_ROOM)] == [0.0] * REPLY_ROOM  # at once


def test_idle_conversations_are_forgotten_when_many_are_held() -> None:
    limiter = RateLimiter(tenant_rate=1000.0, time=lambda: 0.0, prune_above=10)
    send_times(limiter, [f"c{n}" for n in range(10)])
    assert limiter.conversation_count == 10
    limiter.reserve("late", 3600.0)  # all ten have refilled by now: they are dropped
    assert limiter.conversation_count == 1


def test_busy_conversations_are_kept_when_pruning() -> None:
    limiter = RateLimiter(tenant_rate=1000.0, time=lambda: 0.0, prune_above=2)
    send_times(limiter, ["busy"] * 20 + ["idle"])
    limiter.reserve("new", 1.0)  # "idle" sent once, but inside the 60/30 s window: still remembered
    assert limiter.conversation_count == 3
    limiter.reserve("newer", 31.0)  # one old send is all "idle" and "new" have: forgotten; "busy" is not
    assert limiter.conversation_count == 2
    assert limiter.tracks("busy") and not limiter.tracks("idle")


def test_both_limits_hold_when_the_global_limit_is_congested() -> None:
    limiter = RateLimiter(tenant_rate=10.0, conversation_rate=7.0, time=lambda: 0.0)
    order = [("busy" if n % 3 == 0 else f"c{n}") for n in range(60)]
    times = send_times(limiter, order)
    assert max_in_window(times, 1.0) <= 10
    busy = sorted(t for t, c in zip(times, order, strict=False) if c == "busy")
    assert all(b - a >= 1 / 7 - 1e-9 for a, b in itertools.pairwise(busy))
    assert max(times) < 6.0 + 1e-9  # sixty sends at ten a window: the budget is used, not wasted


def test_replies_booked_ahead_hold_no_one_else_back() -> None:
    limiter = RateLimiter(tenant_rate=10.0, conversation_rate=2.0, time=lambda: 0.0)
    assert send_times(limiter, ["busy"] * 3) == pytest.approx([0.0, 0.5, 1.0])
    others = send_times(limiter, [f"c{n}" for n in range(6)])
    assert others == pytest.approx([0.0] * 6)  # "busy" waits for its own conversation, nobody else does
    # Two more fill the window that ends at busy's 0.5 send; a third would overfill it, so it waits past
    # that send, and then for the window to slide past the sends at 0.
    assert send_times(limiter, ["late-1", "late-2", "late-3"]) == pytest.approx([0.0, 0.0, 1.0 + EDGE_GUARD])
