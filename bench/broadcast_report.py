"""The broadcast benchmark's figures, each printed beside its target (issue 10)."""

from __future__ import annotations

import math
import re
import statistics
from dataclasses import dataclass, field
from typing import Any

from bench.teams import Turn

WINDOW = 10.0  # seconds per throughput window, for "sustained"
THROTTLED_SHARE = 0.01  # replicas sharing the tenant: at most this share of requests refused with 429
_SENT = re.compile(r"outbox dispatch worker=\S+ claimed=\d+ sent=(\d+)")


@dataclass
class Outcome:
    """What one run produced; times are CLOCK_MONOTONIC seconds."""

    people: int
    confirm_sent: float
    confirm: Turn
    ended: str
    final: dict[str, Any]
    probes: tuple[int, int, float]
    outbox: dict[str, int] = field(default_factory=dict)
    logs: list[str] = field(default_factory=list)  # each replica's bot log, the first replica's first
    bot_cpu: float = math.nan  # CPU seconds the bot processes used, start to stop


def report(outcome: Outcome, database: str, latency: float) -> None:
    """Print the figures and their targets."""
    deliveries: dict[str, list[float]] = outcome.final["deliveries"]
    firsts = sorted(times[0] for times in deliveries.values())
    lost = outcome.people - len(deliveries)
    duplicated = sum(len(times) - 1 for times in deliveries.values())
    span = firsts[-1] - firsts[0] if len(firsts) > 1 else math.nan
    rate = (len(firsts) - 1) / span if span > 0 else math.nan
    end_to_end = len(firsts) / (firsts[-1] - outcome.confirm_sent) if firsts else math.nan
    windows = _window_rates(firsts)
    sent, failed, p95 = outcome.probes
    confirm = outcome.confirm.latency
    replicas = len(outcome.logs)
    on = f"{database}, {replicas} replicas" if replicas > 1 else database
    print(f"\nbroadcast to {outcome.people} people on {on}; fake Teams: 50/s tenant cap, conversation")
    print(f"windows, {latency * 1000:.0f} ms latency; sending {outcome.ended}")
    print(f"{'figure':<44}{'measured':>16}   target")
    _line("messages/s, first to last delivery", f"{rate:.1f}", ">= 45", rate >= 45)
    _line("messages/s, confirm to last delivery", f"{end_to_end:.1f}", "(information)", None)
    if windows:
        low, middle = min(windows), statistics.median(windows)
        _line(f"messages/s per {WINDOW:.0f} s window, min / median", f"{low:.1f} / {middle:.1f}", "(information)", None)
    _line("lost (no delivery)", str(lost), "0", lost == 0)
    _line("duplicated (extra deliveries)", str(duplicated), "0", duplicated == 0)
    shown = "no reply" if confirm is None else f"{confirm:.2f} s"
    _line("confirm turn, to its reply", shown, "< 1 s", confirm is not None and confirm < 1)
    _line("confirm turn, HTTP", f"{outcome.confirm.http_seconds:.2f} s", "(information)", None)
    _line(f"help probes failed (of {sent})", str(failed), "0", failed == 0 and sent > 0)
    _line("help probes p95, to the reply", f"{p95:.2f} s", "< 1 s", p95 < 1)
    by_status: dict[str, int] = outcome.final["by_status"]
    refused, requests = by_status.get("429", 0), sum(by_status.values())
    share = refused / requests if requests else math.nan
    shown = f"{refused} of {requests} ({share:.2%})"
    if replicas > 1:
        _line("requests refused 429 (tenant shared)", shown, f"<= {THROTTLED_SHARE:.0%}", share <= THROTTLED_SHARE)
        sent = " / ".join(str(_sent_in(log)) for log in outcome.logs)
        _line("outbox sent by each replica", sent, "(information)", None)
    else:
        _line("requests refused 429", shown, "(information)", None)
    _diagnostics(outcome)


def _line(label: str, measured: str, target: str, met: bool | None) -> None:
    verdict = "" if met is None else ("met" if met else "MISSED")
    print(f"{label:<44}{measured:>16}   {target:<14}{verdict}")


def _window_rates(firsts: list[float]) -> list[float]:
    """Deliveries per second in each whole WINDOW from the first delivery (the last partial one left out)."""
    if len(firsts) < 2:
        return []
    whole = int((firsts[-1] - firsts[0]) // WINDOW)
    counts = [0] * whole
    for at in firsts:
        index = int((at - firsts[0]) // WINDOW)
        if index < whole:
            counts[index] += 1
    return [count / WINDOW for count in counts]


def _diagnostics(outcome: Outcome) -> None:
    """The fake's answers, the outbox at the end, and what the bot's log complained about."""
    final = outcome.final
    print(f"\nfake connector answers: {final['by_status']}; 429s by limit: {final['throttled'] or 'none'}")
    print(f"outbox at the end: {outcome.outbox}")
    lines = [line for log in outcome.logs for line in log.splitlines()]
    warnings = sum(" WARNING " in line for line in lines)
    errors = sum(" ERROR " in line for line in lines)
    busy = sum("maximum number of running instances" in line for line in lines)
    logs = "bot logs" if len(outcome.logs) > 1 else "bot log"
    print(f"{logs}: {warnings} warnings, {errors} errors, {busy} 'maximum number of running instances'")
    per = outcome.bot_cpu / outcome.people * 1000
    print(f"bot CPU, start to stop: {outcome.bot_cpu:.1f} s ({per:.1f} ms per recipient)")


def _sent_in(log: str) -> int:
    """Outbox messages one replica recorded as sent (its dispatcher's per-drain log lines)."""
    return sum(int(found.group(1)) for found in _SENT.finditer(log))
