"""Pure dashboard rules: sign-in link subjects, when a session lapses, suppressed cells (the poll rule),
meetings by month and how far a pair is through the guide."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.core.suppress import FEWER, HIDDEN
from domain.dashboard.model import Cell, PairFilter, PairRow, Refusal, SessionRecord
from domain.dashboard.rules import (
    by_month,
    cells,
    csv_rows,
    guide_place,
    lapsed,
    link_subject,
    matches,
    months,
    needs_touch,
    parse_link_subject,
    session_id,
    total_cell,
)
from domain.guide.content import load_guide
from domain.health.model import Health

NOW = datetime(2027, 3, 1, 10, 0, tzinfo=UTC)
IDLE = timedelta(minutes=30)


def test_a_link_subject_names_the_person_and_the_link_and_nothing_else_parses() -> None:
    subject = link_subject(12, "0a" * 12)
    assert parse_link_subject(subject) == (12, "0a" * 12)
    for bad in (None, "", "12", "12-XYZ", "0-" + "0a" * 12, "12-" + "0a" * 11, "12-" + "0a" * 12 + "-1"):
        assert parse_link_subject(bad) is None
    with pytest.raises(ValueError):
        link_subject(12, "not hex")


def test_a_session_is_stored_by_a_digest_never_by_the_cookie() -> None:
    assert session_id("abc") == session_id("abc") != session_id("abd")
    assert "abc" not in session_id("abc") and len(session_id("abc")) == 64


def record(created: datetime, seen: datetime, ended: datetime | None = None) -> SessionRecord:
    return SessionRecord("id", 1, "csrf", created, seen, ended)


def test_a_session_lapses_when_idle_signed_out_or_too_old() -> None:
    assert lapsed(record(NOW, NOW), NOW + timedelta(minutes=29), IDLE) is None
    assert lapsed(record(NOW, NOW), NOW + IDLE, IDLE) is Refusal.TIMED_OUT
    assert lapsed(record(NOW, NOW, ended=NOW), NOW, IDLE) is Refusal.NO_SESSION
    busy = record(NOW, NOW + timedelta(hours=11, minutes=59))
    assert lapsed(busy, NOW + timedelta(hours=11, minutes=59), IDLE) is None
    assert lapsed(busy, NOW + timedelta(hours=12), IDLE) is Refusal.TIMED_OUT


def test_the_last_use_is_written_at_most_once_a_minute() -> None:
    assert not needs_touch(record(NOW, NOW), NOW + timedelta(seconds=59))
    assert needs_touch(record(NOW, NOW), NOW + timedelta(minutes=1))


def test_counts_of_one_to_four_are_suppressed_and_a_lone_hidden_cell_hides_the_next_smallest() -> None:
    shown = {c.label: c.shown for c in cells({"Paired": 12, "Paused": 3, "Waiting": 6}, exclusive=True)}
    assert shown == {"Paired": "12", "Paused": FEWER, "Waiting": HIDDEN}
    apart = {c.label: c.shown for c in cells({"a": 12, "b": 3, "c": 6}, exclusive=False)}
    assert apart == {"a": "12", "b": FEWER, "c": "6"}
    two_hidden = {c.label: c.shown for c in cells({"a": 2, "b": 3, "c": 6, "d": 0}, exclusive=True)}
    assert two_hidden == {"a": FEWER, "b": FEWER, "c": "6", "d": "0"}
    assert total_cell("Enrolled", 4).count is None and total_cell("Enrolled", 5).count == 5
    assert total_cell("Enrolled", 0).shown == "0"


def test_meetings_are_counted_by_month_with_empty_months_and_nothing_in_the_future() -> None:
    starts = [datetime(2027, 1, 5, tzinfo=UTC)] * 6 + [datetime(2027, 3, 1, 9, tzinfo=UTC), NOW + timedelta(days=1)]
    counted = by_month(starts, datetime(2026, 12, 20).date(), NOW)
    assert counted == {"December 2026": 0, "January 2027": 6, "February 2027": 0, "March 2027": 1}
    assert len(months(datetime(2020, 1, 1).date(), NOW.date())) == 24


def test_guide_progress_is_the_phase_of_the_latest_scheduled_prompt_sent() -> None:
    guide = load_guide()
    first, later = guide.prompts[0], max(guide.prompts, key=lambda p: p.week)
    assert guide_place([], guide) == (0, "")
    assert guide_place(["not-a-prompt", first.id], guide)[0] == 1
    sent, phase = guide_place([later.id, first.id], guide)
    named = guide.phase(later.phase)
    assert sent == 2 and named is not None and phase == named.name


def row(names: tuple[str, str], cohort_id: int = 1, health: Health = Health.ACTIVE) -> PairRow:
    return PairRow(1, cohort_id, "C", names, health, None, False, 0, 10, "")


def test_the_partnership_filter_narrows_by_cohort_health_and_part_of_a_name() -> None:
    pair = row(("Ayesha Khan", "Ben Okafor"), cohort_id=2, health=Health.QUIET)
    assert matches(pair, PairFilter())
    assert matches(pair, PairFilter(cohort_id=2, health=Health.QUIET, name=" okaf "))
    assert not matches(pair, PairFilter(cohort_id=1))
    assert not matches(pair, PairFilter(health=Health.ACTIVE))
    assert not matches(pair, PairFilter(name="zed"))


def test_csv_holds_the_shown_values_and_cannot_start_a_formula() -> None:
    text = csv_rows([("Chart", "=cmd()", "12"), ("Chart", "Paused", Cell("Paused", None, FEWER).shown)])
    assert text.splitlines() == ["chart,label,count", "Chart,'=cmd(),12", f"Chart,Paused,{FEWER}"]
