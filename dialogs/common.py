"""What every dialog module shares: services, the per-turn scope, and `say`."""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Protocol, TypeVar

from botbuilder.core import TurnContext

from channels.inbound import UserInput
from channels.outgoing import reply_activity
from config import Settings
from domain.core.clock import Clock
from domain.core.facilitators import FacilitatorDirectory
from domain.core.links import DataLinks, Links, NoDataLinks, NoLinks
from domain.core.model import Participant
from domain.core.ports import Store
from domain.core.reply import Reply
from domain.dashboard.links import NoSignInLinks, SignInLinks
from domain.guide.model import Guide
from domain.polls.results import NoPollExports, PollExports

SCOPE_KEY = "plp.scope"
# Set by a dialog that erased the speaker: the turn ends by deleting this conversation's state, not saving it.
FORGET_CONVERSATION = "plp.forget_conversation"


@dataclass
class Services:
    """Long-lived collaborators handed to dialogs by the composition root."""

    store: Store
    clock: Clock
    settings: Settings
    profile_questions: tuple[str, ...]
    guide: Guide
    wake_dispatcher: Callable[[], None] = lambda: None
    rng: random.Random = field(default_factory=random.SystemRandom)
    links: Links = field(default_factory=lambda: NoLinks())
    meeting_reminders: tuple[timedelta, ...] = (timedelta(hours=24), timedelta(hours=1))
    poll_exports: PollExports = field(default_factory=NoPollExports)
    data_links: DataLinks = field(default_factory=NoDataLinks)
    dashboard_links: SignInLinks = field(default_factory=NoSignInLinks)

    @property
    def facilitators(self) -> FacilitatorDirectory:
        """Who facilitates (FACILITATORS entries pinned in the home tenant, plus roles granted in chat)."""
        return self.settings.facilitator_directory


@dataclass
class Scope:
    """Who is speaking this turn (set by the bot before any dialog runs)."""

    participant: Participant
    is_facilitator: bool
    user: UserInput


def scope(context: TurnContext) -> Scope:
    """The current turn's scope."""
    return context.turn_state[SCOPE_KEY]


@dataclass(frozen=True)
class CardKind:
    """How the bot checks a standalone card's button (`domain.core.reply.CARD_TOKEN`) before acting on it.

    `current` gives the object's card token as it is now for the person ("" when it isn't theirs to act
    on); a button whose token differs is refused, and `where` shows the person where things stand.
    """

    current: Callable[[Services, Scope, int], Awaitable[str]]
    where: Callable[[Services, Scope, int], Awaitable[tuple[Reply, ...]]]


async def say(context: TurnContext, reply: Reply) -> None:
    """Render a neutral reply for this channel and send it (the outbox takes it if Teams will not in time)."""
    await context.send_activity(reply_activity(reply, context.activity.channel_id or ""))


class Queued(Protocol):
    """A service result that says whether it put messages in the outbox."""

    @property
    def queued(self) -> bool: ...  # read-only, so frozen result dataclasses qualify


R = TypeVar("R", bound=Queued)


async def say_outcome(
    context: TurnContext,
    services: Services,
    call: Callable[[], Awaitable[R]],
    word: Callable[[R], Reply],
    refusals: tuple[type[Exception], ...] = (),
) -> R | None:
    """Call one service, say its result in words (or its kind refusal); wake the dispatcher if it queued."""
    try:
        result = await call()
    except refusals as problem:
        await say(context, Reply(text=str(problem)))
        return None
    if result.queued:
        services.wake_dispatcher()
    await say(context, word(result))
    return result
