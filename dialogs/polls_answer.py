"""`poll answer <id>`: the whole poll as one card form, or step by step where cards are missing.

```mermaid
stateDiagram-v2
    [*] --> [*]: unknown / not open / not in the cohort / anonymous and already answered
    [*] --> Form: card channel (pre-filled with named answers)
    Form --> Form: submit with problems (shown beside each question)
    Form --> [*]: valid submit / stored, thanked
    [*] --> Consent: text channel, poll asks consent
    [*] --> Question: text channel
    Consent --> Question: I agree
    Question --> Question: next question (or the same one again, kindly, when it does not fit)
    Question --> [*]: last answer / stored, thanked
```
Answers in progress live in dialog state only until they are stored; nothing is logged.

The form (and each step-by-step question card) carries a token naming the poll and this showing of it
(`domain.core.reply.card_token`): the bot refuses a submit from any other form (another poll, an earlier
`poll answer`, a poll already answered here) as out of date. A submit once the poll has closed is refused
too, with where the poll stands; either way nothing is stored. `CARDS` checks the invitation's
*Answer now* the same way: once the poll closes, it says so instead of opening the form.
"""

from __future__ import annotations

import secrets
from dataclasses import replace
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.dialogs import Dialog, DialogContext, DialogInstance, DialogReason, DialogTurnResult
from botbuilder.schema import ActivityTypes

from channels.inbound import UserInput, parse
from channels.render import shows_forms
from dialogs.common import CardKind, Scope, Services, say, scope
from domain.core.reply import Reply, card_token
from domain.core.timing import parse_working_hours
from domain.core.wording import card_overtaken
from domain.polls import service as polls
from domain.polls.form import (
    SKIP,
    agree_first,
    consent_question,
    fill_in_form,
    form_reply,
    question_reply,
    try_again,
)
from domain.polls.model import Answers, Outcome, Poll
from domain.polls.outbox import Delivery
from domain.polls.rules import AGREED, AnswerProblem, answers_from_form, parse_answer
from domain.polls.wording import CARD, answered_reply, poll_token, refusal_reply, standing_reply

ANSWER = "polls.answer"
CONSENT_STEP = -1
_AGREE_WORDS = {AGREED, "1", "agree", "i agree", "i agree to take part"}


def delivery(services: Services) -> Delivery:
    """Who hears about polls besides those invited (facilitators), and in which working hours."""
    return Delivery(
        services.facilitators,
        parse_working_hours(services.settings.work_hours),
        services.settings.daily_message_budget,
    )


