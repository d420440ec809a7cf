"""Partnership health for partners: `pause` (reason, then for how long) and `resume`, and the
one-reply card buttons `checkin fine|not_working|contact` and `after leaving repair|close|informal`.

```mermaid
stateDiagram-v2
    [*] --> [*]: pause with no current partner (said before any question)
    [*] --> Reason: pause
    Reason --> Until: leave / clinical pressure / something else
    Until --> [*]: paused; the partner is told, never the reason
```
Facilitator commands (`health`, `pause partnership`, `resume partnership`, `partner leaving`)
live in dialogs/health_team.py, which shares `run`, `hours` and the pause lengths from here.
"""

from __future__ import annotations

import calendar
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from typing import TypeVar

from botbuilder.core import TurnContext
from botbuilder.dialogs import Dialog, DialogTurnResult, WaterfallDialog, WaterfallStepContext

from dialogs.ask import ASK, ask_choice, choices
from dialogs.commands import Command, Handler
from dialogs.common import CardKind, Queued, Scope, Services, say, say_outcome, scope
from domain.core.facilitators import FacilitatorDirectory
from domain.core.model import PartnershipStatus
from domain.core.ports import Store
from domain.core.reply import Reply
from domain.core.timing import WorkingHours, local_date, parse_working_hours
from domain.health import service as health
from domain.health import wording
from domain.health.cards import CHECKIN_CARD, LEAVING_CARD, checkin_token, leaving_token

PAUSE = "health.pause"
REASONS = choices([("leave", "Leave"), ("clinical_pressure", "Clinical pressure"), ("other", "Something else")])
LENGTHS = choices([("2w", "2 weeks"), ("1m", "1 month"), ("3m", "3 months"), ("unsure", "Not sure yet")])
R = TypeVar("R", bound=Queued)
# A service answering one button of a private card: (store, person, choice, facilitators, now) -> result.
ChoiceService = Callable[[Store, int, str, FacilitatorDirectory, datetime], Awaitable[R]]


def build(services: Services) -> list[Dialog]:
    """The partner's pause dialog."""
    flow = _Pause(services)
    return [WaterfallDialog(PAUSE, [flow.reason, flow.until, flow.pause])]


def pause_end(length: str, today: date) -> date | None:
    """The day a pause chosen as 2w / 1m / 3m from `today` ends; None for "not sure yet"."""
    if length == "2w":
        return today + timedelta(days=14)
    months = {"1m": 1, "3m": 3}.get(length)
    if months is None:
        return None
    years, month = divmod(today.month - 1 + months, 12)
    year, month = today.year + years, month + 1
    return date(year, month, min(today.day, calendar.monthrange(year, month)[1]))


def ask_length(text: str) -> dict[str, object]:
    """For how long: the same choices for partners and facilitators."""
    return ask_choice(Reply(text=text, choices=LENGTHS))


async def run(
    context: TurnContext, services: Services, call: Callable[[], Awaitable[R]], word: Callable[[R], Reply]
) -> None:
    """Say, in words, what the health service did (or its kind refusal)."""
    await say_outcome(context, services, call, word, (health.HealthError,))


def hours(services: Services) -> WorkingHours:
    """Working hours for messages to partners (validated when settings load)."""
    return parse_working_hours(services.settings.work_hours)


class _Pause:
    def __init__(self, services: Services) -> None:
        self.services = services

    async def reason(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Ask why (kept from the partner), after checking there is a partnership to pause."""
        if not await health.has_partner(self.services.store, scope(step.context).participant.id):
            await say(step.context, Reply(text=wording.NOT_PAIRED))
            return await step.end_dialog()
        return await step.begin_dialog(
            ASK,
            ask_choice(
                Reply(
                    text=(
                        "Of course: a pause is a normal part of a long partnership. What's behind it? "
                        "This stays with the programme: I won't tell your partner the reason."
                    ),
                    choices=REASONS,
                )
            ),
        )

    async def until(self, step: WaterfallStepContext) -> DialogTurnResult:
        """For how long (an open-ended pause lasts until someone types **resume**)."""
        step.values["reason"] = step.result
        return await step.begin_dialog(ASK, ask_length("For how long?"))

    async def pause(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Pause; the partner gets a notice with no reason."""
        me, now = scope(step.context).participant, self.services.clock.now()
        until = pause_end(str(step.result), local_date(now, me.time_zone))
        await run(
            step.context,
            self.services,
            lambda: health.pause(self.services.store, me.id, until, step.values["reason"], now, hours(self.services)),
            wording.pause_reply,
        )
        return await step.end_dialog()


async def resume(context: TurnContext, services: Services, _args: str) -> None:
    """`resume`: the partnership is active again and the partner is told."""
    await run(
        context,
        services,
        lambda: health.resume(services.store, scope(context).participant.id, services.clock.now(), hours(services)),
        wording.resume_reply,
    )


def _choice_button(choose: ChoiceService[R], word: Callable[[R], Reply]) -> Handler:
    """A button handler for a private card: the person's choice goes to one service, its result is said."""

    async def handler(context: TurnContext, services: Services, args: str) -> None:
        me, choice = scope(context).participant.id, args.strip().lower()
        await run(
            context,
            services,
            lambda: choose(services.store, me, choice, services.facilitators, services.clock.now()),
            word,
        )

    return handler


# `checkin fine|not_working|contact` from the private check-in card.
checkin_button = _choice_button(health.save_checkin, wording.checkin_reply)
# `after leaving repair|close|informal` from the card sent when a partner leaves.
after_leaving_button = _choice_button(health.after_leaving, wording.after_leaving_reply)


async def _checkin_now(services: Services, me: Scope, partnership_id: int) -> str:
    standing = await health.pair_standing(services.store, me.participant.id, partnership_id)
    if standing.named is None:
        return ""
    current = standing.current is not None and standing.current.id == partnership_id
    return checkin_token(partnership_id, current)


async def _checkin_closed(services: Services, me: Scope, partnership_id: int) -> tuple[Reply, ...]:
    """A check-in about a partnership that is no longer the person's current one: nothing to check in on."""
    return (Reply(text=wording.CHECKIN_CLOSED),)


async def _leaving_now(services: Services, me: Scope, partnership_id: int) -> str:
    standing = await health.pair_standing(services.store, me.participant.id, partnership_id)
    if standing.named is None or standing.named.status is not PartnershipStatus.ENDED:
        return ""
    return leaving_token(partnership_id, unpaired=standing.current is None)


async def _after_leaving_stands(services: Services, me: Scope, partnership_id: int) -> tuple[Reply, ...]:
    """The choices after a partner left, once the person has a new partner (or for a card not theirs)."""
    if await health.has_partner(services.store, me.participant.id):
        return (Reply(text=wording.ALREADY_PAIRED),)
    return ()


CARDS = {
    CHECKIN_CARD: CardKind(_checkin_now, _checkin_closed),
    LEAVING_CARD: CardKind(_leaving_now, _after_leaving_stands),
}
COMMANDS = (
    Command("pause", ("pause", "pause our partnership", "pause for a while", "take a break"), dialog_id=PAUSE),
    Command("resume", ("resume", "resume our partnership", "unpause"), handler=resume),
    Command("checkin", ("checkin", "check in", "check-in"), handler=checkin_button),
    Command("after leaving", ("after leaving",), handler=after_leaving_button),
)
