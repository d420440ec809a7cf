"""Protected meeting time: propose (`meet`), answer a proposal, move, cancel, log and note.

```mermaid
stateDiagram-v2
    [*] --> Times: meet / meeting suggest <id> / meeting move <id>
    Times --> Times: unreadable, past or clashing time
    Times --> Length
    Length --> How: Teams call / in person / phone
    How --> Where: in person
    How --> Agenda
    Where --> Agenda: this week's guide prompt / own / none
    Agenda --> Rhythm: every 2, 4 or 6 weeks, or just this once
    Rhythm --> Confirm
    Confirm --> [*]: sent to the partner (outbox)
    [*] --> Note: meeting note <id> / note
    Note --> [*]: saved privately
```
Button commands (`meeting accept|decline|answer …`) are one-reply handlers.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.dialogs import Dialog, DialogTurnResult, WaterfallDialog, WaterfallStepContext

from dialogs.ask import ASK, ask_choice, ask_text, ask_times, choices, stop_unless_yes, yes_or_not_now
from dialogs.commands import Command
from dialogs.common import Services, say, scope
from domain import meetings
from domain.meeting import Answer, MeetingFormat
from domain.recognize import AnswerError
from domain.reply import Input, Reply
from domain.when import format_time, parse_times

MEET, MOVE, NOTE, CANCEL, LOG = "meet", "meeting.move", "meeting.note", "meeting.cancel", "meeting.log"
LENGTHS = choices([("30", "30 minutes"), ("45", "45 minutes"), ("60", "1 hour"), ("90", "1 hour 30")])
FORMATS = choices([(MeetingFormat.TEAMS.value, "Teams call"), (MeetingFormat.IN_PERSON.value, "In person"),
                   (MeetingFormat.PHONE.value, "Phone")])
RHYTHMS = choices([("0", "Just this once"), ("2", "Every 2 weeks"), ("4", "Every 4 weeks"), ("6", "Every 6 weeks")])
TIMES_HINT = ("When could you meet? Type one or more times, e.g. **next Tuesday 2pm; Thursday 10am**, "
              "or pick a date and time.")


def build(services: Services) -> list[Dialog]:
    """The meeting dialogs."""
    flow = _Meet(services)
    return [
        WaterfallDialog(MEET, [flow.times, flow.length, flow.how, flow.where, flow.agenda, flow.own_agenda,
                               flow.rhythm, flow.confirm, flow.send]),
        WaterfallDialog(MOVE, [flow.move]),
        WaterfallDialog(NOTE, [flow.ask_note, flow.save_note]),
        WaterfallDialog(CANCEL, [flow.confirm_cancel, flow.cancel]),
        WaterfallDialog(LOG, [flow.ask_when_met, flow.log_met]),
    ]


def _number(args: str, position: int = 0) -> int | None:
    words = args.split()
    return int(words[position]) if len(words) > position and words[position].isdigit() else None


class _Meet:
    def __init__(self, services: Services) -> None:
        self.services = services

    async def move(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Suggest another time for a proposal, or move a booked meeting: a new proposal that replaces it."""
        return await step.replace_dialog(MEET, {"replaces": _number(str((step.options or {}).get("args", "")))})

    async def times(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Ask for one or more times in the person's own time zone."""
        args = str((step.options or {}).get("args", ""))
        step.values["replaces"] = (step.options or {}).get("replaces")
        step.values["form"] = {}
        me = scope(step.context).participant
        reply = Reply(text=TIMES_HINT, inputs=(Input("date", "Date", "date"), Input("time", "Time", "time")))
        if args.strip():
            return await step.next(None) if self._try_times(step, args) else \
                await step.begin_dialog(ASK, ask_times(reply, me.time_zone))
        return await step.begin_dialog(ASK, ask_times(reply, me.time_zone))

    def _try_times(self, step: WaterfallStepContext, text: str) -> bool:
        try:
            found = parse_times(text, self.services.clock.now(), scope(step.context).participant.time_zone)
        except AnswerError:
            return False
        step.values["options"] = [t.isoformat() for t in found]
        return True

    async def length(self, step: WaterfallStepContext) -> DialogTurnResult:
        """How long."""
        if step.result is not None:
            step.values["options"] = step.result
        return await step.begin_dialog(ASK, ask_choice(Reply(text="How long would you like?", choices=LENGTHS)))

    async def how(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Teams call, in person or phone."""
        step.values["minutes"] = int(step.result)
        return await step.begin_dialog(ASK, ask_choice(Reply(text="How would you like to meet?", choices=FORMATS)))

    async def where(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Where, for an in-person meeting (an insight visit, perhaps)."""
        step.values["format"] = step.result
        if step.result != MeetingFormat.IN_PERSON.value:
            return await step.next("")
        return await step.begin_dialog(ASK, ask_text(Reply(text="Where will you meet?"), 200))

    async def agenda(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Offer this week's guide prompt as the agenda."""
        step.values["place"] = step.result or ""
        prompt = await self._current_prompt(step.context)
        step.values["prompt"] = prompt
        options = ([("guide", f"This week's guide prompt: {prompt[:70]}…" if len(prompt) > 70 else
                     f"This week's guide prompt: {prompt}")] if prompt else [])
        options += [("own", "Write my own"), ("none", "No agenda")]
        return await step.begin_dialog(ASK, ask_choice(Reply(text="Would you like an agenda?",
                                                             choices=choices(options))))

    async def own_agenda(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Their own agenda, if they want one."""
        if step.result == "own":
            return await step.begin_dialog(ASK, ask_text(Reply(text="What would you like to talk about?"), 500))
        return await step.next(step.values["prompt"] if step.result == "guide" else "")

    async def rhythm(self, step: WaterfallStepContext) -> DialogTurnResult:
        """A recurring rhythm keeps the time protected."""
        step.values["agenda"] = step.result or ""
        if step.values.get("replaces"):
            return await step.next("0")
        return await step.begin_dialog(ASK, ask_choice(Reply(
            text="Shall I suggest the next meeting automatically after each one?", choices=RHYTHMS)))

    async def confirm(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Check before sending to the partner."""
        step.values["rhythm"] = int(step.result)
        me = scope(step.context).participant
        listed = "\n".join(f"- {format_time(datetime.fromisoformat(t), me.time_zone)}" for t in step.values["options"])
        return await step.begin_dialog(ASK, yes_or_not_now(f"Send these times to your partner?\n\n{listed}"))

    async def send(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Propose; the partner gets a card to accept, suggest another time or decline."""
        if (stopped := await stop_unless_yes(step, "OK, nothing has been sent.")) is not None:
            return stopped
        v = step.values
        try:
            result = await meetings.propose(
                self.services.store, scope(step.context).participant.id,
                [datetime.fromisoformat(t) for t in v["options"]], v["minutes"], MeetingFormat(v["format"]),
                v["place"], v["agenda"], v["rhythm"], self.services.clock.now(), replaces=v.get("replaces"))
        except AnswerError as problem:
            await say(step.context, Reply(text=f"{problem} Type **meet** to try again."))
            return await step.end_dialog()
        return await self._finish(step, result)

    async def _finish(self, step: WaterfallStepContext, result: meetings.MeetingResult) -> DialogTurnResult:
        if result.queued:
            self.services.wake_dispatcher()
        await say(step.context, result.reply)
        return await step.end_dialog()

    async def _current_prompt(self, context: TurnContext) -> str:
        async with self.services.store.transaction() as uow:
            partnership = await uow.partnerships.current_for(scope(context).participant.id)
            delivered = await uow.guide.delivered(partnership.id) if partnership else []
        for prompt_id in reversed(delivered):
            prompt = self.services.guide.prompt(prompt_id)
            if prompt is not None and prompt.mode.value == "together":
                return prompt.text
        return ""

    async def ask_note(self, step: WaterfallStepContext) -> DialogTurnResult:
        """A private note: only its author ever sees it."""
        step.values["meeting"] = _number(str((step.options or {}).get("args", "")))
        return await step.begin_dialog(ASK, ask_text(Reply(
            text="Your private note (only you will ever see it). What stood out for you?"), 2000))

    async def save_note(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Store the note."""
        result = await meetings.add_note(self.services.store, scope(step.context).participant.id,
                                         step.values["meeting"], str(step.result), self.services.clock.now())
        return await self._finish(step, result)

    async def confirm_cancel(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Cancelling tells the partner, so check first."""
        step.values["meeting"] = _number(str((step.options or {}).get("args", "")))
        return await step.begin_dialog(ASK, yes_or_not_now("Cancel this meeting? Your partner will be told."))

    async def cancel(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Cancel, remove reminders, tell both."""
        if (stopped := await stop_unless_yes(step)) is not None:
            return stopped
        return await self._guarded(step, meetings.cancel(self.services.store, scope(step.context).participant.id,
                                                         step.values["meeting"] or 0, self.services.links,
                                                         self.services.clock.now()))

    async def ask_when_met(self, step: WaterfallStepContext) -> DialogTurnResult:
        """When did you meet (for meetings arranged outside the companion)?"""
        return await step.begin_dialog(ASK, ask_choice(Reply(text="Lovely. When did you meet?", choices=choices(
            [("0", "Today"), ("1", "Yesterday"), ("3", "A few days ago"), ("7", "About a week ago")]))))

    async def log_met(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Add it to the meeting log."""
        now = self.services.clock.now()
        return await self._guarded(step, meetings.log_met(self.services.store, scope(step.context).participant.id,
                                                          now - timedelta(days=int(step.result)), now))

    async def _guarded(self, step: WaterfallStepContext, call: Any) -> DialogTurnResult:
        try:
            result = await call
        except AnswerError as problem:
            await say(step.context, Reply(text=str(problem)))
            return await step.end_dialog()
        return await self._finish(step, result)


async def meeting_button(context: TurnContext, services: Services, args: str) -> None:
    """`meeting accept|decline|answer …` from card buttons: one reply each."""
    word, *rest = args.split() or [""]
    me = scope(context).participant.id
    now = services.clock.now()
    meeting_id = int(rest[0]) if rest and rest[0].isdigit() else 0
    calls = {
        "accept": lambda: meetings.accept(services.store, me, meeting_id, _number(" ".join(rest), 1) or 0,
                                          services.links, now, services.meeting_reminders),
        "decline": lambda: meetings.decline(services.store, me, meeting_id, now),
        "answer": lambda: meetings.answer(services.store, me, meeting_id, _answer(rest), now),
    }
    if word not in calls:
        await say(context, Reply(text="Type **meetings** to see your meetings, or **meet** to propose one."))
        return
    try:
        result = await calls[word]()
    except AnswerError as problem:
        await say(context, Reply(text=str(problem)))
        return
    if result.queued:
        services.wake_dispatcher()
    await say(context, result.reply)


def _answer(rest: list[str]) -> Answer:
    try:
        return Answer(rest[1])
    except (IndexError, ValueError) as exc:
        raise AnswerError("Please use one of the buttons on the card.") from exc


async def show_meetings(context: TurnContext, services: Services, _args: str) -> None:
    """Upcoming and past meetings for the pair, in this person's time zone."""
    await say(context, await meetings.overview(services.store, scope(context).participant.id,
                                               services.clock.now()))


async def route_meeting(context: TurnContext, services: Services, args: str) -> None:
    """Dialog-starting sub-commands are routed by the command table; the rest are buttons."""
    await meeting_button(context, services, args)


COMMANDS = (
    Command("meet", ("meet", "propose a meeting", "book a meeting", "schedule a meeting", "propose a time"),
            dialog_id=MEET),
    Command("meeting suggest", ("meeting suggest", "meeting move"), dialog_id=MOVE),
    Command("meeting cancel", ("meeting cancel", "cancel meeting"), dialog_id=CANCEL),
    Command("meeting note", ("meeting note", "note", "private note", "add a note"), dialog_id=NOTE),
    Command("we met", ("we met", "we've met", "we have met", "log a meeting"), dialog_id=LOG),
    Command("meetings", ("meetings", "my meetings", "upcoming meetings"), handler=show_meetings),
    Command("meeting", ("meeting",), handler=route_meeting),
)
