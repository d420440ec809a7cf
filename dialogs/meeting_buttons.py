"""Meeting card buttons (`meeting accept|decline|answer …`) and `meetings`: one reply each,
no dialog state. Shared with dialogs/meetings.py: `run` says a service's result in words, or
turns a refusal into a kind message; `CARDS` checks a meeting card's token before its button acts
(an answered, replaced or cancelled meeting's card is out of date: the person sees their meetings)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from botbuilder.core import TurnContext

from dialogs.common import CardKind, Scope, Services, say, say_outcome, scope
from domain.core.reply import Reply
from domain.language.recognize import AnswerError
from domain.meetings import service as meetings
from domain.meetings.cards import CARD
from domain.meetings.model import Answer
from domain.meetings.wording import meeting_reply, meetings_card

Call = Callable[[], Awaitable[meetings.MeetingResult]]


def number(args: str, position: int = 0) -> int | None:
    """The whole number at word `position` of `args`, or None when there is none."""
    words = args.split()
    return int(words[position]) if len(words) > position and words[position].isdigit() else None


async def meeting_button(context: TurnContext, services: Services, args: str) -> None:
    """`meeting accept|decline|answer …` from card buttons: one reply each."""
    word, *rest = args.split() or [""]
    me = scope(context).participant.id
    now = services.clock.now()
    meeting_id = int(rest[0]) if rest and rest[0].isdigit() else 0
    calls = {
        "accept": lambda: meetings.accept(
            services.store,
            me,
            meeting_id,
            number(" ".join(rest), 1) or 0,
            services.links,
            now,
            services.meeting_reminders,
        ),
        "decline": lambda: meetings.decline(services.store, me, meeting_id, now),
        "answer": lambda: meetings.answer(services.store, me, meeting_id, _answer(rest), now),
    }
    if word not in calls:
        await say(context, Reply(text="Type **meetings** to see your meetings, or **meet** to propose one."))
        return
    await run(context, services, calls[word])


async def run(context: TurnContext, services: Services, call: Call, retry: str = "") -> None:
    """Call one meeting service and say its result, or its kind refusal; wake the dispatcher if it queued."""
    try:
        await say_outcome(context, services, call, meeting_reply)
    except AnswerError as problem:
        # Why: a refusal that already names what to type next needs no second hint.
        await say(context, Reply(text=str(problem) if "**" in str(problem) else f"{problem}{retry}"))


def _answer(rest: list[str]) -> Answer:
    try:
        return Answer(rest[1])
    except (IndexError, ValueError) as exc:
        raise AnswerError("Please use one of the buttons on the card.") from exc


async def show_meetings(context: TurnContext, services: Services, _args: str) -> None:
    """Upcoming and past meetings for the pair, in this person's time zone."""
    found = await meetings.overview(services.store, scope(context).participant.id, services.clock.now())
    await say(context, meetings_card(found))


async def _meeting_now(services: Services, me: Scope, meeting_id: int) -> str:
    return await meetings.card_token_now(services.store, me.participant.id, meeting_id)


async def _meetings_now(services: Services, me: Scope, _meeting_id: int) -> tuple[Reply, ...]:
    """Where things stand for a meeting card out of date: the person's meetings as they are now."""
    return (meetings_card(await meetings.overview(services.store, me.participant.id, services.clock.now())),)


CARDS = {CARD: CardKind(_meeting_now, _meetings_now)}
