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

from botbuilder.dialogs import Dialog, DialogTurnResult, WaterfallDialog, WaterfallStepContext

from dialogs.ask import ASK, ask_choice, stop_unless_yes, yes_or_not_now
from dialogs.commands import Command
from dialogs.common import Services, say
from domain.core.model import NewOutboxMessage, Participant, Role, outbox_key
from domain.core.reply import Choice, Reply
from domain.core.wording import help_reply

ADD_FACILITATOR = "facilitator.add"


def build(services: Services) -> list[Dialog]:
    """The add-facilitator dialog."""
    flow = _AddFacilitator(services)
    return [WaterfallDialog(ADD_FACILITATOR, [flow.person, flow.confirm, flow.grant])]


def find_person(people: list[Participant], wanted: str) -> Participant | None:
    """Match '#12', an email address or a unique name (case-insensitive)."""
    wanted = wanted.strip().lower()
    if not wanted:
        return None
    if wanted.startswith("#") and wanted[1:].isdigit():
        return next((p for p in people if p.id == int(wanted[1:])), None)
    matches = [p for p in people if wanted in (p.email.lower(), p.name.lower(), p.aad_object_id.lower())]
    return matches[0] if len(matches) == 1 else None


class _AddFacilitator:
    def __init__(self, services: Services) -> None:
        self.services = services

    async def person(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Use the person named with the command, else offer a list."""
        async with self.services.store.transaction() as uow:
            people = [p for p in await uow.participants.list_all() if p.role != Role.FACILITATOR]
        named = find_person(people, (step.options or {}).get("args", ""))
        if named is not None:
            return await step.next(str(named.id))
        if not people:
            await say(
                step.context,
                Reply(
                    text=(
                        "Nobody else has started a chat with me yet. Ask them to install the companion, then try again."
                    )
                ),
            )
            return await step.end_dialog()
        return await step.begin_dialog(
            ASK,
            ask_choice(
                Reply(
                    text="Who should become a facilitator? They'll be able to see everyone's programme group.",
                    choices=tuple(Choice(str(p.id), f"{p.name or 'Unnamed'} (#{p.id})") for p in people),
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
        now = self.services.clock.now()
        person_id = step.values["person"]
        welcome = help_reply(is_facilitator=True)
        note = Reply(title="You're now a PLP Companion facilitator", text=welcome.text, actions=welcome.actions)
        async with self.services.store.transaction() as uow:
            await uow.participants.set_role(person_id, Role.FACILITATOR)
            await uow.outbox.enqueue(
                [
                    NewOutboxMessage(
                        outbox_key("facilitator_added", person_id, person_id),
                        "facilitator_added",
                        person_id,
                        note.to_dict(),
                        now,
                    )
                ],
                now,
            )
        self.services.wake_dispatcher()
        await say(step.context, Reply(text="Done. They're a facilitator now, and I've let them know."))
        return await step.end_dialog()


COMMANDS = (
    Command(
        "add facilitator",
        ("add facilitator", "add a facilitator", "make facilitator", "grant facilitator"),
        dialog_id=ADD_FACILITATOR,
        facilitators_only=True,
    ),
)
