"""The Guide for Learning Partners on demand (`guide …`) and signposting (`support`).

```mermaid
stateDiagram-v2
    [*] --> Overview: guide
    Overview --> Earlier: guide earlier
    Overview --> Phases: guide phases
    Phases --> Phase: guide phase P3
    Overview --> Resources: guide resources
    Overview --> Saved: guide saved
    [*] --> Skipped: guide skip <id> (from a sensitive prompt)
    [*] --> SavedOne: guide save <id>
    [*] --> Support: support (any time)
    Support --> AllSupport: support all (More options)
```
Every view is one reply; nothing waits for an answer, so there is no dialog state.
"""

from __future__ import annotations

from botbuilder.core import TurnContext

from dialogs.commands import Command
from dialogs.common import Services, say, scope
from domain.guide import browse, service, wording
from domain.guide.model import GuidePlace


async def _place(context: TurnContext, services: Services) -> GuidePlace:
    """Where the person speaking is in the journey."""
    return await service.place_for(services.store, scope(context).participant, services.clock.now())


async def show_guide(context: TurnContext, services: Services, args: str) -> None:
    """Route `guide` and its sub-commands to one reply."""
    word, _, rest = args.strip().partition(" ")
    handler = GUIDE_VIEWS.get(word.lower())
    if handler is None:
        await say(context, browse.guide_overview_reply(services.guide, await _place(context, services)))
        return
    await handler(context, services, rest.strip())


async def _earlier(context: TurnContext, services: Services, _rest: str) -> None:
    await say(context, browse.earlier_reply(services.guide, (await _place(context, services)).delivered))


async def _phases(context: TurnContext, services: Services, _rest: str) -> None:
    await say(context, browse.phases_reply(services.guide))


async def _phase(context: TurnContext, services: Services, rest: str) -> None:
    await say(context, browse.phase_reply(services.guide, rest.upper()))


async def _resources(context: TurnContext, services: Services, rest: str) -> None:
    await say(context, browse.resources_reply(services.guide, rest.upper() or None))


async def _saved(context: TurnContext, services: Services, _rest: str) -> None:
    await say(context, browse.saved_reply(services.guide, (await _place(context, services)).saved))


async def _save(context: TurnContext, services: Services, rest: str) -> None:
    """Keep a prompt for later (private to this person)."""
    me, now = scope(context).participant, services.clock.now()
    saved = await service.save_for_later(services.store, services.guide, me.id, rest.upper(), now)
    await say(context, wording.prompt_saved(saved))


async def _skip(context: TurnContext, services: Services, rest: str) -> None:
    """Skipping needs no reason and is not recorded against anyone."""
    skipped = await service.skip_prompt(services.store, scope(context).participant.id, rest.upper())
    await say(context, wording.prompt_skipped(skipped))


async def show_support(context: TurnContext, services: Services, args: str) -> None:
    """Signposting at any time; the companion never asks what happened. `support all` (the card's
    "More options") lists every option; anything else after `support` gets the short card."""
    everything = args.strip().lower() in SUPPORT_ALL
    await say(context, wording.support_reply(services.guide, everything=everything))


SUPPORT_ALL = ("all", "more", "more options", "everything")
GUIDE_VIEWS = {
    "earlier": _earlier,
    "phases": _phases,
    "phase": _phase,
    "resources": _resources,
    "saved": _saved,
    "save": _save,
    "skip": _skip,
}

COMMANDS = (
    Command("guide", ("guide", "the guide", "next prompt", "prompts"), handler=show_guide),
    Command("support", ("support", "help me", "i need support", "signposting"), handler=show_support),
)
