"""Lists typed one per line, or all on one line where Enter sends the message."""

from __future__ import annotations

import pytest

from domain.language.lists import split_items


@pytest.mark.parametrize(
    ("typed", "items"),
    [
        ("Trust\nTime\nCandour", ["Trust", "Time", "Candour"]),
        ("1. Trust\n2) Time\n- Candour", ["Trust", "Time", "Candour"]),
        ("Trust; Time; Candour", ["Trust", "Time", "Candour"]),
        ("Trust;; Time;", ["Trust", "Time"]),
        ("1. Trust 2. Time 3. Candour", ["Trust", "Time", "Candour"]),
        ("(1) Trust (2) Time", ["Trust", "Time"]),
        ("• Trust • Time • Candour", ["Trust", "Time", "Candour"]),
        ("* Trust * Time", ["Trust", "Time"]),
        ("- One-to-one time - Candour", ["One-to-one time", "Candour"]),
        ("Listen first - really listen", ["Listen first - really listen"]),  # a dash in a sentence
        ("What matters to you, and why?", ["What matters to you, and why?"]),
        ("", []),
    ],
)
def test_lists_split_per_line_or_on_one_line(typed: str, items: list[str]) -> None:
    assert split_items(typed) == items
