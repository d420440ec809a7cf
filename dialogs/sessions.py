"""Group check-in sessions: facilitators `create session`, see `sessions` and `cancel session <id>`;
invitees answer with the card buttons `session rsvp <id> yes|maybe|no`.

```mermaid
stateDiagram-v2
    [*] --> [*]: no cohort yet (said before any question)
    [*] --> Cohort: create session
    Cohort --> Title
    Title --> When: typed naturally, in the facilitator's zone
    When --> When: unreadable, past, or more than one time
    When --> Length
    Length --> Link
    Link --> Link: not an https link (or "none")
    Link --> Confirm: preview
    Confirm --> [*]: created; invitations queued for the cohort
    Confirm --> [*]: not now
```
`sessions`, `cancel session <id>` and `session rsvp …` are one-reply handlers.
"""

from __future__ import annotations

from datetime import datetime

from botbuilder.core import TurnContext
from botbuilder.dialogs import Dialog, DialogTurnResult, WaterfallDialog, WaterfallStepContext

from dialogs.ask import ASK, YES, ask_choice, ask_text, ask_times, choices
from dialogs.commands import Command
from dialogs.common import CardKind, Scope, Services, say, say_outcome, scope
from dialogs.health import hours
from domain.cohorts.service import list_cohorts
from domain.core.reply import Choice, Fact, Input, Reply, verbatim
from domain.language.show import format_time
from domain.sessions import service as sessions
from domain.sessions.model import SessionDraft
from domain.sessions.rules import MAX_TITLE, SessionError, parse_link
from domain.sessions.wording import (
    CARD,
    answered_reply,
    cancelled_notice,
    cancelled_reply,
    created_reply,
    minutes_words,
    session_token,
    sessions_reply,
)

CREATE, WHEN, LINK = "sessions.create", "sessions.when", "sessions.link"
LENGTHS = choices(
    [("30", "30 minutes"), ("45", "45 minutes"), ("60", "1 hour"), ("90", "1 hour 30"), ("120", "2 hours")]
)
REFUSALS = (SessionError,)  # said kindly instead of a reply


def build(services: Services) -> list[Dialog]:
    """The create-session dialog and its two re-asking questions."""
    flow = _Create(services)
    return [
        WaterfallDialog(
            CREATE, [flow.cohort, flow.title, flow.when, flow.length, flow.link, flow.confirm, flow.create]
        ),
        WaterfallDialog(WHEN, [flow.ask_when, flow.one_time]),
        WaterfallDialog(LINK, [flow.ask_link, flow.check_link]),
    ]


