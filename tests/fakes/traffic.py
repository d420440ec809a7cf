"""What the fake connector answered: statuses, throttling, and each conversation's deliveries.

Kept small enough for a 45,000-person benchmark: per conversation only the arrival times of
delivered activities and a short visible-text summary of the latest one.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

SUMMARY_CHARS = 500


@dataclass
class Traffic:
    """Counters for one fake connector; times are the connector clock's, at each request's arrival."""

    by_status: Counter[int] = field(default_factory=Counter)
    throttled: Counter[str] = field(default_factory=Counter)
    deliveries: dict[str, list[float]] = field(default_factory=dict)
    latest: dict[str, str] = field(default_factory=dict)

    def answered(self, status: int) -> None:
        """Count one answer by status."""
        self.by_status[status] += 1

    def delivered(self, conversation_id: str, arrived: float, body: dict[str, Any]) -> None:
        """Record an activity the connector accepted (2xx) for `conversation_id`."""
        # answers can finish out of arrival order, so insert in place to keep the times sorted
        insort(self.deliveries.setdefault(conversation_id, []), arrived)
        self.latest[conversation_id] = summary(body)

    def delivered_since(self, conversation_id: str, since: float) -> float | None:
        """Arrival time of the first activity delivered to `conversation_id` at or after `since`."""
        times = self.deliveries.get(conversation_id, [])
        index = bisect_left(times, since)
        return times[index] if index < len(times) else None

    def snapshot(self, prefix: str | None = None, times: bool = False) -> dict[str, Any]:
        """JSON-ready counters; with `prefix`, the same for matching conversations (and, with `times`,
        each one's delivery times)."""
        result: dict[str, Any] = {
            "by_status": {str(status): count for status, count in sorted(self.by_status.items())},
            "throttled": dict(self.throttled),
            "conversations": len(self.deliveries),
            "delivered": sum(len(times) for times in self.deliveries.values()),
        }
        if prefix is not None:
            matching = {cid: t for cid, t in self.deliveries.items() if cid.startswith(prefix)}
            result["matching"] = {"conversations": len(matching), "delivered": sum(map(len, matching.values()))}
            if times:
                result["deliveries"] = matching
        return result

    def clear(self) -> None:
        """Forget everything (e.g. after a benchmark's warm-up)."""
        self.by_status.clear()
        self.throttled.clear()
        self.deliveries.clear()
        self.latest.clear()


def summary(body: dict[str, Any]) -> str:
    """The visible text of an activity (its text, then every card text and title), shortened."""
    parts: list[str] = []
    _collect(body.get("text"), parts)
    for attachment in body.get("attachments") or []:
        if isinstance(attachment, dict):
            _collect(attachment.get("content"), parts)
    return " | ".join(parts)[:SUMMARY_CHARS]


def _collect(node: Any, parts: list[str]) -> None:
    if isinstance(node, str):
        parts.append(node)
    elif isinstance(node, list):
        for item in node:
            _collect(item, parts)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key in ("text", "title", "value") and isinstance(value, str):
                parts.append(value)
            elif isinstance(value, dict | list):
                _collect(value, parts)
