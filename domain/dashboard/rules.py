"""Dashboard rules on data alone: sign-in link subjects, when a session has lapsed, suppressed counts,
meetings by month and how far a pair is through the guide."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta

from domain.core.suppress import suppress
from domain.dashboard.model import MAX_SESSION, TOUCH_EVERY, Cell, PairFilter, PairRow, Refusal, SessionRecord
from domain.guide.model import Guide

_SUBJECT = re.compile(r"([1-9][0-9]{0,17})-([0-9a-f]{24})")
MONTHS_SHOWN = 24  # the meetings chart covers at most the last two years


def link_subject(participant_id: int, link_id: str) -> str:
    """The signed part of a sign-in link: whose it is and its random id ('12-<24 hex>')."""
    if not re.fullmatch(r"[0-9a-f]{24}", link_id) or participant_id <= 0:
        raise ValueError("a sign-in link names a participant id and 24 hex digits")
    return f"{participant_id}-{link_id}"


def parse_link_subject(subject: str | None) -> tuple[int, str] | None:
    """(participant id, link id) of a sign-in link's subject; None for anything else."""
    match = _SUBJECT.fullmatch(subject or "")
    return (int(match.group(1)), match.group(2)) if match else None


def session_id(cookie: str) -> str:
    """What is stored for a session cookie: its SHA-256, so a copy of the database opens no session."""
    return hashlib.sha256(cookie.encode("utf-8")).hexdigest()


def lapsed(record: SessionRecord, now: datetime, idle: timedelta) -> Refusal | None:
    """Why the session no longer lets anyone in (signed out, idle too long, too old); None while it does."""
    if record.ended_at is not None:
        return Refusal.NO_SESSION
    if now - record.last_seen_at >= idle or now - record.created_at >= MAX_SESSION:
        return Refusal.TIMED_OUT
    return None


def needs_touch(record: SessionRecord, now: datetime) -> bool:
    """Whether to write the session's last use (at most once a minute: pages are read, not written)."""
    return now - record.last_seen_at >= TOUCH_EVERY


def cells(counts: Mapping[str, int], exclusive: bool, keys: Mapping[str, str] | None = None) -> tuple[Cell, ...]:
    """Counts as cells, 1-4 suppressed (and, for a split of a shown total, the next smallest too)."""
    notes = suppress(counts, exclusive)
    return tuple(
        Cell(label, count if notes[label] is None else None, notes[label] or "", (keys or {}).get(label, ""))
        for label, count in counts.items()
    )


def total_cell(label: str, count: int) -> Cell:
    """A total on its own: suppressed like any other count."""
    return cells({label: count}, exclusive=False)[0]


def month_start(day: date) -> date:
    return day.replace(day=1)


def months(first: date, last: date) -> list[date]:
    """The first day of each month from `first`'s to `last`'s, at most MONTHS_SHOWN (the latest ones)."""
    found, at = [], month_start(first)
    while at <= last:
        found.append(at)
        at = (at + timedelta(days=32)).replace(day=1)
    return found[-MONTHS_SHOWN:]


def by_month(starts: Iterable[datetime], first: date, now: datetime) -> dict[str, int]:
    """Meetings per month ('March 2027' -> count), every month from `first` to now, empty months included."""
    counted = Counter(month_start(start.date()) for start in starts if start <= now)
    return {f"{month:%B %Y}": counted.get(month, 0) for month in months(first, now.date())}


def guide_place(delivered: Sequence[str], guide: Guide) -> tuple[int, str]:
    """(scheduled prompts sent, name of the phase of the latest one) for one partnership."""
    scheduled = {prompt.id: prompt for prompt in guide.prompts}
    sent = [scheduled[p] for p in delivered if p in scheduled]
    if not sent:
        return 0, ""
    latest = max(sent, key=lambda prompt: prompt.week)
    phase = guide.phase(latest.phase)
    return len(sent), phase.name if phase else ""


def matches(row: PairRow, chosen: PairFilter) -> bool:
    """Whether a partnership is in the filtered list (cohort, health, and part of either name)."""
    if chosen.cohort_id is not None and row.cohort_id != chosen.cohort_id:
        return False
    if chosen.health is not None and row.health is not chosen.health:
        return False
    wanted = chosen.name.strip().casefold()
    return not wanted or any(wanted in name.casefold() for name in row.names)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_HEADER = ("chart", "label", "count")


def csv_rows(rows: Iterable[tuple[str, str, str]]) -> str:
    """Aggregates as CSV (chart, label, count or its suppression note); cells made formula-safe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    writer.writerows([("'" + cell if cell.startswith(_FORMULA_START) else cell) for cell in row] for row in rows)
    return out.getvalue()


def cell_rows(chart: str, found: Iterable[Cell]) -> list[tuple[str, str, str]]:
    """A chart's cells as CSV rows: exactly what the page shows (a suppressed count as its note)."""
    return [(chart, cell.label, cell.shown) for cell in found]
