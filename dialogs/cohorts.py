"""Facilitators create a cohort (`create cohort`) and get its join code.

```mermaid
stateDiagram-v2
    [*] --> Name
    Name --> Start: start date
    Start --> Length: 12-15 months
    Length --> Questions: default or own three
    Questions --> [*]: created, join code shown
```
"""

from __future__ import annotations

from datetime import date

from botbuilder.core import TurnContext
from botbuilder.dialogs import Dialog, DialogTurnResult, WaterfallDialog, WaterfallStepContext

from dialogs.ask import ASK, ask_choice, ask_date, ask_lines, ask_text, choices
from dialogs.commands import Command
from dialogs.common import Services, say
from domain.cohorts import wording
from domain.cohorts.model import MAX_MONTHS, MIN_MONTHS, CohortDraft, CohortError
from domain.cohorts.service import create_cohort, set_thresholds
from domain.core.reply import Input, Reply

CREATE_COHORT = "cohort.create"


def build(services: Services) -> list[Dialog]:
    """The create-cohort dialog."""
    flow = _CreateCohort(services)
    return [
        WaterfallDialog(
            CREATE_COHORT, [flow.name, flow.start, flow.length, flow.questions, flow.own_questions, flow.create]
        )
    ]


class _CreateCohort:
    def __init__(self, services: Services) -> None:
        self.services = services

    async def name(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Ask the cohort's name."""
        return await step.begin_dialog(ASK, ask_text(Reply(text="What's the cohort called? (e.g. Spring 2027)"), 200))

    async def start(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Ask when partnerships start (the launch session)."""
        step.values["name"] = step.result
        reply = Reply(
            text="When is the launch session? Pick the date, or type it (e.g. **next Monday** or **1 March**).",
            inputs=(Input("date", "Launch date", "date"),),
        )
        return await step.begin_dialog(ASK, ask_date(reply))

    async def length(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Ask how long partnerships last."""
        step.values["start"] = step.result
        months = [(str(m), f"{m} months") for m in range(MIN_MONTHS, MAX_MONTHS + 1)]
        return await step.begin_dialog(
            ASK, ask_choice(Reply(text="How long will partnerships last?", choices=choices(months)))
        )

    async def questions(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Offer the default matching-profile questions or the facilitator's own."""
        step.values["months"] = int(step.result)
        listed = "\n".join(f"{i}. {q}" for i, q in enumerate(self.services.profile_questions, 1))
        return await step.begin_dialog(
            ASK,
            ask_choice(
                Reply(
                    text=f"Each person answers three matching-profile questions. The defaults are:\n\n{listed}",
                    choices=choices([("default", "Use these"), ("own", "Write our own")]),
                )
            ),
        )

    async def own_questions(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Collect three questions, one per line, when the facilitator wants their own."""
        if step.result == "default":
            return await step.next(list(self.services.profile_questions))
        return await step.begin_dialog(ASK, ask_lines(Reply(text="Type your three questions, one per line."), 3))

    async def create(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Create the cohort and share its join code."""
        draft = CohortDraft(
            step.values["name"], date.fromisoformat(step.values["start"]), step.values["months"], tuple(step.result)
        )
        try:
            cohort = await create_cohort(self.services.store, draft, self.services.clock.now(), self.services.rng)
        except CohortError as problem:
            await say(step.context, wording.cohort_refused(problem))
            return await step.end_dialog()
        await say(step.context, wording.cohort_created(cohort))
        return await step.end_dialog(cohort.id)


async def quiet_weeks(context: TurnContext, services: Services, args: str) -> None:
    """`quiet weeks <join code> <quiet> <inactive>`: when a pair counts as quiet or inactive."""
    words = args.split()
    weeks = [int(w) for w in words[1:3] if w.isdigit()]
    outcome = await set_thresholds(services.store, words[0] if words else "", weeks)
    await say(context, wording.thresholds(outcome))


COMMANDS = (
    Command(
        "create cohort",
        ("create cohort", "new cohort", "create a cohort"),
        dialog_id=CREATE_COHORT,
        facilitators_only=True,
    ),
    Command("quiet weeks", ("quiet weeks", "quiet thresholds"), handler=quiet_weeks, facilitators_only=True),
)
