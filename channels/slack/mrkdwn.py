"""Text for Slack: our light Markdown as Slack mrkdwn, and Slack's message text back to plain text.

Outbound, every text is escaped (`&`, `<`, `>`) before it is formatted, so text a person typed
can never become a link, a mention or `<!channel>` in someone else's message. The verbatim
marks around typed text (domain/core/reply.py) are dropped: Slack has no escape for `*` or
`_`, so a typed *word* may still show bold in Slack, but never as a link. Inbound, Slack's
own escapes and `<...>` markup are undone: links become their URL, mentions of the bot vanish.
"""

from __future__ import annotations

import html
import re

from domain.core.reply import unmarked

_BOLD = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)
_MARKUP = re.compile(r"<([^<>]*)>")
ELLIPSIS = "…"


def escape(text: str) -> str:
    """Slack's three control characters, escaped as Slack documents."""
    return unmarked(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mrkdwn(text: str) -> str:
    """Escaped, with **bold** as Slack's *bold* (backticks already mean code in both)."""
    return _BOLD.sub(r"*\1*", escape(text))


def plain(text: str, limit: int) -> str:
    """Text for a plain_text object: no formatting, at most `limit` characters."""
    return shorten(_BOLD.sub(r"\1", unmarked(text)), limit)


def shorten(text: str, limit: int) -> str:
    """`text` cut to `limit` characters with an ellipsis when it is longer."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + ELLIPSIS


def split_text(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` characters, cut at paragraph, line or word breaks where possible."""
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        window = rest[:limit]
        cut = max(window.rfind("\n\n"), window.rfind("\n"), window.rfind(" "))
        cut = cut if cut > limit // 2 else limit
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    return [*pieces, rest] if rest else pieces


def from_slack(text: str, bot_user_id: str = "") -> str:
    """A person's message as plain text: Slack markup undone, bot mentions dropped, whitespace tidied."""

    def unwrap(match: re.Match[str]) -> str:
        inner = match.group(1)
        target, _, label = inner.partition("|")
        if target.startswith("@"):
            return " " if bot_user_id and target[1:] == bot_user_id else f"@{label or target[1:]}"
        if target.startswith("#"):
            return f"#{label or target[1:]}"
        if target.startswith("!"):
            return f"@{label or target[1:].split('^')[0]}"
        return target  # a link: the URL itself (a meeting link typed into a session, say)

    text = html.unescape(_MARKUP.sub(unwrap, text or ""))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)
