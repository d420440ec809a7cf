"""Polls for facilitators: `create poll`, `polls`, `poll results <id>`, `close poll <id>`; and
`poll answer <id>` for participants (in dialogs/polls_answer.py).

```mermaid
stateDiagram-v2
    [*] --> [*]: no cohort yet
    [*] --> Template: create poll
    Template --> Cohort
    Cohort --> Privacy: named or anonymous
    Privacy --> When: open now or later
    When --> At: later
    At --> Confirm
    When --> Confirm: now
    Confirm --> [*]: created; opening now, invitations are queued at once (due now in working hours)
    Confirm --> [*]: not now
```
`polls`, `poll results` and `close poll` are one-reply handlers.
"""

from __future__ import annotations

from datetime import datetime

from botbuilder.core import TurnContext
from botbuilder.dialogs import Dialog, DialogTurnResult, WaterfallDialog, WaterfallStepContext

from dialogs.ask import ASK, ask_choice, ask_times, choices, stop_unless_yes, yes_or_not_now
from dialogs.commands import Command
from dialogs.common import Services, say, say_outcome, scope
from dialogs.polls_answer import ANSWER, CARDS, PollAnswer, delivery
from domain.cohorts.service import list_cohorts
from domain.core.reply import Choice, Input, Reply
from domain.polls import service as polls
from domain.polls.content import load_poll_templates
from domain.polls.model import PollDraft, PollTemplate
from domain.polls.wording import (
    closed_reply,
    confirm_text,
    created_reply,
    no_cohorts,
    polls_list_reply,
    results_reply,
    which_poll,
)

CREATE = "polls.create"
NOW, LATER, ANONYMOUS, NAMED = "now", "later", "anonymous", "named"
DATE_AND_TIME = (Input("date", "Date", "date"), Input("time", "Time", "time"))


def build(services: Services) -> list[Dialog]:
    """The poll dialogs; templates are validated here, so bad content stops the bot at start-up."""
    flow = _Create(services, load_poll_templates())
    return [
        WaterfallDialog(
            CREATE, [flow.template, flow.cohort, flow.privacy, flow.when, flow.at, flow.confirm, flow.create]
        ),
        PollAnswer(services),
    ]


def _poll_id(args: str) -> int | None:
    text = args.strip().lstrip("#")
    return int(text) if text.isdigit() else None


async def list_polls(context: TurnContext, services: Services, _args: str) -> None:
    """Every poll with its response count."""
    zone = scope(context).participant.time_zone
    await say(context, polls_list_reply(await polls.list_polls(services.store), services.clock.now(), zone))


async def poll_results(context: TurnContext, services: Services, args: str) -> None:
    """Once the poll has closed: counts and percentages per question, small groups suppressed, and a signed
    CSV link; before that, why not yet."""
    poll_id = _poll_id(args)
    found = None if poll_id is None else await polls.results_for(services.store, poll_id)
    if found is None:
        await say(context, which_poll())
        return
    facilitator = scope(context).participant.id
    url = services.poll_exports.export_url(found.listing.poll.id, facilitator) if found.exportable else ""
    await say(context, results_reply(found, services.clock.now(), url, scope(context).participant.time_zone))


async def close_poll(context: TurnContext, services: Services, args: str) -> None:
    """Close a poll now; everyone invited gets the closing message."""
    poll_id = _poll_id(args)
    closed = (
        None
        if poll_id is None
        else await polls.close_poll(services.store, poll_id, services.clock.now(), delivery(services))
    )
    if closed is not None:
        services.wake_dispatcher()
    await say(context, closed_reply(closed))


class _Create:
    def __init__(self, services: Services, templates: dict[str, PollTemplate]) -> None:
        self.services = services
        self.templates = templates

    async def template(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Which built-in poll."""
        options = tuple(Choice(t.id, t.title) for t in self.templates.values())
        return await step.begin_dialog(
            ASK, ask_choice(Reply(text="Which poll would you like to send?", choices=options))
        )

    async def cohort(self, step: WaterfallStepContext) -> DialogTurnResult:
        """To which cohort."""
        step.values["template"] = step.result
        cohorts = await list_cohorts(self.services.store)
        if not cohorts:
            await say(step.context, no_cohorts())
            return await step.end_dialog()
        options = tuple(Choice(str(c.id), c.name) for c in cohorts)
        return await step.begin_dialog(ASK, ask_choice(Reply(text="For which cohort?", choices=options)))

    async def privacy(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Named or anonymous (the template's usual choice first)."""
        step.values["cohort"] = int(step.result)
        pairs = [(ANONYMOUS, "Anonymous (answers can't be changed)"), (NAMED, "Named (changeable until closing)")]
        if not self.templates[step.values["template"]].anonymous:
            pairs.reverse()
        return await step.begin_dialog(
            ASK,
            ask_choice(
                Reply(
                    text="Anonymous answers are stored with no link to the person, so they can't be changed; named "
                    "ones are stored with the name, so people can change them until closing. Either way you see "
                    "results in totals once the poll closes.",
                    choices=choices(pairs),
                )
            ),
        )

    async def when(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Open now, or at a time."""
        step.values["anonymous"] = step.result == ANONYMOUS
        return await step.begin_dialog(
            ASK,
            ask_choice(
                Reply(
                    text="When should it open? Invitations go out in working hours.",
                    choices=choices([(NOW, "Now"), (LATER, "At a date and time")]),
                )
            ),
        )

    async def at(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Ask the opening time when it is not now."""
        if step.result == NOW:
            return await step.next([self.services.clock.now().isoformat()])
        zone = scope(step.context).participant.time_zone
        reply = Reply(
            text=f"When should it open? Pick a date and time, or type one (for example **12 April 9am**; {zone}).",
            inputs=DATE_AND_TIME,
        )
        return await step.begin_dialog(ASK, ask_times(reply, zone))

    async def confirm(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Say what will happen and ask to go ahead."""
        step.values["opens_at"] = step.result[0]
        template = self.templates[step.values["template"]]
        opens, now = datetime.fromisoformat(step.values["opens_at"]), self.services.clock.now()
        zone = scope(step.context).participant.time_zone
        text = confirm_text(template, opens, step.values["anonymous"], now, zone)
        return await step.begin_dialog(ASK, yes_or_not_now(text))

    async def create(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Create it; the poll job sends the invitations."""
        if (stopped := await stop_unless_yes(step)) is not None:
            return stopped
        draft = PollDraft(
            step.values["cohort"],
            self.templates[step.values["template"]],
            step.values["anonymous"],
            datetime.fromisoformat(step.values["opens_at"]),
            scope(step.context).participant.id,
        )
        now, zone = self.services.clock.now(), scope(step.context).participant.time_zone
        await say_outcome(
            step.context,
            self.services,
            lambda: polls.start_poll(self.services.store, draft, now, delivery(self.services)),
            lambda started: created_reply(started, now, zone),
            (polls.PollError,),
        )
        return await step.end_dialog()


__all__ = ["CARDS", "COMMANDS", "build"]

COMMANDS = (
    Command(
        "create poll",
        ("create poll", "new poll", "create a poll", "send a poll"),
        dialog_id=CREATE,
        facilitators_only=True,
    ),
    Command("polls", ("polls", "list polls"), handler=list_polls, facilitators_only=True),
    Command("poll results", ("poll results", "results of poll"), handler=poll_results, facilitators_only=True),
    Command("close poll", ("close poll",), handler=close_poll, facilitators_only=True),
    Command("poll answer", ("poll answer", "answer poll"), dialog_id=ANSWER),
)
