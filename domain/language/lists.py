"""Lists typed by people: one item per line, or all on one line where Enter sends the message.

Teams on a phone, Web Chat and Slack send on Enter, so a list often arrives as one line:
"Listen first; Share openly", "1. Listen first 2. Share openly" or "• Listen first • Share openly".
"""

from __future__ import annotations

import re

_ITEM_MARK = re.compile(r"^\s*(?:[-*\u2022]|\(?\d{1,2}[.)])\s*")
_INLINE_NUMBERS = re.compile(r"(?:^|\s)\(?\d{1,2}[.)]\s+")
_LEADING_BULLET = re.compile(r"^\s*([-*\u2022])\s")


def split_items(text: str) -> list[str]:
    """A typed list as items: one per line, or (on one line) split at ";", at "1. 2. 3." or at the bullet
    the line starts with ("- a - b", "• a • b"); bullets and numbering are dropped."""
    raw = text.splitlines()
    if len(raw) == 1:
        raw = _one_line(raw[0])
    items = (_ITEM_MARK.sub("", item).strip(" \t") for item in raw)
    return [item for item in items if item]


def _one_line(line: str) -> list[str]:
    if ";" in line:
        return line.split(";")
    bullet = _LEADING_BULLET.match(line)
    if bullet is not None:
        # Why: only the mark the list starts with, and only with spaces round it, so "one-to-one" stays whole.
        return line.split(f" {bullet.group(1)} ")
    return _INLINE_NUMBERS.split(line)
