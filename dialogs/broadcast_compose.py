"""`broadcast`: compose (on one card, or step by step), audience, preview, now or later, confirm.

```mermaid
stateDiagram-v2
    [*] --> Composer: broadcast (cards: Teams, Web Chat, Slack)
    [*] --> Text: broadcast (plain text)
    Composer --> Preview: the card submitted whole (message, link, audience, time)
    Composer --> Text: the card came without a message (or too long): asked on its own
    Composer --> Link: the card's link could not be read: asked on its own
    Composer --> Audience: the card named no audience: asked on its own
    Composer --> LinkChoice: the message typed instead: the rest step by step
    Text --> LinkChoice
    LinkChoice --> Link: add a link button (re-asked until it is an https link, or "no link")
    LinkChoice --> Audience: no link
    Link --> Audience
    Audience --> Which: a cohort / a group / partnerships by health
    Audience --> Preview: everyone
    Which --> Preview: message shown as recipients see it, with the recipient count
    Preview --> When: at a set time (from the card: only when its time needs completing)
    Preview --> Confirm: now (from the card: its time, or now when left empty)
    When --> Confirm
    Confirm --> [*]: stored (now or scheduled); the background is woken
    Preview --> [*]: not now / nobody in that audience
```
Confirming only stores the broadcast: its outbox rows are inserted in the background, batch by
batch, so the answer never waits on the audience's size. Line breaks in the message are kept.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from botbuilder.dialogs import Dialog, DialogTurnResult, WaterfallDialog, WaterfallStepContext

from channels.render import shows_forms
from dialogs.ask import ASK, ask_choice, ask_form, ask_text, ask_times, choices, stop_unless_yes, yes_or_not_now
from dialogs.common import Services, say, say_outcome, scope
from domain.broadcasts import service as broadcasts
from domain.broadcasts.composer import (
    ASK_MESSAGE,
    MAX_TEXT,
    MESSAGE,
    composer_reply,
    link_again,
    message_again,
    read_composer,
)
from domain.broadcasts.model import Audience, AudienceKind, Draft
from domain.broadcasts.rules import BroadcastError, check_link
from domain.broadcasts.wording import (
    GROUP_WORDS,
    HEALTH_WORDS,
    count_words,
    created_reply,
    empty_audience,
    message_reply,
    preview_note,
)
from domain.cohorts.service import list_cohorts
from domain.core.reply import Choice, Input, Reply
from domain.language.recognize import AnswerError
from domain.language.show import format_time
from domain.language.when import HalfAnswer, times_from_form

BROADCAST, LINK = "broadcast", "broadcast.link"
AUDIENCES = choices(
    [("everyone", "Everyone"), ("cohort", "A cohort"), ("group", "A group"), ("health", "Partnerships by health")]
)
GROUPS = choices([(value, words.capitalize()) for value, words in GROUP_WORDS.items()])
STATES = choices([(value, words.capitalize()) for value, words in HEALTH_WORDS.items()])
WHEN = choices([("now", "Send now"), ("later", "At a set time"), ("no", "Not now")])
NO_LINK = {"no link", "none", "no", "skip", "without a link"}


def compose_dialogs(services: Services) -> list[Dialog]:
    """`broadcast` and its link question."""
    flow = _Compose(services)
    return [
        WaterfallDialog(
            BROADCAST,
            [
                flow.compose,
                flow.message,
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
    ]


def _when_question(zone: str, lead: str = "When should it go out?") -> Reply:
    """The send time, typed or picked on the card's date and time inputs."""
    return Reply(
        text=f"{lead} Pick a date and time, or type one (for example **Monday 9am**; {zone}).",
        inputs=(Input("date", "Date", "date"), Input("time", "Time", "time")),
    )


def _draft(values: dict[str, Any]) -> Draft:
    title, url = values.get("link") or ("", "")
    return Draft(values["text"], Audience(AudienceKind(values["kind"]), values["value"]), title, url)


