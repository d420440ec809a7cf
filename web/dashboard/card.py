"""A neutral `Reply` as HTML resembling the card people receive (the compose page's live preview).

The text's light Markdown (the subset Teams cards show: **bold**, _italics_ or *italics*, lists,
paragraphs) becomes markup only after everything typed has been escaped, so nothing typed can
add HTML. Link buttons are drawn as buttons that go nowhere: this is a picture of the card.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from domain.core.reply import Reply, unmarked

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![\w*])[_*](?!\s)(.+?)(?<!\s)[_*](?![\w*])")
_BULLET = re.compile(r"^\s*[-*]\s+(.*)$")
_NUMBER = re.compile(r"^\s*\d+[.)]\s+(.*)$")


def inline(text: str) -> str:
    """One escaped line with bold and italics."""
    escaped = str(escape(unmarked(text)))  # verbatim marks (domain/core/reply.py) are for chat renderers
    return _ITALIC.sub(r"<em>\1</em>", _BOLD.sub(r"<strong>\1</strong>", escaped))


def markdown(text: str) -> Markup:
    """Paragraphs, bullet and numbered lists, bold and italics; everything else shown as typed."""
    blocks: list[str] = []
    items: list[str] = []
    kind = ""
    lines: list[str] = []

    def flush_list() -> None:
        nonlocal items, kind
        if items:
            blocks.append(f"<{kind}>" + "".join(f"<li>{item}</li>" for item in items) + f"</{kind}>")
        items, kind = [], ""

    def flush_lines() -> None:
        nonlocal lines
        if lines:
            blocks.append("<p>" + "<br>".join(lines) + "</p>")
        lines = []

    for raw in text.replace("\r\n", "\n").split("\n"):
        bullet, number = _BULLET.match(raw), _NUMBER.match(raw)
        listed = bullet or number
        if listed:
            flush_lines()
            wanted = "ul" if bullet else "ol"
            if kind and kind != wanted:
                flush_list()
            kind = wanted
            items.append(inline(listed.group(1)))
        elif not raw.strip():
            flush_list()
            flush_lines()
        else:
            flush_list()
            lines.append(inline(raw))
    flush_list()
    flush_lines()
    return Markup("".join(blocks))


def card(reply: Reply) -> Markup:
    """The whole card: title, text, facts and buttons."""
    parts = ['<div class="card-preview" data-testid="card-preview">']
    if reply.title:
        parts.append(f'<p class="card-title">{escape(unmarked(reply.title))}</p>')
    if reply.text:
        parts.append(f'<div class="card-text">{markdown(reply.text)}</div>')
    if reply.facts:
        rows = "".join(f"<dt>{escape(unmarked(f.title))}</dt><dd>{escape(unmarked(f.value))}</dd>" for f in reply.facts)
        parts.append(f'<dl class="card-facts">{rows}</dl>')
    if reply.actions:
        buttons = "".join(f'<span class="card-button">{escape(unmarked(a.title))}</span>' for a in reply.actions)
        parts.append(f'<div class="card-actions">{buttons}</div>')
    parts.append("</div>")
    return Markup("".join(parts))
