"""Facilitator broadcasts: `broadcast` (dialogs/broadcast_compose.py: compose on one card or step
by step, audience, preview, now or later, confirm), `broadcasts` (recent ones with delivery status),
`broadcast resend <id>` and `cancel broadcast`.
"""

from __future__ import annotations

from botbuilder.core import TurnContext
from botbuilder.dialogs import Dialog, DialogTurnResult, WaterfallDialog, WaterfallStepContext

from dialogs.ask import ASK, ask_choice
from dialogs.broadcast_compose import BROADCAST, compose_dialogs
from dialogs.commands import Command
from dialogs.common import Services, say, say_outcome, scope
from domain.broadcasts import service as broadcasts
from domain.broadcasts.rules import BroadcastError
from domain.broadcasts.wording import (
    cancel_reply,
    nothing_scheduled,
    resent_reply,
    scheduled_choices,
    status_replies,
)
from domain.core.reply import Reply

CANCEL = "broadcast.cancel"


def build(services: Services) -> list[Dialog]:
    """The broadcast dialogs."""
    cancelling = _Cancel(services)
    return [
        *compose_dialogs(services),
        WaterfallDialog(CANCEL, [cancelling.choose_scheduled, cancelling.cancel]),
    ]


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


class _Cancel:
    def __init__(self, services: Services) -> None:
        self.services = services

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