class _Compose:
    def __init__(self, services: Services) -> None:
        self.services = services

    async def compose(self, step: WaterfallStepContext) -> DialogTurnResult:
        """The composer card where messages carry forms (typing the message instead works too); else the message."""
        if not shows_forms(step.context.activity.channel_id or ""):
            return await step.begin_dialog(ASK, ask_text(Reply(text=ASK_MESSAGE), MAX_TEXT))
        cohorts = await list_cohorts(self.services.store)
        card = composer_reply(cohorts, scope(step.context).participant.time_zone)
        return await step.begin_dialog(ASK, ask_form(card, MESSAGE, MAX_TEXT))

    async def message(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Keep what the card gave (the rest is asked on its own); ask for the message when it had none."""
        if not isinstance(step.result, dict) or not step.result.get("form"):
            typed = step.result.get(MESSAGE) if isinstance(step.result, dict) else step.result
            return await step.next(typed)
        card = read_composer(step.result, await list_cohorts(self.services.store))
        step.values.update(
            form=True,
            link=list(card.link) if card.link else None,
            link_problem=card.link_problem,
            kind=card.kind,
            value=card.value,
            date=card.date,
            time=card.time,
        )
        if card.text and not card.text_problem:
            return await step.next(card.text)
        return await step.begin_dialog(ASK, ask_text(message_again(card), MAX_TEXT))

    async def link_choice(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Offer a link button (the card has said already: asked again only when it could not be read)."""
        step.values["text"] = step.result
        if step.values.get("form"):
            return await step.next("link" if step.values["link_problem"] else "kept")
        return await step.begin_dialog(
            ASK,
            ask_choice(
                Reply(text="Add a link button?", choices=choices([("link", "Add a link"), ("none", "No link")]))
            ),
        )

    async def link(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Ask for the button when wanted (or when the card's could not be read)."""
        if step.result == "link":
            problem = step.values.get("link_problem")
            return await step.begin_dialog(LINK, {"problem": link_again(problem)} if problem else None)
        return await step.next(step.values.get("link"))

    async def ask_link(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Title and link on one line (or the link alone); after a bad one, the one message says what to fix."""
        problem = (step.options or {}).get("problem")
        text = problem or "Type the button title, then the link, e.g. *Book your place example.org/book*."
        return await step.begin_dialog(ASK, ask_text(Reply(text=text), 600))

    async def check_link(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Keep a valid https link ("no link": none after all), else explain and ask again."""
        if " ".join(str(step.result).lower().split()) in NO_LINK:
            return await step.end_dialog(None)
        try:
            return await step.end_dialog(list(check_link(str(step.result))))
        except BroadcastError as problem:
            return await step.replace_dialog(LINK, {"problem": str(problem)})

    async def audience(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Who should get it (unless the card said)."""
        step.values["link"] = step.result
        if step.values.get("kind"):
            return await step.next(step.values["kind"])
        lead = "Thanks, I have your message. " if step.values.get("form") else ""
        return await step.begin_dialog(ASK, ask_choice(Reply(text=f"{lead}Who should get it?", choices=AUDIENCES)))

    async def which(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Which cohort, group or health state (unless the card said)."""
        step.values["kind"] = kind = step.result
        if step.values.get("value"):
            return await step.next(step.values["value"])
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
        """Show the message as recipients will see it, say how many, and ask when (the card has said)."""
        step.values["value"] = step.result
        draft = _draft(step.values)
        found = await broadcasts.preview_audience(self.services.store, draft.audience, self.services.clock.now())
        if found.count == 0:
            await say(step.context, empty_audience())
            return await step.end_dialog()
        step.values["count"] = found.count
        await say(step.context, message_reply(draft))
        note = preview_note(found.count, draft.audience, found.cohorts)
        if step.values.get("form"):
            await say(step.context, note)
            return await step.next("card")
        return await step.begin_dialog(
            ASK, ask_choice(Reply(text=note.text + " Send it now or at a set time?", choices=WHEN))
        )

    async def when(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Ask for the time when it should wait (typed, in the facilitator's zone); the card's, if it gave one."""
        if step.result == "no":
            await say(step.context, Reply(text="OK, nothing has been sent."))
            return await step.end_dialog()
        if step.result == "now":
            return await step.next(None)
        zone = scope(step.context).participant.time_zone
        if step.result != "card":
            return await step.begin_dialog(ASK, ask_times(_when_question(zone), zone))
        day, clock = step.values.get("date", ""), step.values.get("time", "")
        if not (day or clock):
            return await step.next(None)  # left empty: as soon as it is confirmed
        try:
            found = times_from_form(day, clock, self.services.clock.now(), zone)
        except HalfAnswer as half:  # "I have Tuesday 2 March 2027; what time?": the answer completes it
            asked = Reply(text=f"{half} ({zone})", inputs=_when_question(zone).inputs)
            return await step.begin_dialog(ASK, ask_times(asked, zone, half.held()))
        except AnswerError as problem:
            return await step.begin_dialog(
                ASK, ask_times(_when_question(zone, f"{problem} When should it go out?"), zone)
            )
        return await step.next([moment.isoformat() for moment in found])

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
