"""Help and greetings: always available, to everyone."""

from __future__ import annotations

from botbuilder.core import TurnContext

from dialogs.commands import Command
from dialogs.common import Services, say, scope
from domain.home.help import help_for
from domain.home.service import help_view


async def show_help(context: TurnContext, services: Services, args: str) -> None:
    """What fits this person now (role and partnership); `help all` lists everything."""
    me = scope(context)
    view = await help_view(services.store, me.participant, me.is_facilitator, services.clock.now())
    await say(context, help_for(view, args))


COMMANDS = (
    Command("help", ("help", "?", "menu", "hi", "hello", "hey", "start", "what can you do"), handler=show_help),
)
