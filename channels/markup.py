"""Verbatim text (domain.core.reply.verbatim) for Markdown-rendering places: escaped, marks removed.

Teams renders Markdown in card TextBlocks and FactSets and in markdown messages, so a name or
an answer like `[click](https://evil.example)` or `**bold**` would become a disguised link or
formatting on the partner's screen. Inside verbatim marks every character Markdown could act
on gets a backslash (CommonMark escapes, which Teams honours): the inline ones anywhere, and
the ones that only mean something at the start of a line (lists, headings, quotes) there.
Text outside the marks is ours and keeps its formatting.
"""

from __future__ import annotations

import re

from domain.core.reply import VERBATIM_END, VERBATIM_START, unmarked

_INLINE = re.compile(r"([\\`*_~\[\]()<>#|])")  # emphasis, code, links, images, autolinks and HTML, headings
_LINE_START = re.compile(r"^([ \t]*)([-+=]|\d+\.)", re.MULTILINE)  # bullets, setext underlines, "1." lists
_MARKED = re.compile(f"{VERBATIM_START}([^{VERBATIM_END}]*)(?:{VERBATIM_END}|$)")


def escape(text: str) -> str:
    """`text` with every Markdown-active character backslash-escaped: it renders as typed."""
    inline = _INLINE.sub(r"\\\1", text)
    return _LINE_START.sub(lambda m: f"{m.group(1)}{_line_start(m.group(2))}", inline)


def markdown(text: str) -> str:
    """Our Markdown as is; each verbatim part escaped (an unclosed one runs to the end); no marks left."""
    return unmarked(_MARKED.sub(lambda m: escape(m.group(1)), text))


def plain(text: str) -> str:
    """For places shown as plain text (button titles, labels, input values, notifications)."""
    return unmarked(text)


def _line_start(marker: str) -> str:
    return f"{marker[:-1]}\\." if marker.endswith(".") else f"\\{marker}"
