"""Neutral `Reply` -> plain text, for channels without cards (and oversize cards).

Light Markdown only (**bold**, `code`), which Teams, Web Chat and most clients show well
and which still reads cleanly where it is not rendered. The whole message is Markdown, so
what a person typed is escaped (channels/markup.py), and so are button and choice titles
and input labels, which cards show as plain text. Numbered options are listed
choices first, then submit actions without a command, in the order `text_options` gives,
so a dialog can map a typed "3" back to the value a button would have sent.
"""

from __future__ import annotations

from typing import Any

from channels.markup import markdown
from domain.core.reply import Action, Fact, Reply, Section, unmarked, verbatim

NUMBER_HINT = "Reply with a number or type your answer."


def plain_text(reply: Reply) -> str:
    """Render `reply` as plain text (our Markdown): blocks separated by blank lines, typed text escaped."""
    return markdown(marked_text(reply))


def marked_text(reply: Reply) -> str:
    """`plain_text` before escaping: typed text still marked verbatim, for a channel with its own escaping."""
    blocks = [
        f"**{reply.title}**" if reply.title else "",
        reply.text.strip(),
        _facts(reply.facts),
        *(_section(section) for section in reply.sections),
        _inputs(reply),
        _numbered(reply),
        _links_and_commands(reply.actions),
    ]
    return "\n\n".join(block for block in blocks if block)


def _literal(title: str) -> str:
    """A button, choice or label title: plain text on a card, so escaped here like a person's words."""
    return verbatim(unmarked(title))


def text_options(reply: Reply) -> tuple[dict[str, Any], ...]:
    """The submit values behind the numbers in `plain_text` (index 0 is option "1")."""
    choices = tuple({"choice": c.value} for c in reply.choices)
    return choices + tuple(dict(a.data) for a in _numbered_actions(reply.actions))


def _facts(facts: tuple[Fact, ...]) -> str:
    """One "Title: value" line per fact."""
    return "\n".join(f"{f.title}: {f.value}" for f in facts)


def _section(section: Section) -> str:
    """Bold heading, then the section's text and facts."""
    parts = [f"**{section.heading}**" if section.heading else "", section.text.strip(), _facts(section.facts)]
    return "\n".join(part for part in parts if part)


def _inputs(reply: Reply) -> str:
    """Input labels, one a line; dialogs ask them one by one where cards are missing."""
    return "\n".join(_literal(item.label) for item in reply.inputs)


def _numbered(reply: Reply) -> str:
    """Choices and command-less submit actions as one numbered list plus the hint."""
    titles = [_literal(c.title) for c in reply.choices] + [_literal(a.title) for a in _numbered_actions(reply.actions)]
    if not titles:
        return ""
    lines = [f"{number}. {title}" for number, title in enumerate(titles, start=1)]
    return "\n".join([*lines, "", NUMBER_HINT])


def _numbered_actions(actions: tuple[Action, ...]) -> list[Action]:
    """Submit actions that cannot be typed as a command, so they get a number instead."""
    return [a for a in actions if a.kind == "submit" and not _command(a)]


def _links_and_commands(actions: tuple[Action, ...]) -> str:
    """Links as "Title: url" and command actions as "Title: type `command`"."""
    lines: list[str] = []
    for action in actions:
        if action.kind == "open_url":
            lines.append(f"{_literal(action.title)}: {unmarked(action.url)}")
        elif command := _command(action):
            lines.append(f"{_literal(action.title)}: type `{command}`")
    return "\n".join(lines)


def _command(action: Action) -> str:
    """The typed command behind a submit action, or "" when it has none."""
    command = action.data.get("command")
    return command if isinstance(command, str) else ""
