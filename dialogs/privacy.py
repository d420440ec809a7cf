"""A person's own data: `my data` (a short-lived signed link to everything held about them) and
`erase me` (a clear question first, then everything is deleted within the turn).

```mermaid
stateDiagram-v2
    [*] --> Link: my data
    Link --> [*]: signed link (24 hours), recorded in the audit
    [*] --> Confirm: erase me
    Confirm --> [*]: no / cancel: nothing deleted
    Confirm --> [*]: yes: erased; an active partner is told kindly
```
"""

from __future__ import annotations

from botbuilder.core import TurnContext
from botbuilder.dialogs import Dialog, DialogTurnResult, WaterfallDialog, WaterfallStepContext

from dialogs.ask import ASK, ask_choice
from dialogs.commands import Command
from dialogs.common import FORGET_CONVERSATION, Services, say, say_outcome, scope
from domain.core.timing import parse_working_hours
from domain.privacy import service as privacy
from domain.privacy.wording import ERASE_YES, erase_question, erased_reply, kept, my_data_reply

ERASE = "privacy.erase"


def build(services: Services) -> list[Dialog]:
    """The erase-me dialog."""
    flow = _Erase(services)
    return [WaterfallDialog(ERASE, [flow.confirm, flow.erase])]


class _Erase:
    def __init__(self, services: Services) -> None:
        self.services = services

    async def confirm(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Say plainly what will go, what stays, and that it cannot be undone; ask yes or no."""
        paired = await privacy.erase_preview(self.services.store, scope(step.context).participant.id)
        return await step.begin_dialog(ASK, ask_choice(erase_question(paired)))

    async def erase(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Erase on yes; anything else keeps everything."""
        if step.result != ERASE_YES:
            await say(step.context, kept())
            return await step.end_dialog()
        services, me = self.services, scope(step.context).participant.id
        hours = parse_working_hours(services.settings.work_hours)
        done = await say_outcome(
            step.context,
            services,
            lambda: privacy.erase_participant(services.store, me, services.guide, services.clock.now(), hours),
            erased_reply,
        )
        if done is not None:
            step.context.turn_state[FORGET_CONVERSATION] = True
        return await step.end_dialog()


async def show_my_data(context: TurnContext, services: Services, _args: str) -> None:
    """A signed link, valid for 24 hours, to everything held about the person."""
    me = scope(context).participant.id
    await say_outcome(
        context,
        services,
        lambda: privacy.my_data_link(services.store, me, services.data_links, services.clock.now()),
        my_data_reply,
    )


COMMANDS = (
    Command(
        "my data",
        ("my data", "show my data", "export my data", "download my data", "what do you know about me"),
        handler=show_my_data,
    ),
    Command("erase me", ("erase me", "erase my data", "delete me", "delete my data", "forget me"), dialog_id=ERASE),
)
