"""Mutual aims (`aims`): private hopes, shared aims, progress reviews, sharing with the team.

```mermaid
stateDiagram-v2
    [*] --> NotPaired: no current partnership
    [*] --> Hopes: aims (no hopes yet) / aims hopes
    Hopes --> [*]: learn, offer; "once <partner> has added theirs" or both see both
    [*] --> Overview: aims (hopes noted)
    [*] --> Propose: aims propose / aims edit <id>
    Propose --> Propose: not two or three lines
    Propose --> [*]: sent to the partner (Accept / Suggest changes)
    [*] --> Accepted: aims accept <id> (only the partner who did not propose)
    [*] --> Rate: aims rate mid|end
    Rate --> Rate: one choice per agreed aim
    Rate --> [*]: "once <partner> has rated too" or both see both
    [*] --> Share: aims share -> confirm -> recorded
```
Buttons carry typed commands, so every menu is a plain message and any button starts afresh.
"""

from __future__ import annotations

from typing import Any

from botbuilder.core import TurnContext
from botbuilder.dialogs import Dialog, DialogTurnResult, WaterfallDialog, WaterfallStepContext

from dialogs.ask import ASK, ask_choice, ask_text, stop_unless_yes, yes_or_not_now
from dialogs.commands import Command
from dialogs.common import CardKind, Scope, Services, say, say_outcome, scope
from domain.aims import service, wording
from domain.aims.cards import CARD
from domain.aims.model import NOT_PAIRED, NOTHING_TO_SHARE, AimsError
from domain.aims.rules import parse_aims
from domain.core.reply import Reply

AIMS, HOPES, PROPOSE, WRITE, RATE, SHARE = "aims", "aims.hopes", "aims.propose", "aims.write", "aims.rate", "aims.share"
ROUTES = {"hopes": HOPES, "propose": PROPOSE, "change": PROPOSE, "edit": PROPOSE, "rate": RATE, "share": SHARE}
MAX_HOPE, MAX_AIMS_TEXT = 600, 900
REFUSALS = (AimsError,)


def build(services: Services) -> list[Dialog]:
    """The mutual aims dialogs."""
    flow = _Aims(services)
    return [
        WaterfallDialog(AIMS, [flow.route]),
        WaterfallDialog(HOPES, [flow.ask_learn, flow.ask_offer, flow.save_hopes]),
        WaterfallDialog(PROPOSE, [flow.check_proposal]),
        WaterfallDialog(WRITE, [flow.ask_aims, flow.send_aims]),
        WaterfallDialog(RATE, [flow.ask_rating, flow.keep_rating]),
        WaterfallDialog(SHARE, [flow.confirm_share, flow.share]),
    ]


def _id(text: str) -> int | None:
    word = text.strip().lstrip("#")
    return int(word) if word.isdecimal() else None


