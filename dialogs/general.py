"""Help and greetings: always available, to everyone."""

from __future__ import annotations

from dataclasses import replace

from botbuilder.core import TurnContext

from dialogs.commands import Command
from dialogs.common import Services, say, scope
from domain.home.help import help_for
from domain.home.service import home_for


async def show_help(context: TurnContext, services: Services, args: str) -> None:
    """What fits this person now (role and partnership); `help all` lists everything."""
    user = scope(context).user
    view = await home_for(
        services.store, user.channel_id, user.user_id, services.guide, services.facilitators, services.clock.now()
    )
    await say(context, help_for(replace(view, is_facilitator=scope(context).is_facilitator), args))


COMMANDS = (
    Command("help", ("help", "?", "menu", "hi", "hello", "hey", "start", "what can you do"), handler=show_help),
)
