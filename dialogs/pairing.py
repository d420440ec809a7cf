"""Facilitators pair people (`pair [#a #b]`), end partnerships, list and get suggestions.

```mermaid
stateDiagram-v2
    [*] --> Cohort: pair
    [*] --> Confirm: pair 3 7 [join code] (numbers within the cohort; asked which cohort when several)
    Cohort --> First: choose cohort (skipped when only one)
    First --> Second
    Second --> Confirm
    Confirm --> [*]: paired, both introduced via the outbox
    Confirm --> [*]: not now
```
End: choose partnership -> reason -> confirm -> ended, both told.
"""

from __future__ import annotations

import re

from botbuilder.core import TurnContext
from botbuilder.dialogs import Dialog, DialogTurnResult, WaterfallDialog, WaterfallStepContext

from dialogs.ask import ASK, YES, ask_choice, choices, stop_unless_yes, yes_or_not_now
from dialogs.commands import Command
from dialogs.common import Services, say
from domain.cohorts.service import load_rosters
from domain.cohorts.wording import roster_reply
from domain.core.model import Participant
from domain.core.reply import Choice, Reply
from domain.pairing import wording
from domain.pairing.model import END_REASONS, ByNumbers, PairingError
from domain.pairing.service import (
    by_numbers,
    cohorts_to_pair,
    current_pairs,
    end_partnership,
    pair,
    proposal,
    suggestions,
    unpaired_in,
)

PAIR, END = "pair", "partnership.end"


def build(services: Services) -> list[Dialog]:
    """The pairing dialogs."""
    flow = _Pairing(services)
    return [
        WaterfallDialog(PAIR, [flow.cohort, flow.first, flow.second, flow.confirm, flow.done]),
        WaterfallDialog(END, [flow.choose_partnership, flow.reason, flow.confirm_end, flow.end]),
    ]


async def show_participants(context: TurnContext, services: Services, _args: str) -> None:
    """List cohorts and participants for facilitators."""
    await say(context, roster_reply(await load_rosters(services.store)))


async def show_suggestions(context: TurnContext, services: Services, _args: str) -> None:
    """Suggest pairs per cohort; facilitators decide."""
    for reply in wording.suggestion_replies(await suggestions(services.store)):
        await say(context, reply)


def _people(people: list[Participant], exclude: int | None = None) -> tuple[Choice, ...]:
    """The people to choose from, with their number and group (facilitators only see this)."""
    return tuple(
        Choice(str(p.id), f"{p.name} ({p.label}, {wording.group_title(p)})") for p in people if p.id != exclude
    )