class _Create:
    def __init__(self, services: Services) -> None:
        self.services = services

    async def cohort(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Which cohort is invited (asked only when there is more than one)."""
        cohorts = await list_cohorts(self.services.store)
        if not cohorts:
            await say(step.context, Reply(text="There's no cohort yet. Type **create cohort** first."))
            return await step.end_dialog()
        step.values["cohorts"] = {str(c.id): c.name for c in cohorts}  # to name it in the preview
        if len(cohorts) == 1:
            return await step.next(str(cohorts[0].id))
        return await step.begin_dialog(
            ASK,
            ask_choice(
                Reply(
                    text="Which cohort is this session for? Everyone enrolled in it will be invited.",
                    choices=tuple(Choice(str(c.id), c.name) for c in cohorts),
                )
            ),
        )

    async def title(self, step: WaterfallStepContext) -> DialogTurnResult:
        """The session's title."""
        step.values["cohort"] = step.result
        return await step.begin_dialog(
            ASK, ask_text(Reply(text="What's the session called? (e.g. Spring group session)"), MAX_TITLE)
        )

    async def when(self, step: WaterfallStepContext) -> DialogTurnResult:
        """When it starts (one time, in the facilitator's zone)."""
        step.values["title"] = step.result
        return await step.begin_dialog(WHEN)

    async def ask_when(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Ask for the start time; invitees each see it in their own zone."""
        zone = scope(step.context).participant.time_zone
        reply = Reply(
            text=f"When does it start? e.g. **next Tuesday 2pm** (your time zone, {zone}).",
            inputs=(Input("date", "Date", "date"), Input("time", "Time", "time")),
        )
        return await step.begin_dialog(ASK, ask_times(reply, zone))

    async def one_time(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Exactly one start time, or ask again."""
        if len(step.result) != 1:
            await say(step.context, Reply(text="A session has one start time. Please give just one."))
            return await step.replace_dialog(WHEN)
        return await step.end_dialog(step.result[0])

    async def length(self, step: WaterfallStepContext) -> DialogTurnResult:
        """How long it lasts."""
        step.values["starts_at"] = step.result
        return await step.begin_dialog(ASK, ask_choice(Reply(text="How long is it?", choices=LENGTHS)))

    async def link(self, step: WaterfallStepContext) -> DialogTurnResult:
        """The meeting link (optional)."""
        step.values["minutes"] = int(step.result)
        return await step.begin_dialog(LINK)

    async def ask_link(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Ask for an https meeting link, or none; after a bad one, the one message says what to fix."""
        text = (step.options or {}).get("problem") or "Paste the meeting link, or type **none**."
        return await step.begin_dialog(ASK, ask_text(Reply(text=text), 500))

    async def check_link(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Keep a valid link, or explain and ask again."""
        try:
            return await step.end_dialog(parse_link(str(step.result)))
        except SessionError as problem:
            return await step.replace_dialog(LINK, {"problem": str(problem)})

    async def confirm(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Preview, then send the invitations."""
        step.values["link"] = step.result
        v, zone = step.values, scope(step.context).participant.time_zone
        facts = (
            Fact("Cohort", verbatim(v["cohorts"][v["cohort"]])),
            Fact("When", format_time(datetime.fromisoformat(v["starts_at"]), zone)),
            Fact("Length", minutes_words(v["minutes"])),
            Fact("Link", verbatim(v["link"]) or "none"),
        )
        return await step.begin_dialog(
            ASK,
            ask_choice(
                Reply(
                    title=verbatim(v["title"]),
                    text="Invite everyone enrolled in the cohort? Each person sees the time in their own time zone.",
                    facts=facts,
                    choices=choices([(YES, "Send invitations"), ("no", "Not now")]),
                )
            ),
        )

    async def create(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Create the session and queue the invitations."""
        if step.result != YES:
            await say(step.context, Reply(text="OK, no session created."))
            return await step.end_dialog()
        v = step.values
        draft = SessionDraft(
            int(v["cohort"]), v["title"], datetime.fromisoformat(v["starts_at"]), v["minutes"], v["link"]
        )
        await say_outcome(
            step.context,
            self.services,
            lambda: sessions.create_session(
                self.services.store,
                draft,
                scope(step.context).participant.id,
                self.services.clock.now(),
                hours(self.services),
            ),
            created_reply,
            REFUSALS,
        )
        return await step.end_dialog()


async def show_sessions(context: TurnContext, services: Services, _args: str) -> None:
    """Upcoming and past sessions with yes / maybe / no / no-answer counts."""
    rows = await sessions.list_sessions(services.store)
    await say(context, sessions_reply(rows, services.clock.now(), scope(context).participant.time_zone))


async def cancel_session(context: TurnContext, services: Services, args: str) -> None:
    """`cancel session <id>`: invitees are told and pending reminders withdrawn."""
    word = args.strip().lstrip("#")
    if not word.isdigit():
        await say(context, Reply(text="Type **cancel session** and the session's number; **sessions** lists them."))
        return
    await say_outcome(
        context,
        services,
        lambda: sessions.cancel_session(services.store, int(word), services.clock.now(), hours(services)),
        cancelled_reply,
        REFUSALS,
    )


async def rsvp_button(context: TurnContext, services: Services, args: str) -> None:
    """`session rsvp <id> yes|maybe|no` from the invitation or a reminder."""
    words = args.lower().split()
    session_id = int(words[0]) if words and words[0].isdigit() else 0
    answer = words[1] if len(words) > 1 else ""
    await say_outcome(
        context,
        services,
        lambda: sessions.rsvp(services.store, scope(context).participant.id, session_id, answer, services.clock.now()),
        answered_reply,
        REFUSALS,
    )


async def _session_now(services: Services, me: Scope, session_id: int) -> str:
    session = await sessions.invited_to(services.store, me.participant.id, session_id)
    return session_token(session) if session is not None else ""


async def _where_session_stands(services: Services, me: Scope, session_id: int) -> tuple[Reply, ...]:
    """An invitation out of date: the session was cancelled (or was never this person's to answer)."""
    session = await sessions.invited_to(services.store, me.participant.id, session_id)
    if session is None:
        return (Reply(text="I can't find an invitation to that session for you."),)
    return (cancelled_notice(session, me.participant.time_zone),)


CARDS = {CARD: CardKind(_session_now, _where_session_stands)}
COMMANDS = (
    Command(
        "create session",
        ("create session", "new session", "create a session", "schedule session"),
        dialog_id=CREATE,
        facilitators_only=True,
    ),
    Command(
        "sessions", ("sessions", "group sessions", "check-in sessions"), handler=show_sessions, facilitators_only=True
    ),
    Command("cancel session", ("cancel session", "cancel a session"), handler=cancel_session, facilitators_only=True),
    Command("session rsvp", ("session rsvp",), handler=rsvp_button),
)
