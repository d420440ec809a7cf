"""Help and greetings: always available, to everyone."""

from __future__ import annotations

from botbuilder.core import TurnContext

from dialogs.commands import Command
from dialogs.common import Services, say, scope
from domain.core.wording import help_reply


async def show_help(context: TurnContext, services: Services, _args: str) -> None:
    """Show what this person can do, facilitator commands included for facilitators."""
    await say(context, help_reply(scope(context).is_facilitator))


COMMANDS = (
    Command("help", ("help", "?", "menu", "hi", "hello", "hey", "start", "what can you do"), handler=show_help),
)
