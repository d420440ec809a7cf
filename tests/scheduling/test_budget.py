"""The tenant send budget on injected time: replies first, never above Teams' limits, shared by replicas.

Grant instants come from the limiter's `on_grant` observer, so every count below is
exact; nothing here sleeps in real time.
"""

from __future__ import annotations

import asyncio
import itertools
import random
from collections import defaultdict
from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.core.clock import FixedClock
from scheduling.budget import HEARTBEAT_SECONDS, TenantShare
from scheduling.ratelimit import REPLY_ROOM, RateLimiter
from scheduling.ratewindows import EDGE_GUARD
from storage.dispatch_workers import WorkerRegistry
from tests.scheduling.manual_time import ManualTime
from tests.scheduling.seed import START

Grant = tuple[float, str, bool]  # (instant, conversation, is_reply)
SLACK = 1e-9


def most_in_window(times: list[float], window: float) -> int:
    """The most instants inside any half-open window [t, t + window)."""
    ordered, best, start = sorted(times), 0, 0
    for end, t in enumerate(ordered):
        while ordered[start] <= t - window + SLACK:
            start += 1
        best = max(best, end - start + 1)
    return best


def observed(time: ManualTime, grants: list[Grant], tenant: float = 50.0, outbox: float = 45.0) -> RateLimiter:
    """A limiter on `time` that appends every grant to `grants`."""
    return RateLimiter(
        tenant, outbox, time=time.time, sleep=time.wait_virtually, on_grant=lambda at, c, r: grants.append((at, c, r))
    )


async def test_a_reply_goes_before_a_broadcast_backlog() -> None:
    time, grants = ManualTime(), []
    limiter = observed(time, grants)
    backlog = [asyncio.create_task(limiter.acquire(f"person-{n}")) for n in range(300)]
    await time.run_to(2.0)
    assert 88 <= len(grants) <= 92 and limiter.queued >= 200  # 45 a second, with 200 more waiting
    reply = asyncio.create_task(limiter.acquire_reply("asker"))
    await time.run_to(2.1)
    assert reply.done()
    [(replied_at, _, _)] = [g for g in grants if g[2]]
    assert 2.0 <= replied_at <= 2.0 + 1 / 50 + SLACK  # one tenant slot at most, whatever is queued
    after = [at for at, _, reply in grants if not reply and at > 2.0]
    assert after and after[0] >= replied_at + 1 / 50 - SLACK
    for task in backlog:
        task.cancel()
    await asyncio.gather(*backlog, return_exceptions=True)


async def test_the_caps_hold_in_every_window_of_a_long_mixed_run() -> None:
    time, grants, rng = ManualTime(), [], random.Random(10)
    limiter = observed(time, grants)
    order = [f"person-{n % 1400}" for n in range(2800)] + ["busy"] * 90 + ["twice-a-second"] * 60
    rng.shuffle(order)
    asked: dict[str, float] = {}

    async def replies() -> None:
        for n in range(500):
            await time.wait_virtually(rng.expovariate(8.0))  # about eight replies a second, at random
            asked[f"reply-{n}"] = time.now
            await limiter.acquire_reply(f"reply-{n}")

    tasks = [asyncio.create_task(limiter.acquire(c)) for c in order] + [asyncio.create_task(replies())]
    await time.run_until(asyncio.gather(*tasks))

    everything = [at for at, _, _ in grants]
    outbox = [at for at, _, reply in grants if not reply]
    assert most_in_window(everything, 1.0) <= 50
    assert most_in_window(outbox, 1.0) <= 46 and most_in_window(outbox, 30.0) <= 45 * 30 + 1  # one send of catch-up
    per_conversation: dict[str, list[float]] = defaultdict(list)
    for at, conversation, _ in grants:
        per_conversation[conversation].append(at)
    for times in per_conversation.values():
        assert most_in_window(times, 1.0) <= 7 and most_in_window(times, 2.0) <= 8
        assert most_in_window(times, 30.0) <= 60
    waits = [at - asked[c] for at, c, reply in grants if reply]
    # No reply waited behind the outbox: the few that waited at all came in a bunch that used up the
    # room the outbox leaves for replies, and went once the window slid (plus the edge guard).
    assert len(waits) == 500 and sum(w > SLACK for w in waits) <= 5 and max(waits) <= 1 / 50 + EDGE_GUARD
    first_minute = sum(1 for t in outbox if t < 60.0)
    # The outbox used nearly all the replies left: 50 - 8 a second, less the room it keeps for them.
    assert first_minute >= 60 * (50 - 8 - REPLY_ROOM - 1)


async def test_one_conversation_keeps_every_teams_window() -> None:
    grants: list[Grant] = []

    async def frozen(_: float) -> None:
        return None  # the limiter's own clock runs on past the waits it asked for

    limiter = RateLimiter(1000.0, time=lambda: 0.0, sleep=frozen, on_grant=lambda at, c, r: grants.append((at, c, r)))
    for _ in range(1900):
        await limiter.acquire("chatty")
    times = [at for at, _, _ in grants]
    assert most_in_window(times, 1.0) <= 7 and most_in_window(times, 2.0) <= 8
    assert most_in_window(times, 30.0) <= 60 and most_in_window(times, 3600.0) <= 1800
    assert times[-1] > 3600.0  # the hour's limit, not only the short windows, held the last hundred back


