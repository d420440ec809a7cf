"""Facilitators grant the facilitator role to someone the companion knows (`add facilitator`),
remove it (`remove facilitator`), and read the audit trail (`audit`).

```mermaid
stateDiagram-v2
    [*] --> Person: add facilitator [email, name or #id]
    Person --> Confirm
    Confirm --> [*]: role granted, person told
    Confirm --> [*]: not now
    [*] --> Facilitator: remove facilitator [email, name or #id]
    Facilitator --> [*]: the only facilitator (kept, kindly)
    Facilitator --> ConfirmRemoval: yourself? say what you give up
    ConfirmRemoval --> [*]: role removed (pins revoked), person told, audited
    ConfirmRemoval --> [*]: not now
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
from domain.core.reply import Choice, Reply
from domain.core.roles import (
    LAST_FACILITATOR,
    RoleError,
    current_facilitators,
    facilitator_candidates,
    grant_facilitator,
    remove_facilitator,
)

ADD_FACILITATOR = "facilitator.add"
REMOVE_FACILITATOR = "facilitator.remove"


def build(services: Services) -> list[Dialog]:
    """The add- and remove-facilitator dialogs."""
    add, remove = _AddFacilitator(services), _RemoveFacilitator(services)
    return [
        WaterfallDialog(ADD_FACILITATOR, [add.person, add.confirm, add.grant]),
        WaterfallDialog(REMOVE_FACILITATOR, [remove.person, remove.confirm, remove.remove]),
    ]


class _AddFacilitator:
    def __init__(self, services: Services) -> None:
        self.services = services

    async def person(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Use the person named with the command, else offer a list."""
        wanted = (step.options or {}).get("args", "")
        found = await facilitator_candidates(self.services.store, wanted, self.services.facilitators)
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


class _RemoveFacilitator:
    def __init__(self, services: Services) -> None:
        self.services = services

    async def person(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Use the facilitator named with the command, else offer the list; never the only one."""
        wanted = (step.options or {}).get("args", "")
        found = await current_facilitators(self.services.store, wanted, self.services.facilitators)
        if len(found.people) <= 1:
            await say(step.context, Reply(text=LAST_FACILITATOR))
            return await step.end_dialog()
        if found.named is not None:
            return await step.next(str(found.named.id))
        me = scope(step.context).participant.id
        unmatched = "I couldn't match that to a current facilitator. " if wanted.strip() else ""
        return await step.begin_dialog(
            ASK,
            ask_choice(
                Reply(
                    text=f"{unmatched}Whose facilitator role should I remove?",
                    choices=tuple(
                        Choice(str(p.id), f"{p.name or 'Unnamed'} (#{p.id}){' (you)' if p.id == me else ''}")
                        for p in found.people
                    ),
                )
            ),
        )

    async def confirm(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Confirm, saying plainly what removing your own role means."""
        person = int(step.result)
        step.values["person"] = person
        found = await current_facilitators(self.services.store, f"#{person}", self.services.facilitators)
        name = found.named.name if found.named is not None and found.named.name else f"#{person}"
        themselves = person == scope(step.context).participant.id
        return await step.begin_dialog(ASK, yes_or_not_now(wording.confirm_removal(name, themselves)))

    async def remove(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Remove the role; the service refuses (kindly) if they are the last facilitator by now."""
        if (stopped := await stop_unless_yes(step)) is not None:
            return stopped
        person, removed_by = step.values["person"], scope(step.context).participant.id
        services = self.services
        await say_outcome(
            step.context,
            services,
            lambda: remove_facilitator(services.store, services.facilitators, person, removed_by, services.clock.now()),
            lambda removed: wording.facilitator_removed(removed.themselves, removed.configured),
            refusals=(RoleError,),
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
    Command(
        "remove facilitator",
        ("remove facilitator", "remove a facilitator", "revoke facilitator", "remove facilitator role"),
        dialog_id=REMOVE_FACILITATOR,
        facilitators_only=True,
    ),
    Command("audit", ("audit", "audit log", "audit trail"), handler=show_audit, facilitators_only=True),
)
