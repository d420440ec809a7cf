"""Partnership health for facilitators: `health`, `pause partnership`, `resume partnership` and
`partner leaving` (all facilitators only).

```mermaid
stateDiagram-v2
    [*] --> [*]: no partnership to choose (said before any question)
    [*] --> Choose: pause partnership / resume partnership / partner leaving
    Choose --> Until: pause partnership
    Until --> [*]: paused; both partners told
    Choose --> [*]: resume partnership (resumed; both partners told)
    Choose --> Leaver: partner leaving
    Leaver --> Confirm
    Confirm --> [*]: ended; the leaver gets a closing note, the other partner support
    Confirm --> [*]: not now
```
`health` is a one-reply handler: status per partnership, last met, aims agreed; nothing private.
"""

from __future__ import annotations

from botbuilder.core import TurnContext
from botbuilder.dialogs import Dialog, DialogTurnResult, WaterfallDialog, WaterfallStepContext

from dialogs.ask import ASK, ask_choice, stop_unless_yes, yes_or_not_now
from dialogs.commands import Command
from dialogs.common import CardKind, Scope, Services, say, scope
from dialogs.health import ask_length, hours, pause_end, run
from domain.cohorts.service import load_rosters
from domain.core.model import PartnershipStatus
from domain.core.reply import Choice, Reply
from domain.core.timing import local_date
from domain.health import team_service as team
from domain.health.cards import PARTNERSHIP_CARD, partnership_token
from domain.health.wording import health_reply, leaving_reply, team_pause_reply, team_resume_reply

PAUSE_PAIR, RESUME_PAIR, LEAVING = "health.pause_pair", "health.resume_pair", "health.leaving"
WANTED = {
    PAUSE_PAIR: (PartnershipStatus.ACTIVE,),
    RESUME_PAIR: (PartnershipStatus.PAUSED,),
    LEAVING: (PartnershipStatus.ACTIVE, PartnershipStatus.PAUSED),
}
NONE_TO_CHOOSE = {
    PAUSE_PAIR: "There are no active partnerships to pause.",
    RESUME_PAIR: "No partnership is paused just now.",
    LEAVING: "There are no current partnerships.",
}


def build(services: Services) -> list[Dialog]:
    """The facilitators' health dialogs."""
    flow = _Team(services)
    return [
        WaterfallDialog(PAUSE_PAIR, [flow.choose, flow.until, flow.pause]),
        WaterfallDialog(RESUME_PAIR, [flow.choose, flow.resume]),
        WaterfallDialog(LEAVING, [flow.choose, flow.leaver, flow.confirm, flow.leave]),
    ]


async def show_health(context: TurnContext, services: Services, _args: str) -> None:
    """Every partnership's health, grouped by status."""
    await say(context, health_reply(await team.health_rows(services.store, services.clock.now())))


class _Team:
    def __init__(self, services: Services) -> None:
        self.services = services

    async def choose(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Pick a partnership in the state this command needs."""
        wanted = WANTED[step.active_dialog.id]
        options, people = [], {}
        for roster in await load_rosters(self.services.store):
            for p in (p for p in roster.partnerships if p.status in wanted):
                a, b = roster.by_id(p.partner_a_id), roster.by_id(p.partner_b_id)
                names = (a.name if a else "?", b.name if b else "?")
                people[str(p.id)] = [[p.partner_a_id, names[0]], [p.partner_b_id, names[1]]]
                paused = " (paused)" if p.status == PartnershipStatus.PAUSED and len(wanted) > 1 else ""
                options.append(Choice(str(p.id), f"{names[0]} and {names[1]}{paused}"))
        if not options:
            await say(step.context, Reply(text=NONE_TO_CHOOSE[step.active_dialog.id]))
            return await step.end_dialog()
        step.values["people"] = people  # kept in dialog state to name the partners later
        named = str((step.options or {}).get("args", "")).strip().lstrip("#")
        if named in people:  # from an alert's button: `pause partnership <id>`
            return await step.next(named)
        return await step.begin_dialog(ASK, ask_choice(Reply(text="Which partnership?", choices=tuple(options))))

    async def until(self, step: WaterfallStepContext) -> DialogTurnResult:
        """For how long (an open-ended pause lasts until it is resumed)."""
        step.values["partnership"] = int(step.result)
        return await step.begin_dialog(ASK, ask_length("Pause it for how long? Both partners will be told."))

    async def pause(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Pause it; both partners get the same notice."""
        now = self.services.clock.now()
        until = pause_end(str(step.result), local_date(now, scope(step.context).participant.time_zone))
        await run(
            step.context,
            self.services,
            lambda: team.facilitator_pause(
                self.services.store, step.values["partnership"], until, now, hours(self.services)
            ),
            team_pause_reply,
        )
        return await step.end_dialog()

    async def resume(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Resume it; both partners are told."""
        await run(
            step.context,
            self.services,
            lambda: team.facilitator_resume(
                self.services.store, int(step.result), self.services.clock.now(), hours(self.services)
            ),
            team_resume_reply,
        )
        return await step.end_dialog()

    async def leaver(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Who is leaving the trust."""
        step.values["partnership"] = step.result
        pair = step.values["people"][step.result]
        return await step.begin_dialog(
            ASK, ask_choice(Reply(text="Who is leaving?", choices=tuple(Choice(str(pid), name) for pid, name in pair)))
        )

    async def confirm(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Confirm, since the partnership ends and both partners hear from the companion."""
        step.values["leaver"] = int(step.result)
        return await step.begin_dialog(
            ASK,
            yes_or_not_now(
                "End this partnership because a partner is leaving? They'll get a short, kind closing note, and "
                "their partner will be offered a new partner, a proper closing or carrying on informally."
            ),
        )

    async def leave(self, step: WaterfallStepContext) -> DialogTurnResult:
        """End it (reason: left the trust) and send the closing note and the support."""
        if (stopped := await stop_unless_yes(step)) is not None:
            return stopped
        await run(
            step.context,
            self.services,
            lambda: team.partner_leaving(
                self.services.store,
                int(step.values["partnership"]),
                step.values["leaver"],
                self.services.guide,
                self.services.clock.now(),
                hours(self.services),
            ),
            leaving_reply,
        )
        return await step.end_dialog()


async def _partnership_now(services: Services, me: Scope, partnership_id: int) -> str:
    """Only facilitators act on partnerships: for anyone else the alert's button is never current."""
    status = await team.status_of(services.store, partnership_id) if me.is_facilitator else None
    return partnership_token(partnership_id, status) if status is not None else ""


async def _where_partnerships_stand(services: Services, me: Scope, _partnership_id: int) -> tuple[Reply, ...]:
    """An alert's button out of date (already paused or ended): every partnership's health now."""
    if not me.is_facilitator:
        return ()
    return (health_reply(await team.health_rows(services.store, services.clock.now())),)


CARDS = {PARTNERSHIP_CARD: CardKind(_partnership_now, _where_partnerships_stand)}
COMMANDS = (
    Command(
        "health",
        ("health", "partnership health", "pair health", "how are the pairs"),
        handler=show_health,
        facilitators_only=True,
    ),
    Command(
        "pause partnership", ("pause partnership", "pause a partnership"), dialog_id=PAUSE_PAIR, facilitators_only=True
    ),
    Command(
        "resume partnership",
        ("resume partnership", "resume a partnership"),
        dialog_id=RESUME_PAIR,
        facilitators_only=True,
    ),
    Command(
        "partner leaving",
        ("partner leaving", "partner is leaving", "a partner is leaving", "partner left"),
        dialog_id=LEAVING,
        facilitators_only=True,
    ),
)