async def test_a_cancelled_wait_gives_its_turn_to_the_next() -> None:
    time, grants = ManualTime(), []
    limiter = observed(time, grants)
    first = await limiter.acquire("a")
    gone, kept = asyncio.create_task(limiter.acquire("b")), asyncio.create_task(limiter.acquire("c"))
    await time.run_to(0.0)
    gone.cancel()
    await time.run_to(0.1)
    assert gone.cancelled() and kept.result() == pytest.approx(first + 1 / 45)  # the outbox's next spacing
    assert [c for _, c, _ in grants] == ["a", "c"]


async def test_a_pause_that_starts_while_a_reply_waits_holds_it_too() -> None:
    time, grants = ManualTime(), []
    limiter = observed(time, grants)
    for n in range(50):
        limiter.reserve(f"earlier-{n}", 0.0)
    reply = asyncio.create_task(limiter.acquire_reply("asker"))  # booked for 1.0, when the window has room
    await time.run_to(0.0)
    limiter.pause_for(5.0)  # a 429 arrives meanwhile
    await time.run_to(6.0)
    assert reply.done() and grants[-1][0] >= 5.0


class LateWakes:
    """Time in which every sleep ends `late` seconds after it was due, as in a busy event loop."""

    def __init__(self, late: float) -> None:
        self.now, self.late = 0.0, late

    def time(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds + self.late
        await asyncio.sleep(0)


async def test_late_wake_ups_cost_the_outbox_nothing_and_the_booked_instants_keep_the_caps() -> None:
    time, booked, sent = LateWakes(0.008), [], []

    def grant(at: float, _: str, __: bool) -> None:
        booked.append(at)
        sent.append(time.now)

    limiter = RateLimiter(50.0, 46.0, time=time.time, sleep=time.sleep, on_grant=grant)
    await asyncio.gather(*(limiter.acquire(f"person-{n}") for n in range(460)))
    # 460 sends at 46 a second (the first at once), although each wake-up came 8 ms late (the old
    # booking at the late instant pushed every tenant slot back: 1 / 28 ms, 36 a second).
    assert booked[-1] == pytest.approx(459 / 46, abs=0.01) and sent[-1] <= 459 / 46 + 0.03
    assert most_in_window(booked, 1.0) <= 47 and min(b - a for a, b in itertools.pairwise(booked)) >= 1 / 50 - SLACK
    assert all(0 <= s - b <= 1 / 50 + 0.008 + SLACK for b, s in zip(booked, sent, strict=True))

    end = time.now
    limiter.pause_until(end + 1.0)  # a 429: the granter wakes at end + 1.008, late again
    assert await limiter.acquire("after-a-pause") == pytest.approx(end + 1.0)  # booked as the pause ended, not in it
    time.now += 5.0
    asked = time.now
    assert await limiter.acquire("after-a-rest") == asked  # nothing due: booked when it asked, never earlier


async def test_two_workers_split_the_budget_through_the_heartbeat_table(engine: AsyncEngine) -> None:
    clock, registry = FixedClock(START), WorkerRegistry(engine)
    grants: dict[str, list[float]] = {"a": [], "b": []}

    async def frozen(_: float) -> None:
        return None

    def limiter(name: str) -> RateLimiter:
        return RateLimiter(
            50.0, 45.0, time=lambda: 0.0, sleep=frozen, on_grant=lambda at, _, __: grants[name].append(at)
        )

    first, second = limiter("a"), limiter("b")
    share_a, share_b = (
        TenantShare(registry, lim, f"worker-{n}", clock, sleep=frozen) for n, lim in (("a", first), ("b", second))
    )
    assert await share_a.join() == 0.0 and first.share == 1
    assert await share_b.join() == HEARTBEAT_SECONDS  # a newcomer holds back one beat while the others make room
    assert await share_a.beat() == 2 and (first.share, second.share) == (2, 2)

    await asyncio.gather(*(first.acquire(f"a{n}") for n in range(450)), *(second.acquire(f"b{n}") for n in range(450)))
    both = grants["a"] + grants["b"]
    assert most_in_window(both, 1.0) <= 50  # two replicas broadcasting flat out stay under the tenant cap
    for name in ("a", "b"):  # each at half of 45 a second
        assert max(grants[name]) == pytest.approx(449 / 22.5, abs=0.1)

    restarted = TenantShare(registry, limiter("b"), "worker-b", clock, sleep=frozen)
    assert await restarted.join() == 0.0  # the same id was never missed: no hold after a restart
    clock.current += timedelta(seconds=HEARTBEAT_SECONDS * 3 + 1)
    assert await share_a.beat() == 1 and first.share == 1  # worker-b went silent: worker-a takes it all
    await share_b.beat()
    await share_b.leave()
    assert await share_a.beat() == 1
