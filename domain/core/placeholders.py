"""Placeholders in guide_content/: text a trust must replace before launch.

A placeholder is written one of two ways, and both are found:
- the marker `CONFIRM LOCALLY`, usually as `"CONFIRM LOCALLY: what to put here"`
  (support.yaml, privacy.yaml);
- a short word or phrase in square brackets, such as `[period]` (the survey consent).
  A markdown link `[text](https://...)` is not a placeholder.

The support card hides entries that still hold one, and production refuses to start
while any is left (see launch_checks.py).
"""

from __future__ import annotations

import re

MARKER = "CONFIRM LOCALLY"
# The marker runs to the end of its line (what to put there); a bracketed placeholder is short.
_FOUND = re.compile(rf"{MARKER}[^\n]*|\[[^\[\]\n]{{1,60}}\](?!\()")


def placeholders_in(text: str) -> tuple[str, ...]:
    """Each placeholder in `text`, in order, as written.

    The marker comes with what follows it on its line (what to put there); a bracketed one is
    its brackets and words.
    """
    return tuple(match.group(0) for match in _FOUND.finditer(text))


def has_placeholder(text: str) -> bool:
    """True while `text` still holds a placeholder."""
    return _FOUND.search(text) is not None
