"""The command table: typed words (or a button's `command`) -> a dialog or a handler.

Feature modules declare `COMMANDS`; `dialogs/__init__.py` gathers them. Matching is by
the longest alias at the start of the text, so `pair 3 7` finds `pair` with args `3 7`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from botbuilder.core import TurnContext

from dialogs.common import Services

Handler = Callable[[TurnContext, Services, str], Awaitable[None]]


@dataclass(frozen=True)
class Command:
    """One thing a person can ask for."""

    name: str
    aliases: tuple[str, ...]
    dialog_id: str = ""
    handler: Handler | None = None
    facilitators_only: bool = False


@dataclass(frozen=True)
class CommandTable:
    commands: tuple[Command, ...]

    def match(self, text: str) -> tuple[Command, str] | None:
        """The command the text starts with, and the rest of the text as arguments."""
        words = text.strip()
        folded = " ".join(words.lower().split())
        best: tuple[int, Command] | None = None
        for command in self.commands:
            for alias in command.aliases:
                if (folded == alias or folded.startswith(alias + " ")) and (best is None or len(alias) > best[0]):
                    best = (len(alias), command)
        if best is None:
            return None
        return best[1], " ".join(words.split())[best[0] :].strip()
