"""`Ask`: one question, answered by button or by typing, re-asked kindly until it fits.

```mermaid
stateDiagram-v2
    [*] --> Asked: send question
    Asked --> Asked: answer does not fit / re-ask with a hint
    Asked --> [*]: answer fits / card shown answered, return value
```
Options are plain dicts (they live in dialog state): built with the `ask_*` helpers.

Each question gets a fresh token, carried by every submit button of its card: the bot
(dialogs/companion.py) refuses a click whose token is not the pending question's, so an old
card never answers a newer question. Once answered, the card is replaced in place by a
read-only copy showing the answer (where the channel can update a sent message).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.dialogs import (
    Dialog,
    DialogContext,
    DialogInstance,
    DialogReason,
    DialogTurnResult,
    WaterfallStepContext,
)
from botbuilder.schema import Activity, ActivityTypes

from channels.inbound import UserInput, parse
from channels.outgoing import reply_activity
from dialogs.common import say
from domain.core.clock import Clock
from domain.core.reply import Choice, Input, Reply
from domain.enrolment.model import EnrolmentError
from domain.enrolment.rules import parse_time_zone
from domain.language.lists import split_items
from domain.language.recognize import AnswerError, match_choice
from domain.language.when import HalfAnswer, parse_day, parse_times, times_from_form

ASK = "ask"
MAX_TEXT = 1000
log = logging.getLogger(__name__)


def ask_choice(reply: Reply) -> dict[str, Any]:
    """Ask the person to pick one of `reply.choices`; returns the choice value."""
    return {"kind": "choice", "reply": reply.to_dict()}


def ask_text(reply: Reply, max_length: int = MAX_TEXT) -> dict[str, Any]:
    """Ask for free text (never logged); returns the trimmed text."""
    return {"kind": "text", "reply": reply.to_dict(), "max": max_length}


def ask_lines(reply: Reply, count: int) -> dict[str, Any]:
    """Ask for exactly `count` items (a multi-line box on cards; typed lines, ";" or numbers); returns a list."""
    if not reply.inputs:
        box = Input(id="answer", label=f"Your {count}, one per line", kind="multiline", required=True)
        reply = replace(reply, inputs=(box,))
    return {"kind": "lines", "reply": reply.to_dict(), "count": count}


def ask_times(reply: Reply, time_zone: str) -> dict[str, Any]:
    """Ask for one or more meeting times (typed, or the card's date and time inputs)."""
    return {"kind": "times", "reply": reply.to_dict(), "time_zone": time_zone}


def ask_date(reply: Reply) -> dict[str, Any]:
    """Ask for a calendar date (typed like "next Monday", or the card's date picker); returns it as ISO."""
    return {"kind": "date", "reply": reply.to_dict()}


def ask_time_zone(reply: Reply) -> dict[str, Any]:
    """Ask for a time zone; choices in `reply` (e.g. 'Keep Europe/London') are accepted too."""
    return {"kind": "time_zone", "reply": reply.to_dict()}


def _text(user: UserInput, options: dict[str, Any], now: datetime) -> str:
    text = user.value.get("answer") if isinstance(user.value.get("answer"), str) else user.text
    answer = (text or "").strip()
    if not answer:
        raise AnswerError("Please write a few words, even a short answer is fine.")
    if len(answer) > options.get("max", MAX_TEXT):
        raise AnswerError(f"That's a little long: please keep it under {options['max']} characters.")
    return answer


def _lines(user: UserInput, options: dict[str, Any], now: datetime) -> list[str]:
    typed = user.value.get("answer")
    lines = split_items(typed if isinstance(typed, str) and typed.strip() else user.text or "")
    if len(lines) != options["count"]:
        found = "one item" if len(lines) == 1 else f"{len(lines)} items"
        raise AnswerError(
            f"I found {found}; please give exactly {options['count']}: one per line, "
            "or on one line separated by **;** (or numbered 1. 2. 3.)."
        )
    return lines


def _choice(user: UserInput, options: dict[str, Any], now: datetime) -> str:
    return match_choice(user.text, Reply.from_dict(options["reply"]).choices, user.choice)


def _date(user: UserInput, options: dict[str, Any], now: datetime) -> str:
    raw = user.value.get("date") or user.text
    return parse_day(str(raw), now.date()).isoformat()


def _times(user: UserInput, options: dict[str, Any], now: datetime) -> list[str]:
    """Typed times, or the card's date and time; half an answer is kept for the next turn to complete."""
    date_text, time_text = user.value.get("date"), user.value.get("time")
    try:
        if isinstance(date_text, str) and isinstance(time_text, str) and (date_text or time_text):
            found = times_from_form(date_text, time_text, now, options["time_zone"], options.get("held"))
        else:
            found = parse_times(user.text, now, options["time_zone"], options.get("held"))
    except HalfAnswer as half:
        options["held"] = half.held()
        raise
    return [moment.isoformat() for moment in found]


def _time_zone(user: UserInput, options: dict[str, Any], now: datetime) -> str:
    choices = Reply.from_dict(options["reply"]).choices
    if user.choice or (user.text.strip().isdigit() and choices):
        return match_choice(user.text, choices, user.choice)
    try:
        return parse_time_zone(user.text)
    except EnrolmentError as exc:
        raise AnswerError(str(exc)) from exc


RECOGNISERS: dict[str, Callable[[UserInput, dict[str, Any], datetime], Any]] = {
    "text": _text,
    "lines": _lines,
    "choice": _choice,
    "date": _date,
    "times": _times,
    "time_zone": _time_zone,
}


class Ask(Dialog):
    """Asks one question and ends with the recognised answer."""

    def __init__(self, clock: Clock) -> None:
        super().__init__(ASK)
        self._clock = clock

    async def begin_dialog(self, dialog_context: DialogContext, options: object = None) -> DialogTurnResult:
        """Send the question (with a fresh token) and wait for the answer."""
        assert isinstance(options, dict), "Ask needs options from an ask_* helper"
        state = dialog_context.active_dialog.state
        state["options"] = {**options, "token": secrets.token_hex(6)}
        await _send_question(dialog_context.context, state)
        return Dialog.end_of_turn

    async def continue_dialog(self, dialog_context: DialogContext) -> DialogTurnResult:
        """Recognise the answer, or explain and ask again."""
        if dialog_context.context.activity.type not in (ActivityTypes.message, ActivityTypes.invoke):
            return Dialog.end_of_turn
        options = dialog_context.active_dialog.state["options"]
        try:
            user = parse(dialog_context.context.activity)
            value = RECOGNISERS[options["kind"]](user, options, self._clock.now())
        except (AnswerError, EnrolmentError) as problem:
            await self._ask_again(dialog_context.context, dialog_context.active_dialog.state, problem)
            return Dialog.end_of_turn
        await _show_answered(dialog_context.context, dialog_context.active_dialog.state, _shown(options, value))
        return await dialog_context.end_dialog(value)

    async def reprompt_dialog(self, context: TurnContext, instance: DialogInstance) -> None:
        """Show the question again (after help, for example): the new card answers it just as well."""
        await _send_question(context, instance.state)

    async def end_dialog(self, context: TurnContext, instance: DialogInstance, reason: DialogReason) -> None:
        """Nothing to clean up."""

    @staticmethod
    async def _ask_again(context: TurnContext, state: dict[str, Any], problem: Exception) -> None:
        await say(context, Reply(text=f"{problem} (Type **cancel** to stop.)"))
        if getattr(problem, "reask", True):  # a half answer's own question already asks for the rest
            await _send_question(context, state)


def pending_token(instance: DialogInstance | None) -> str:
    """The token of the question `instance` waits on: an Ask's, or a dialog's own "token" in its state (the
    poll form's); "" when it has none."""
    if instance is None:
        return ""
    token = instance.state.get("options", {}).get("token") if instance.id == ASK else instance.state.get("token")
    return token if isinstance(token, str) else ""


async def _send_question(context: TurnContext, state: dict[str, Any]) -> None:
    """Send the question card with its token; remember the sent card's id to show it answered later."""
    options = state["options"]
    question = replace(Reply.from_dict(options["reply"]), token=options.get("token", ""))
    response = await context.send_activity(reply_activity(question, context.activity.channel_id or ""))
    state["card"] = response.id if response is not None and response.id else ""


def _shown(options: dict[str, Any], value: Any) -> str:
    """How the answer reads on the answered card: a choice's title; typed words stay off the card."""
    if options["kind"] in ("choice", "time_zone"):
        for choice in Reply.from_dict(options["reply"]).choices:
            if choice.value == value:
                return choice.title
    return ""


async def _show_answered(context: TurnContext, state: dict[str, Any], shown: str) -> None:
    """Replace the question's card with its read-only answered copy; a card left as it was is harmless."""
    question = Reply.from_dict(state["options"]["reply"])
    card_id = state.get("card") or context.activity.reply_to_id or ""
    if not card_id or not (question.choices or question.inputs or question.actions):
        return
    update: Activity = reply_activity(question.answered(shown), context.activity.channel_id or "")
    update.id = card_id
    try:
        await context.update_activity(update)
    except Exception as exc:  # the answer counts even when the old card cannot be redrawn
        log.warning("could not show the answered card (%s)", type(exc).__name__)


YES = "yes"


def yes_or_not_now(text: str) -> dict[str, Any]:
    """Ask a confirmation question with Yes / Not now."""
    return ask_choice(Reply(text=text, choices=choices([(YES, "Yes"), ("no", "Not now")])))


async def stop_unless_yes(
    step: WaterfallStepContext, message: str = "OK, nothing has changed."
) -> DialogTurnResult | None:
    """End the dialog politely unless the confirmation was yes; None means carry on."""
    if step.result == YES:
        return None
    await say(step.context, Reply(text=message))
    return await step.end_dialog()


def choices(pairs: list[tuple[str, str]] | tuple[tuple[str, str], ...]) -> tuple[Choice, ...]:
    """Choices from (value, title) pairs."""
    return tuple(Choice(value=v, title=t) for v, t in pairs)