class _Aims:
    """Waterfall steps; the rules live in domain.aims.rules, the words in domain.aims.wording."""

    def __init__(self, services: Services) -> None:
        self.services = services

    async def _refuse(self, step: WaterfallStepContext, problem: AimsError) -> DialogTurnResult:
        await say(step.context, Reply(text=str(problem)))
        return await step.end_dialog()

    async def route(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Run the sub-command, or show where the pair is (asking for hopes first)."""
        word, _, rest = str((step.options or {}).get("args", "")).strip().partition(" ")
        me = scope(step.context).participant
        if word.lower() == "accept":
            await say_outcome(
                step.context,
                self.services,
                lambda: service.accept_aims(self.services.store, me.id, _id(rest) or 0, self.services.clock.now()),
                wording.aims_agreed,
                REFUSALS,
            )
            return await step.end_dialog()
        if word.lower() in ROUTES:
            return await step.replace_dialog(ROUTES[word.lower()], {"word": word.lower(), "arg": rest.strip()})
        view = await service.load_view(self.services.store, me.id)
        if view is None:
            return await self._refuse(step, AimsError(NOT_PAIRED))
        if view.hopes_of(me.id) is None:
            return await step.replace_dialog(HOPES, {})
        for reply in wording.overview(view, view.stage_awaiting_me()):
            await say(step.context, reply)
        return await step.end_dialog()

    async def ask_learn(self, step: WaterfallStepContext) -> DialogTurnResult:
        """First hope: what this person hopes to learn."""
        view = await service.load_view(self.services.store, scope(step.context).participant.id)
        if view is None:
            return await self._refuse(step, AimsError(NOT_PAIRED))
        return await step.begin_dialog(ASK, ask_text(wording.hopes_prompt(view.partner), MAX_HOPE))

    async def ask_offer(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Second hope: what this person hopes to offer."""
        step.values["learn"] = step.result
        return await step.begin_dialog(ASK, ask_text(wording.offer_prompt(), MAX_HOPE))

    async def save_hopes(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Save; both see both once both are in."""
        me, learn, offer = scope(step.context).participant, step.values["learn"], str(step.result)
        await say_outcome(
            step.context,
            self.services,
            lambda: service.save_hopes(self.services.store, me.id, learn, offer, self.services.clock.now()),
            wording.hopes_saved,
            REFUSALS,
        )
        return await step.end_dialog()

    async def check_proposal(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Check the person may propose (or change the given proposal) before asking."""
        me, options = scope(step.context).participant, dict(step.options)
        try:
            if options["word"] == "edit":
                current = await service.proposal_to_answer(self.services.store, me.id, _id(options["arg"]) or 0)
                options.update(replacing=current.id, current=list(current.aims))
            else:
                await service.check_can_propose(self.services.store, me.id)
        except AimsError as problem:
            return await self._refuse(step, problem)
        return await step.replace_dialog(WRITE, options)

    async def ask_aims(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Ask for two or three aims, one per line (with the version being changed, if any)."""
        options: dict[str, Any] = step.options
        prompt = wording.aims_prompt(options.get("current", []), options.get("hint"))
        return await step.begin_dialog(ASK, ask_text(prompt, MAX_AIMS_TEXT))

    async def send_aims(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Send the aims to the partner, or ask again when they are not two or three lines."""
        options: dict[str, Any] = step.options
        me = scope(step.context).participant
        try:
            aims = parse_aims(str(step.result))
        except AimsError as problem:
            return await step.replace_dialog(WRITE, {**options, "hint": str(problem)})
        await say_outcome(
            step.context,
            self.services,
            lambda: service.propose_aims(
                self.services.store, me.id, aims, self.services.clock.now(), options.get("replacing")
            ),
            wording.aims_proposed,
            REFUSALS,
        )
        return await step.end_dialog()

    async def ask_rating(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Ask about the next agreed aim; when all are rated, save and reveal if both have."""
        options: dict[str, Any] = dict(step.options)
        if "aims" not in options:
            try:
                options = await self._start_rating(step.context, options)
            except AimsError as problem:
                return await self._refuse(step, problem)
        if len(options["ratings"]) == len(options["aims"]):
            return await self._save_ratings(step, options)
        step.values["options"] = options
        question = wording.rating_question(options["aims"], len(options["ratings"]))
        return await step.begin_dialog(ASK, ask_choice(question))

    async def _start_rating(self, context: TurnContext, options: dict[str, Any]) -> dict[str, Any]:
        """The aims this person can rate at the stage asked for, after a word on what rating means."""
        stage = options["arg"].lower()
        aims = await service.aims_to_rate(self.services.store, scope(context).participant.id, stage)
        await say(context, wording.rating_intro(stage))
        return {**options, "stage": stage, "aims": aims, "ratings": []}

    async def _save_ratings(self, step: WaterfallStepContext, options: dict[str, Any]) -> DialogTurnResult:
        """Keep every rating; both see both once both have rated."""
        me, now = scope(step.context).participant, self.services.clock.now()
        await say_outcome(
            step.context,
            self.services,
            lambda: service.rate_progress(self.services.store, me.id, options["stage"], options["ratings"], now),
            wording.progress_rated,
            REFUSALS,
        )
        return await step.end_dialog()

    async def keep_rating(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Keep the rating and move to the next aim."""
        options = step.values["options"]
        return await step.replace_dialog(RATE, {**options, "ratings": [*options["ratings"], int(step.result)]})

    async def confirm_share(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Explain what sharing means and ask to confirm."""
        view = await service.load_view(self.services.store, scope(step.context).participant.id)
        if view is None or view.agreed is None:
            return await self._refuse(step, AimsError(NOT_PAIRED if view is None else NOTHING_TO_SHARE))
        return await step.begin_dialog(ASK, yes_or_not_now(wording.share_question(view.partner)))

    async def share(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Record the choice to share."""
        if (stopped := await stop_unless_yes(step, "OK, your shared aims stay between the two of you.")) is not None:
            return stopped
        me = scope(step.context).participant
        await say_outcome(
            step.context,
            self.services,
            lambda: service.share_with_team(self.services.store, me.id),
            wording.sharing_chosen,
            REFUSALS,
        )
        return await step.end_dialog()


async def _aims_now(services: Services, me: Scope, proposal_id: int) -> str:
    return await service.card_token_now(services.store, me.participant.id, proposal_id)


async def _where_aims_stand(services: Services, me: Scope, _proposal_id: int) -> tuple[Reply, ...]:
    """Suggested aims out of date: what `aims` shows now (the agreed aims, or the newer suggestion)."""
    view = await service.load_view(services.store, me.participant.id)
    if view is None:
        return (Reply(text=NOT_PAIRED),)
    return tuple(wording.overview(view, view.stage_awaiting_me()))


CARDS = {CARD: CardKind(_aims_now, _where_aims_stand)}
COMMANDS = (Command("aims", ("aims", "mutual aims", "our aims", "shared aims", "my aims"), dialog_id=AIMS),)
