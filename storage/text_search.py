"""Finding copies of someone's words in stored JSON (message payloads, dialog state documents).

The database narrows the rows with a case-sensitive substring test on the stored JSON text (both
as typed and as JSON escapes it); Python then keeps only rows where a string value holds the
text as a whole word or phrase, so erasing "Al" does not touch a message saying "Also".
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Text, cast, false, func, or_
from sqlalchemy.ext.asyncio import AsyncSession


def needles(texts: Sequence[str]) -> list[str]:
    """Each text as typed and as JSON stores it (non-ASCII and quotes escaped)."""
    return list(dict.fromkeys(form for text in texts for form in (text, json.dumps(text)[1:-1])))


def containing(session: AsyncSession, column: Any, texts: Sequence[str]) -> Any:
    """SQL: the column's JSON text holds one of the texts (case-sensitive; a superset of `mentions`)."""
    stored = cast(column, Text)
    if session.get_bind().dialect.name == "postgresql":
        tests = [func.strpos(stored, needle) > 0 for needle in needles(texts)]
    else:
        tests = [func.instr(stored, needle) > 0 for needle in needles(texts)]
    return or_(*tests) if tests else false()


def mentions(document: Any, texts: Sequence[str]) -> bool:
    """Whether a string anywhere in a JSON value (or a JSON document's text) holds one of the texts."""
    if isinstance(document, str):
        with contextlib.suppress(ValueError):
            document = json.loads(document)
    patterns = [_whole(text) for text in texts if text.strip()]
    return any(p.search(value) for value in _strings(document) for p in patterns)


def _whole(text: str) -> re.Pattern[str]:
    """`text` not run into a longer word on either side."""
    return re.compile(rf"(?<!\w){re.escape(text.strip())}(?!\w)")


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)