class PollAnswer(Dialog):
    """Collects one person's answers to one poll and stores them."""

    def __init__(self, services: Services) -> None:
        super().__init__(ANSWER)
        self.services = services

    async def begin_dialog(self, dc: DialogContext, options: object = None) -> DialogTurnResult:
        """Check the person may answer, then show the form or the first question."""
        args = str((options or {}).get("args", "")) if isinstance(options, dict) else ""
        poll_id = int(args) if args.strip().isdigit() else None
        start = await polls.start_answer(
            self.services.store, poll_id, scope(dc.context).participant, self.services.clock.now()
        )
        poll, previous = start.poll, start.previous
        if start.refused is not None or poll is None:
            return await self._stop(dc, refusal_reply(start.refused or Outcome.UNKNOWN))
        state = dc.active_dialog.state
        state.update(poll=poll.id, answers={}, token=card_token(CARD, poll.id, secrets.token_hex(6)))
        if shows_forms(dc.context.activity.channel_id or ""):
            state["mode"] = "form"
            await _show(dc.context, state, form_reply(poll, previous))
        else:
            state.update(mode="steps", index=CONSENT_STEP if poll.template.consent else 0)
            await self._ask(dc.context, poll, state)
        return Dialog.end_of_turn

    async def continue_dialog(self, dc: DialogContext) -> DialogTurnResult:
        """Take the submitted form, or the typed answer to the current question."""
        if dc.context.activity.type != ActivityTypes.message:
            return Dialog.end_of_turn
        state = dc.active_dialog.state
        poll = await polls.find_poll(self.services.store, state["poll"])
        if poll is None:
            return await self._stop(dc, refusal_reply(Outcome.UNKNOWN))
        user = parse(dc.context.activity)
        if state["mode"] == "form":
            return await self._form(dc, poll, user)
        return await self._step(dc, poll, user, state)

    async def reprompt_dialog(self, context: TurnContext, instance: DialogInstance) -> None:
        """Show the form or the current question again."""
        poll = await polls.find_poll(self.services.store, instance.state["poll"])
        if poll is not None and instance.state["mode"] == "form":
            await _show(context, instance.state, form_reply(poll, instance.state.get("answers")))
        elif poll is not None:
            await self._ask(context, poll, instance.state)

    async def end_dialog(self, context: TurnContext, instance: DialogInstance, reason: DialogReason) -> None:
        """Nothing to clean up: unsent answers go with the dialog state."""

    async def _form(self, dc: DialogContext, poll: Poll, user: UserInput) -> DialogTurnResult:
        """Store a valid submit; otherwise show the form again with each problem beside its question."""
        if not user.value:
            await say(dc.context, fill_in_form())
            return Dialog.end_of_turn
        now, time_zone = self.services.clock.now(), scope(dc.context).participant.time_zone
        if not poll.is_open(now):  # the form was right when shown; the poll has closed since
            await say(dc.context, card_overtaken())
            return await self._stop(dc, standing_reply(poll, now, time_zone))
        answers, problems = answers_from_form(poll.template, user.value)
        if problems:
            kept: Answers = {k: v for k, v in user.value.items() if isinstance(v, str)}
            dc.active_dialog.state["answers"] = kept
            await _show(dc.context, dc.active_dialog.state, form_reply(poll, kept, problems))
            return Dialog.end_of_turn
        return await self._finish(dc, poll, answers)

    async def _step(self, dc: DialogContext, poll: Poll, user: UserInput, state: dict[str, Any]) -> DialogTurnResult:
        """One typed (or button) answer: check it, keep it, move on."""
        # A button sends the option's value; typed text may be the number shown beside it.
        text, typed = (user.choice, False) if user.choice else ((user.text or "").strip(), True)
        index = state["index"]
        if index == CONSENT_STEP:
            if text.casefold() not in _AGREE_WORDS:
                await say(dc.context, agree_first())
                await self._ask(dc.context, poll, state)
                return Dialog.end_of_turn
        else:
            question = poll.template.questions[index]
            try:
                skipping = text.casefold() == SKIP
                value = None if skipping else parse_answer(question, text, typed)
                if value is None and (question.required or not skipping):
                    raise AnswerProblem(
                        "This one needs an answer." if question.required else "Please answer, or type **skip**."
                    )
            except AnswerProblem as problem:
                await say(dc.context, try_again(str(problem)))
                await self._ask(dc.context, poll, state)
                return Dialog.end_of_turn
            if value is not None:
                state["answers"][question.id] = value
        state["index"] = index + 1
        if state["index"] >= len(poll.template.questions):
            return await self._finish(dc, poll, state["answers"])
        await self._ask(dc.context, poll, state)
        return Dialog.end_of_turn

    async def _ask(self, context: TurnContext, poll: Poll, state: dict[str, Any]) -> None:
        questions, index = poll.template.questions, state["index"]
        reply = (
            consent_question(poll)
            if index == CONSENT_STEP
            else question_reply(questions[index], index + 1, len(questions))
        )
        await _show(context, state, reply)

    async def _finish(self, dc: DialogContext, poll: Poll, answers: dict[str, Any]) -> DialogTurnResult:
        """Store the answers and thank the person (or say why they could not be stored)."""
        services = self.services
        person = scope(dc.context).participant
        outcome = await polls.submit(services.store, poll.id, person, answers, services.clock.now(), delivery(services))
        await say(dc.context, answered_reply(poll, outcome, person.time_zone))
        if outcome in (Outcome.SAVED, Outcome.CHANGED):
            services.wake_dispatcher()
        return await dc.end_dialog()

    @staticmethod
    async def _stop(dc: DialogContext, reply: Reply) -> DialogTurnResult:
        """Say why the person cannot answer and end the dialog."""
        await say(dc.context, reply)
        return await dc.end_dialog()


async def _show(context: TurnContext, state: dict[str, Any], reply: Reply) -> None:
    """Send the form (or a question) with this dialog's token, so only its own submit answers it."""
    await say(context, replace(reply, token=state.get("token", "")))


async def _poll_now(services: Services, me: Scope, poll_id: int) -> str:
    poll = await polls.find_poll(services.store, poll_id)
    if poll is None or poll.cohort_id != me.participant.cohort_id:
        return ""
    return poll_token(poll, services.clock.now())


async def _where_poll_stands(services: Services, me: Scope, poll_id: int) -> tuple[Reply, ...]:
    """An invitation out of date: the poll has closed (or was never this person's to answer)."""
    poll = await polls.find_poll(services.store, poll_id)
    if poll is None or poll.cohort_id != me.participant.cohort_id:
        return (refusal_reply(Outcome.UNKNOWN),)
    return (standing_reply(poll, services.clock.now(), me.participant.time_zone),)


CARDS = {CARD: CardKind(_poll_now, _where_poll_stands)}
