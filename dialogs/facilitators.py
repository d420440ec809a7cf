"""Facilitators grant the facilitator role to someone the companion knows (`add facilitator`).

```mermaid
stateDiagram-v2
    [*] --> Person: add facilitator [email, name or #id]
    Person --> Confirm
    Confirm --> [*]: role granted, person told
    Confirm --> [*]: not now
```
"""

from __future__ import annotations

from botbuilder.core import TurnContext
from botbuilder.dialogs import Dialog, DialogTurnResult, WaterfallDialog, WaterfallStepContext

from dialogs.ask import ASK, ask_choice, stop_unless_yes, yes_or_not_now
from dialogs.commands import Command
from dialogs.common import Services, say, say_outcome, scope
from domain.audit.service import recent_audit
from domain.audit.wording import audit_reply
from domain.core import wording
from domain.core.identity import facilitator_candidates, grant_facilitator
from domain.core.reply import Choice, Reply

ADD_FACILITATOR = "facilitator.add"


def build(services: Services) -> list[Dialog]:
    """The add-facilitator dialog."""
    flow = _AddFacilitator(services)
    return [WaterfallDialog(ADD_FACILITATOR, [flow.person, flow.confirm, flow.grant])]


class _AddFacilitator:
    def __init__(self, services: Services) -> None:
        self.services = services

    async def person(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Use the person named with the command, else offer a list."""
        found = await facilitator_candidates(self.services.store, (step.options or {}).get("args", ""))
        if found.named is not None:
            return await step.next(str(found.named.id))
        if not found.people:
            await say(step.context, wording.nobody_to_promote())
            return await step.end_dialog()
        return await step.begin_dialog(
            ASK,
            ask_choice(
                Reply(
                    text="Who should become a facilitator? They'll be able to see everyone's programme group.",
                    choices=tuple(Choice(str(p.id), f"{p.name or 'Unnamed'} (#{p.id})") for p in found.people),
                )
            ),
        )

    async def confirm(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Confirm: the role gives access to special category data."""
        step.values["person"] = int(step.result)
        return await step.begin_dialog(
            ASK, yes_or_not_now("Facilitators can see programme groups and pair people. Go ahead?")
        )

    async def grant(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Grant the role and let the person know."""
        if (stopped := await stop_unless_yes(step)) is not None:
            return stopped
        person, granted_by = step.values["person"], scope(step.context).participant.id
        await say_outcome(
            step.context,
            self.services,
            lambda: grant_facilitator(self.services.store, person, self.services.clock.now(), granted_by),
            lambda _granted: wording.facilitator_granted(),
        )
        return await step.end_dialog()


async def show_audit(context: TurnContext, services: Services, _args: str) -> None:
    """The newest role changes, exports and erasures (ids only)."""
    await say(context, audit_reply(await recent_audit(services.store), scope(context).participant.time_zone))


COMMANDS = (
    Command(
        "add facilitator",
        ("add facilitator", "add a facilitator", "make facilitator", "grant facilitator"),
        dialog_id=ADD_FACILITATOR,
        facilitators_only=True,
    ),
    Command("audit", ("audit", "audit log", "audit trail"), handler=show_audit, facilitators_only=True),
)