class _Pairing:
    def __init__(self, services: Services) -> None:
        self.services = services

    async def cohort(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Take the two numbers given with the command (#1 is a cohort's first participant; a join code may
        say which cohort), else pick a cohort with people to pair."""
        args = str((step.options or {}).get("args", ""))
        numbers = [int(n) for n in re.findall(r"\d+", args)]
        if len(numbers) == 2:
            step.values["numbers"] = numbers
            code = next((w for w in args.replace("#", " ").split() if not w.isdigit()), "")
            found = await by_numbers(self.services.store, numbers[0], numbers[1], join_code=code)
            if found.cohorts:
                options = tuple(Choice(str(c.id), c.name) for c in found.cohorts)
                text = wording.which_cohort_for(numbers[0], numbers[1])
                return await step.begin_dialog(ASK, ask_choice(Reply(text=text, choices=options)))
            return await self._numbered(step, found)
        rosters = await cohorts_to_pair(self.services.store)
        if not rosters:
            await say(step.context, wording.nobody_to_pair())
            return await step.end_dialog()
        if len(rosters) == 1:
            return await step.next(str(rosters[0].cohort.id))
        return await step.begin_dialog(
            ASK,
            ask_choice(
                Reply(text="Which cohort?", choices=tuple(Choice(str(r.cohort.id), r.cohort.name) for r in rosters))
            ),
        )

    async def first(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Choose the first person."""
        if "pair" in step.values:
            return await step.next(None)
        if "numbers" in step.values:  # the numbers typed, in the cohort just chosen
            first, second = step.values["numbers"]
            found = await by_numbers(self.services.store, first, second, cohort_id=int(step.result))
            return await self._numbered(step, found)
        step.values["cohort"] = int(step.result)
        unpaired = await unpaired_in(self.services.store, step.values["cohort"])
        return await step.begin_dialog(
            ASK, ask_choice(Reply(text="Who is the first partner?", choices=_people(unpaired)))
        )

    async def second(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Choose the second person."""
        if "pair" in step.values:
            return await step.next(None)
        step.values["first"] = int(step.result)
        unpaired = await unpaired_in(self.services.store, step.values["cohort"])
        return await step.begin_dialog(
            ASK,
            ask_choice(Reply(text="And their learning partner?", choices=_people(unpaired, int(step.result)))),
        )

    async def _numbered(self, step: WaterfallStepContext, found: ByNumbers) -> DialogTurnResult:
        """Go on with the two people the numbers name, or say they can't be found."""
        if found.found is None:
            await say(step.context, wording.people_not_found())
            return await step.end_dialog()
        step.values["pair"] = [found.found.first.id, found.found.second.id]
        return await step.next(None)

    async def confirm(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Confirm the pair by name."""
        first, second = step.values.get("pair") or (step.values["first"], int(step.result))
        step.values["pair"] = [first, second]
        people = await proposal(self.services.store, first, second)
        if people is None:
            await say(step.context, wording.people_not_found())
            return await step.end_dialog()
        text = wording.confirm_pair_text(people.first, people.second)
        if wording.same_group(people.first, people.second):
            return await step.begin_dialog(
                ASK, ask_choice(Reply(text=text, choices=choices([(YES, "Pair them anyway"), ("no", "Not now")])))
            )
        return await step.begin_dialog(ASK, yes_or_not_now(text))

    async def done(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Pair them and start the introductions."""
        if (stopped := await stop_unless_yes(step, "OK, I haven't paired them.")) is not None:
            return stopped
        first, second = step.values["pair"]
        try:
            partnership = await pair(self.services.store, first, second, self.services.clock.now())
        except PairingError as problem:
            await say(step.context, Reply(text=str(problem)))
            return await step.end_dialog()
        self.services.wake_dispatcher()
        await say(step.context, wording.paired())
        return await step.end_dialog(partnership.id)

    async def choose_partnership(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Pick a current partnership."""
        options = [
            Choice(
                str(c.partnership.id), f"{c.first.name if c.first else '?'} and {c.second.name if c.second else '?'}"
            )
            for c in await current_pairs(self.services.store)
        ]
        if not options:
            await say(step.context, wording.no_current_partnerships())
            return await step.end_dialog()
        return await step.begin_dialog(ASK, ask_choice(Reply(text="Which partnership?", choices=tuple(options))))

    async def reason(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Ask why it is ending (kept for the programme's evaluation)."""
        step.values["partnership"] = int(step.result)
        return await step.begin_dialog(
            ASK, ask_choice(Reply(text="Why is it ending?", choices=choices(list(END_REASONS.items()))))
        )

    async def confirm_end(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Confirm, since both partners will be told."""
        step.values["reason"] = step.result
        return await step.begin_dialog(
            ASK, yes_or_not_now("End this partnership? Both partners will get a short, kind note.")
        )

    async def end(self, step: WaterfallStepContext) -> DialogTurnResult:
        """End it and notify both partners."""
        if (stopped := await stop_unless_yes(step)) is not None:
            return stopped
        try:
            await end_partnership(
                self.services.store, step.values["partnership"], step.values["reason"], self.services.clock.now()
            )
        except PairingError as problem:
            await say(step.context, Reply(text=str(problem)))
            return await step.end_dialog()
        self.services.wake_dispatcher()
        await say(step.context, wording.partnership_ended())
        return await step.end_dialog()


COMMANDS = (
    Command(
        "participants",
        ("participants", "list participants", "people", "cohorts"),
        handler=show_participants,
        facilitators_only=True,
    ),
    Command(
        "suggest pairs", ("suggest pairs", "suggest", "suggestions"), handler=show_suggestions, facilitators_only=True
    ),
    Command("pair", ("pair", "pair two people", "match"), dialog_id=PAIR, facilitators_only=True),
    Command(
        "end partnership", ("end partnership", "end a partnership", "unpair"), dialog_id=END, facilitators_only=True
    ),
)
