"""Protected meeting time: propose (`meet`), answer a proposal, move, cancel, log and note.

```mermaid
stateDiagram-v2
    [*] --> [*]: no partner yet (said before any question)
    [*] --> Times: meet
    [*] --> Times: meeting suggest <id> / meeting move <id> (length, how, where, agenda kept)
    Times --> Confirm: another time for a suggestion or a booking
    Times --> Times: unreadable or past time
    Times --> Length
    Length --> How: Teams call / in person / phone
    How --> Where: in person
    How --> Agenda
    Where --> Agenda: this week's guide prompt / own / none
    Agenda --> Rhythm: every 2, 4 or 6 weeks, or just this once
    Rhythm --> Confirm
    Confirm --> [*]: sent to the partner (outbox), or a clash explained
    [*] --> Note: meeting note <id> / note
    Note --> [*]: saved privately
```
Button commands (`meeting accept|decline|answer …`) are one-reply handlers; every service
call goes through `meeting_buttons.run`, which turns a refusal into its kind message.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from botbuilder.dialogs import Dialog, DialogTurnResult, WaterfallDialog, WaterfallStepContext

from dialogs.ask import ASK, ask_choice, ask_text, ask_times, choices, stop_unless_yes, yes_or_not_now
from dialogs.commands import Command
from dialogs.common import Services, say, scope
from dialogs.meeting_buttons import CARDS, Call, meeting_button, number, run, show_meetings
from domain.core.reply import Input, Reply
from domain.language.recognize import AnswerError
from domain.language.show import format_time
from domain.language.when import HalfAnswer, parse_times
from domain.meetings import service as meetings
from domain.meetings.cards import kept
from domain.meetings.model import MeetingFormat
from domain.meetings.rules import MeetingError

MEET, MOVE, NOTE, CANCEL, LOG = "meet", "meeting.move", "meeting.note", "meeting.cancel", "meeting.log"
LENGTHS = choices([("30", "30 minutes"), ("45", "45 minutes"), ("60", "1 hour"), ("90", "1 hour 30")])
FORMATS = choices(
    [
        (MeetingFormat.TEAMS.value, "Teams call"),
        (MeetingFormat.IN_PERSON.value, "In person"),
        (MeetingFormat.PHONE.value, "Phone"),
    ]
)
PICKERS = (Input("date", "Date", "date"), Input("time", "Time", "time"))
RHYTHMS = choices([("0", "Just this once"), ("2", "Every 2 weeks"), ("4", "Every 4 weeks"), ("6", "Every 6 weeks")])
TIMES_HINT = (
    "When could you meet? Type one or more times, e.g. **next Tuesday 2pm; Thursday 10am**, or pick a date and time."
)


def build(services: Services) -> list[Dialog]:
    """The meeting dialogs."""
    flow = _Meet(services)
    return [
        WaterfallDialog(
            MEET,
            [
                flow.times,
                flow.length,
                flow.how,
                flow.where,
                flow.agenda,
                flow.own_agenda,
                flow.rhythm,
                flow.confirm,
                flow.send,
            ],
        ),
        WaterfallDialog(MOVE, [flow.keep, flow.confirm_move, flow.send]),
        WaterfallDialog(NOTE, [flow.ask_note, flow.save_note]),
        WaterfallDialog(CANCEL, [flow.confirm_cancel, flow.cancel]),
        WaterfallDialog(LOG, [flow.ask_when_met, flow.log_met]),
    ]


class _Meet:
    def __init__(self, services: Services) -> None:
        self.services = services

    async def keep(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Suggest another time for a proposal, or move a booked meeting: a new proposal that replaces it,
        keeping the length, format, place and agenda already given, so only the times are asked."""
        if (unpaired := await self._unpaired(step)) is not None:
            return unpaired
        me, now = scope(step.context).participant, self.services.clock.now()
        meeting_id = number(str((step.options or {}).get("args", ""))) or 0
        try:
            old = await meetings.replaceable(self.services.store, me.id, meeting_id, now)
        except MeetingError as problem:
            await say(step.context, Reply(text=str(problem)))
            return await step.end_dialog()
        step.values.update(
            replaces=old.id, minutes=old.duration_minutes, format=old.format.value, place=old.place, agenda=old.agenda
        )
        step.values["rhythm"] = 0  # the proposal keeps the rhythm already agreed
        reply = Reply(
            text=f"When could you meet instead? Type one or more times, or pick a date and time. {kept(old)}",
            inputs=PICKERS,
        )
        return await step.begin_dialog(ASK, ask_times(reply, me.time_zone))

    async def confirm_move(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Check the new times before sending them (the rest stays as it was)."""
        step.values["options"] = step.result
        return await self._confirm(step)

    async def times(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Ask for one or more times in the person's own time zone (after checking there is a partner)."""
        if (unpaired := await self._unpaired(step)) is not None:
            return unpaired
        args = str((step.options or {}).get("args", ""))
        me = scope(step.context).participant
        reply = Reply(text=TIMES_HINT, inputs=PICKERS)
        if args.strip():
            try:
                found = parse_times(args, self.services.clock.now(), me.time_zone)
            except HalfAnswer as half:
                # "meet next Tuesday": one question, what time, and the day is kept for the answer.
                return await step.begin_dialog(
                    ASK, {**ask_times(Reply(str(half), inputs=PICKERS), me.time_zone), "held": half.held()}
                )
            except AnswerError as problem:
                # Why: "meet today 8am" must say what was wrong before asking again.
                await say(step.context, Reply(text=str(problem)))
            else:
                step.values["options"] = [t.isoformat() for t in found]
                return await step.next(None)
        return await step.begin_dialog(ASK, ask_times(reply, me.time_zone))

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
        prompt = await self._current_prompt(step.values.get("pair"))
        step.values["prompt"] = prompt
        options = (
            [
                (
                    "guide",
                    f"This week's guide prompt: {prompt[:70]}…"
                    if len(prompt) > 70
                    else f"This week's guide prompt: {prompt}",
                )
            ]
            if prompt
            else []
        )
        options += [("own", "Write my own"), ("none", "No agenda")]
        return await step.begin_dialog(
            ASK, ask_choice(Reply(text="Would you like an agenda?", choices=choices(options)))
        )

    async def own_agenda(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Their own agenda, if they want one."""
        if step.result == "own":
            return await step.begin_dialog(ASK, ask_text(Reply(text="What would you like to talk about?"), 500))
        return await step.next(step.values["prompt"] if step.result == "guide" else "")

    async def rhythm(self, step: WaterfallStepContext) -> DialogTurnResult:
        """A recurring rhythm keeps the time protected."""
        step.values["agenda"] = step.result or ""
        return await step.begin_dialog(
            ASK,
            ask_choice(Reply(text="Shall I suggest the next meeting automatically after each one?", choices=RHYTHMS)),
        )

    async def confirm(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Check before sending to the partner."""
        step.values["rhythm"] = int(step.result)
        return await self._confirm(step)

    async def _confirm(self, step: WaterfallStepContext) -> DialogTurnResult:
        me = scope(step.context).participant
        listed = "\n".join(f"- {format_time(datetime.fromisoformat(t), me.time_zone)}" for t in step.values["options"])
        return await step.begin_dialog(ASK, yes_or_not_now(f"Send these times to your partner?\n\n{listed}"))

    async def send(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Propose; the partner gets a card to accept, suggest another time or decline."""
        if (stopped := await stop_unless_yes(step, "OK, nothing has been sent.")) is not None:
            return stopped
        v = step.values
        return await self._guarded(
            step,
            lambda: meetings.propose(
                self.services.store,
                scope(step.context).participant.id,
                [datetime.fromisoformat(t) for t in v["options"]],
                v["minutes"],
                MeetingFormat(v["format"]),
                v["place"],
                v["agenda"],
                v["rhythm"],
                self.services.clock.now(),
                replaces=v.get("replaces"),
            ),
            retry=" Type **meet** to try again.",
        )

    async def _unpaired(self, step: WaterfallStepContext) -> DialogTurnResult | None:
        """End kindly before any question when the person has no partner yet; else note the partnership."""
        try:
            step.values["pair"] = await meetings.partnership_of(self.services.store, scope(step.context).participant.id)
        except MeetingError as problem:
            await say(step.context, Reply(text=str(problem)))
            return await step.end_dialog()
        return None

    async def _current_prompt(self, partnership_id: int | None) -> str:
        """The latest prompt delivered to the pair that is meant for a meeting together ("" if none)."""
        if partnership_id is None:  # a flow begun before the partnership was noted in its state
            return ""
        return await meetings.agenda_prompt(self.services.store, self.services.guide, partnership_id)

    async def ask_note(self, step: WaterfallStepContext) -> DialogTurnResult:
        """A private note: only its author ever sees it."""
        step.values["meeting"] = number(str((step.options or {}).get("args", "")))
        return await step.begin_dialog(
            ASK, ask_text(Reply(text="Your private note (only you will ever see it). What stood out for you?"), 2000)
        )

    async def save_note(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Store the note (an unknown meeting id gets a kind message, not an error)."""
        return await self._guarded(
            step,
            lambda: meetings.add_note(
                self.services.store,
                scope(step.context).participant.id,
                step.values["meeting"],
                str(step.result),
                self.services.clock.now(),
            ),
        )

    async def confirm_cancel(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Cancelling tells the partner, so check first."""
        step.values["meeting"] = number(str((step.options or {}).get("args", "")))
        return await step.begin_dialog(ASK, yes_or_not_now("Cancel this meeting? Your partner will be told."))

    async def cancel(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Cancel, remove reminders, tell both."""
        if (stopped := await stop_unless_yes(step)) is not None:
            return stopped
        return await self._guarded(
            step,
            lambda: meetings.cancel(
                self.services.store,
                scope(step.context).participant.id,
                step.values["meeting"] or 0,
                self.services.links,
                self.services.clock.now(),
            ),
        )

    async def ask_when_met(self, step: WaterfallStepContext) -> DialogTurnResult:
        """When did you meet (for meetings arranged outside the companion)?"""
        if (unpaired := await self._unpaired(step)) is not None:
            return unpaired
        return await step.begin_dialog(
            ASK,
            ask_choice(
                Reply(
                    text="Lovely. When did you meet?",
                    choices=choices(
                        [("0", "Today"), ("1", "Yesterday"), ("3", "A few days ago"), ("7", "About a week ago")]
                    ),
                )
            ),
        )

    async def log_met(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Add it to the meeting log."""
        now = self.services.clock.now()
        return await self._guarded(
            step,
            lambda: meetings.log_met(
                self.services.store, scope(step.context).participant.id, now - timedelta(days=int(step.result)), now
            ),
        )

    async def _guarded(self, step: WaterfallStepContext, call: Call, retry: str = "") -> DialogTurnResult:
        await run(step.context, self.services, call, retry)
        return await step.end_dialog()


__all__ = ["CARDS", "COMMANDS", "build"]

COMMANDS = (
    Command(
        "meet", ("meet", "propose a meeting", "book a meeting", "schedule a meeting", "propose a time"), dialog_id=MEET
    ),
    Command("meeting suggest", ("meeting suggest", "meeting move"), dialog_id=MOVE),
    Command("meeting cancel", ("meeting cancel", "cancel meeting"), dialog_id=CANCEL),
    Command("meeting note", ("meeting note", "note", "private note", "add a note"), dialog_id=NOTE),
    Command("we met", ("we met", "we've met", "we have met", "log a meeting"), dialog_id=LOG),
    Command("meetings", ("meetings", "my meetings", "upcoming meetings"), handler=show_meetings),
    # Dialog-starting sub-commands above win by longest alias; the rest are card buttons.
    Command("meeting", ("meeting",), handler=meeting_button),
)
