"""Facilitator broadcasts: `broadcast` (compose, audience, preview, now or later, confirm),
`broadcasts` (recent ones with delivery status), `broadcast resend <id>` and `cancel broadcast`.

```mermaid
stateDiagram-v2
    [*] --> Text: broadcast
    Text --> LinkChoice
    LinkChoice --> Link: add a link button (re-asked until it is an https link)
    LinkChoice --> Audience: no link
    Link --> Audience
    Audience --> Which: a cohort / a group / partnerships by health
    Audience --> Preview: everyone
    Which --> Preview: message shown as recipients see it, with the recipient count
    Preview --> When: at a set time
    Preview --> Confirm: now
    When --> Confirm
    Confirm --> [*]: stored (now or scheduled); the background is woken
    Preview --> [*]: not now / nobody in that audience
```
Confirming only stores the broadcast: its outbox rows are inserted in the background, batch by
batch, so the answer never waits on the audience's size.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.dialogs import Dialog, DialogTurnResult, WaterfallDialog, WaterfallStepContext

from dialogs.ask import ASK, ask_choice, ask_text, ask_times, choices, stop_unless_yes, yes_or_not_now
from dialogs.commands import Command
from dialogs.common import Services, say, say_outcome, scope
from domain.broadcasts import service as broadcasts
from domain.broadcasts.model import Audience, AudienceKind, Draft
from domain.broadcasts.rules import BroadcastError, check_link
from domain.broadcasts.wording import (
    GROUP_WORDS,
    HEALTH_WORDS,
    cancel_reply,
    count_words,
    created_reply,
    empty_audience,
    message_reply,
    nothing_scheduled,
    preview_note,
    resent_reply,
    scheduled_choices,
    status_replies,
)
from domain.cohorts.service import list_cohorts
from domain.core.reply import Choice, Input, Reply
from domain.language.show import format_time

BROADCAST, LINK, CANCEL = "broadcast", "broadcast.link", "broadcast.cancel"
AUDIENCES = choices(
    [("everyone", "Everyone"), ("cohort", "A cohort"), ("group", "A group"), ("health", "Partnerships by health")]
)
GROUPS = choices([(value, words.capitalize()) for value, words in GROUP_WORDS.items()])
STATES = choices([(value, words.capitalize()) for value, words in HEALTH_WORDS.items()])
WHEN = choices([("now", "Send now"), ("later", "At a set time"), ("no", "Not now")])


def build(services: Services) -> list[Dialog]:
    """The broadcast dialogs."""
    flow = _Compose(services)
    return [
        WaterfallDialog(
            BROADCAST,
            [
                flow.compose,
                flow.link_choice,
                flow.link,
                flow.audience,
                flow.which,
                flow.preview,
                flow.when,
                flow.confirm,
                flow.send,
            ],
        ),
        WaterfallDialog(LINK, [flow.ask_link, flow.check_link]),
        WaterfallDialog(CANCEL, [flow.choose_scheduled, flow.cancel]),
    ]


def _draft(values: dict[str, Any]) -> Draft:
    title, url = values.get("link") or ("", "")
    return Draft(values["text"], Audience(AudienceKind(values["kind"]), values["value"]), title, url)


async def show_broadcasts(context: TurnContext, services: Services, _args: str) -> None:
    """Recent broadcasts with per-recipient status and a resend button where some failed."""
    report = await broadcasts.status_report(services.store)
    for reply in status_replies(report, scope(context).participant.time_zone):
        await say(context, reply)


async def resend(context: TurnContext, services: Services, args: str) -> None:
    """`broadcast resend <id>`: send again to recipients whose delivery failed (not the unreachable)."""
    if not args.strip().isdigit():
        await say(context, Reply(text="Which broadcast? Type **broadcasts** and press *Resend to failed*."))
        return
    await say_outcome(
        context,
        services,
        lambda: broadcasts.resend_failed(services.store, int(args)),
        resent_reply,
        (BroadcastError,),
    )


class _Compose:
    def __init__(self, services: Services) -> None:
        self.services = services

    async def compose(self, step: WaterfallStepContext) -> DialogTurnResult:
        """The message itself (light Markdown: bold, italics, lists)."""
        return await step.begin_dialog(
            ASK, ask_text(Reply(text="What would you like to say? You can use **bold**, _italics_ and lists."), 2000)
        )

    async def link_choice(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Offer a link button."""
        step.values["text"] = step.result
        return await step.begin_dialog(
            ASK,
            ask_choice(
                Reply(text="Add a link button?", choices=choices([("link", "Add a link"), ("none", "No link")]))
            ),
        )

    async def link(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Ask for the button when wanted."""
        return await step.begin_dialog(LINK) if step.result == "link" else await step.next(None)

    async def ask_link(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Title and link on one line (or the link alone); after a bad one, the one message says what to fix."""
        problem = (step.options or {}).get("problem")
        text = problem or "Type the button title, then the link, e.g. *Book your place example.org/book*."
        return await step.begin_dialog(ASK, ask_text(Reply(text=text), 600))

    async def check_link(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Keep a valid https link, else explain and ask again."""
        try:
            return await step.end_dialog(list(check_link(str(step.result))))
        except BroadcastError as problem:
            return await step.replace_dialog(LINK, {"problem": str(problem)})

    async def audience(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Who should get it."""
        step.values["link"] = step.result
        return await step.begin_dialog(ASK, ask_choice(Reply(text="Who should get it?", choices=AUDIENCES)))

    async def which(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Which cohort, group or health state."""
        step.values["kind"] = kind = step.result
        if kind == "everyone":
            return await step.next("")
        if kind == "group":
            return await step.begin_dialog(ASK, ask_choice(Reply(text="Which group?", choices=GROUPS)))
        if kind == "health":
            return await step.begin_dialog(ASK, ask_choice(Reply(text="Partnerships that are…", choices=STATES)))
        cohorts = await list_cohorts(self.services.store)
        if not cohorts:
            await say(step.context, Reply(text="There are no cohorts yet. Type **create cohort** to set one up."))
            return await step.end_dialog()
        return await step.begin_dialog(
            ASK, ask_choice(Reply(text="Which cohort?", choices=tuple(Choice(str(c.id), c.name) for c in cohorts)))
        )

    async def preview(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Show the message as recipients will see it, say how many, and ask when."""
        step.values["value"] = step.result
        draft = _draft(step.values)
        found = await broadcasts.preview_audience(self.services.store, draft.audience, self.services.clock.now())
        if found.count == 0:
            await say(step.context, empty_audience())
            return await step.end_dialog()
        step.values["count"] = found.count
        await say(step.context, message_reply(draft))
        note = preview_note(found.count, draft.audience, found.cohorts)
        return await step.begin_dialog(
            ASK, ask_choice(Reply(text=note.text + " Send it now or at a set time?", choices=WHEN))
        )

    async def when(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Ask for the time when it should wait (typed, in the facilitator's zone)."""
        if step.result == "no":
            await say(step.context, Reply(text="OK, nothing has been sent."))
            return await step.end_dialog()
        if step.result == "now":
            return await step.next(None)
        zone = scope(step.context).participant.time_zone
        reply = Reply(
            text=f"When should it go out? Pick a date and time, or type one (for example **Monday 9am**; {zone}).",
            inputs=(Input("date", "Date", "date"), Input("time", "Time", "time")),
        )
        return await step.begin_dialog(ASK, ask_times(reply, zone))

    async def confirm(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Confirm who and when."""
        step.values["at"] = step.result[0] if step.result else None
        who = count_words(step.values["count"], _draft(step.values).audience)
        when = (
            "now"
            if step.values["at"] is None
            else "on "
            + format_time(datetime.fromisoformat(step.values["at"]), scope(step.context).participant.time_zone)
        )
        return await step.begin_dialog(ASK, yes_or_not_now(f"Send it to {who} {when}?"))

    async def send(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Store it and answer with its number; one due now wakes the background that queues its rows."""
        if (stopped := await stop_unless_yes(step, "OK, nothing has been sent.")) is not None:
            return stopped
        now = self.services.clock.now()
        at = datetime.fromisoformat(step.values["at"]) if step.values["at"] else now
        who, zone = scope(step.context).participant.id, scope(step.context).participant.time_zone
        made = await say_outcome(
            step.context,
            self.services,
            lambda: broadcasts.create(self.services.store, _draft(step.values), who, at, now),
            lambda created: created_reply(created, zone),
        )
        return await step.end_dialog(made.broadcast.id if made else None)

    async def choose_scheduled(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Pick a broadcast that can still be stopped."""
        waiting = await broadcasts.list_cancellable(self.services.store)
        if not waiting:
            await say(step.context, nothing_scheduled())
            return await step.end_dialog()
        options = scheduled_choices(waiting, scope(step.context).participant.time_zone)
        return await step.begin_dialog(ASK, ask_choice(Reply(text="Which broadcast should I cancel?", choices=options)))

    async def cancel(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Cancel it: nothing more is queued and its pending rows are withdrawn."""
        await say(step.context, cancel_reply(await broadcasts.cancel(self.services.store, int(step.result))))
        return await step.end_dialog()


COMMANDS = (
    Command(
        "broadcast",
        ("broadcast", "send a broadcast", "new broadcast", "announce"),
        dialog_id=BROADCAST,
        facilitators_only=True,
    ),
    Command(
        "broadcasts",
        ("broadcasts", "broadcast status", "list broadcasts"),
        handler=show_broadcasts,
        facilitators_only=True,
    ),
    Command("broadcast resend", ("broadcast resend", "resend broadcast"), handler=resend, facilitators_only=True),
    Command("cancel broadcast", ("cancel broadcast", "cancel a broadcast"), dialog_id=CANCEL, facilitators_only=True),
)
