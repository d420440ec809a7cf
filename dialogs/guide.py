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
```
Every view is one reply; nothing waits for an answer, so there is no dialog state.
"""

from __future__ import annotations

from dataclasses import dataclass

from botbuilder.core import TurnContext

from dialogs.commands import Command
from dialogs.common import Services, say, scope
from domain.core.reply import Action, Reply
from domain.core.timing import partnership_week
from domain.guide.wording import (
    earlier_reply,
    guide_overview_reply,
    phase_reply,
    phases_reply,
    resources_reply,
    saved_reply,
    support_reply,
)


@dataclass(frozen=True)
class _Where:
    """Where this person is in the journey."""

    week: int
    length_months: int
    partnership_id: int | None
    delivered: list[str]
    saved: list[str]


async def _where(context: TurnContext, services: Services) -> _Where:
    me = scope(context).participant
    now = services.clock.now()
    async with services.store.transaction() as uow:
        partnership = await uow.partnerships.current_for(me.id)
        cohort = await uow.cohorts.get(partnership.cohort_id if partnership else (me.cohort_id or 0))
        delivered = await uow.guide.delivered(partnership.id) if partnership else []
        saved = await uow.guide.saved(me.id)
    start = (
        partnership.started_on
        if partnership and partnership.started_on
        else cohort.start_date
        if cohort
        else now.date()
    )
    return _Where(
        partnership_week(start, now.date()),
        cohort.length_months if cohort else 12,
        partnership.id if partnership else None,
        delivered,
        saved,
    )


async def show_guide(context: TurnContext, services: Services, args: str) -> None:
    """Route `guide` and its sub-commands to one reply."""
    word, _, rest = args.strip().partition(" ")
    handler = GUIDE_VIEWS.get(word.lower())
    if handler is None:
        where = await _where(context, services)
        await say(
            context, guide_overview_reply(services.guide, where.week, where.length_months, where.delivered, where.saved)
        )
        return
    await handler(context, services, rest.strip())


async def _earlier(context: TurnContext, services: Services, _rest: str) -> None:
    await say(context, earlier_reply(services.guide, (await _where(context, services)).delivered))


async def _phases(context: TurnContext, services: Services, _rest: str) -> None:
    await say(context, phases_reply(services.guide))


async def _phase(context: TurnContext, services: Services, rest: str) -> None:
    await say(context, phase_reply(services.guide, rest.upper()))


async def _resources(context: TurnContext, services: Services, rest: str) -> None:
    await say(context, resources_reply(services.guide, rest.upper() or None))


async def _saved(context: TurnContext, services: Services, _rest: str) -> None:
    await say(context, saved_reply(services.guide, (await _where(context, services)).saved))


async def _save(context: TurnContext, services: Services, rest: str) -> None:
    """Keep a prompt for later (private to this person)."""
    if services.guide.prompt(rest.upper()) is None:
        await say(context, Reply(text="I couldn't find that prompt. Type **guide** to see where you are."))
        return
    async with services.store.transaction() as uow:
        await uow.guide.save(scope(context).participant.id, rest.upper(), services.clock.now())
    await say(
        context,
        Reply(
            text="Saved for later. Type **guide saved** whenever you're ready.",
            actions=(Action("Saved for later", data={"command": "guide saved"}),),
        ),
    )


async def _skip(context: TurnContext, services: Services, rest: str) -> None:
    """Skipping needs no reason and is not recorded against anyone."""
    async with services.store.transaction() as uow:
        await uow.guide.unsave(scope(context).participant.id, rest.upper())
    await say(
        context,
        Reply(
            text="No problem, we'll leave that one. If you'd like support at any point, type **support**.",
            actions=(Action("Support", data={"command": "support"}),),
        ),
    )


async def show_support(context: TurnContext, services: Services, _args: str) -> None:
    """Signposting at any time; the companion never asks what happened."""
    await say(context, support_reply(services.guide))


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
