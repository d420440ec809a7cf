"""Replies as a person reads them: the words, without the marks that say which parts they typed.

Domain tests assert on words; how marked words are escaped for Teams is tested once, in
tests/channels/test_markup.py, and end to end in tests/e2e/test_typed_text.py.
"""

from __future__ import annotations

from typing import Any

from domain.core.reply import Reply, unmarked


def as_read(reply: Reply) -> Reply:
    """`reply` with the verbatim marks removed from every string."""
    return Reply.from_dict(_unmarked(reply.to_dict()))


def _unmarked(value: Any) -> Any:
    if isinstance(value, str):
        return unmarked(value)
    if isinstance(value, dict):
        return {key: _unmarked(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_unmarked(item) for item in value]
    return value


def listed_rows(text: str) -> list[tuple[str, str]]:
    """The rows of a `listed` text ("- **label**: value"), as (label, value) pairs; other lines are skipped."""
    found = (line[4:].partition("**") for line in text.splitlines() if line.startswith("- **"))
    return [(label, rest.removeprefix(": ")) for label, _, rest in found]
