"""`help` that fits the person: a partner sees the few things that fit where they are, a
facilitator a grouped menu; everything is one tap away (`help all`)."""

from __future__ import annotations

from domain.core.reply import Action, Reply
from domain.core.wording import help_reply
from domain.home.model import HomeView

EVERYTHING = Action("Everything I can do", data={"command": "help all"})
FACILITATOR_GROUPS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    (
        "People & pairs",
        "people",
        (
            ("Participants", "participants"),
            ("Suggest pairs", "suggest pairs"),
            ("Pair two people", "pair"),
            ("End a partnership", "end partnership"),
            ("A partner is leaving", "partner leaving"),
        ),
    ),
    (
        "Programme health",
        "health",
        (
            ("Partnership health", "health"),
            ("Pause a partnership", "pause partnership"),
            ("Resume a partnership", "resume partnership"),
            ("When pairs count as quiet", "quiet weeks"),
        ),
    ),
    (
        "Messages & polls",
        "messages",
        (
            ("Send a broadcast", "broadcast"),
            ("Broadcast status", "broadcasts"),
            ("Create a quarterly check-in poll", "create poll"),
            ("Polls", "polls"),
        ),
    ),
    ("Group sessions", "sessions", (("Create a group session", "create session"), ("Group sessions", "sessions"))),
    (
        "Admin",
        "admin",
        (
            ("Create a cohort", "create cohort"),
            ("Add a facilitator", "add facilitator"),
            ("Remove a facilitator", "remove facilitator"),
            ("Audit trail", "audit"),
        ),
    ),
)
CANCEL_NOTE = "Type **cancel** to stop whatever we're doing."


def _buttons(pairs: tuple[tuple[str, str], ...]) -> tuple[Action, ...]:
    return tuple(Action(title, data={"command": command}) for title, command in pairs)


def partner_menu(view: HomeView) -> tuple[str, tuple[tuple[str, str], ...]]:
    """What fits this partner now: (a line on where they are, the 3-6 commands that fit)."""
    if not view.enrolled:
        return "You haven't joined a cohort yet.", (("Join a cohort", "join"), ("Support", "support"))
    if not view.partner_name:
        return "You're enrolled; the programme team will introduce you to your learning partner.", (
            ("My profile", "profile"),
            ("The guide", "guide"),
            ("Support", "support"),
        )
    if view.paused:
        return "Your partnership is paused.", (("Resume", "resume"), ("The guide", "guide"), ("Support", "support"))
    paired = (("Propose a meeting", "meet"), ("Our meetings", "meetings"), ("The guide", "guide"), ("Our aims", "aims"))
    if view.next_meeting is not None:
        return "You have a meeting booked.", (("Our meetings", "meetings"), ("We've met", "we met"), *paired[2:])
    return "", (*paired, ("Pause for a while", "pause"))


def help_for(view: HomeView, topic: str = "") -> Reply:
    """`help` (what fits now), `help all` (everything), `help <group>` (one facilitator group)."""
    topic = topic.strip().lower()
    if topic in ("all", "everything"):
        return help_reply(view.is_facilitator)
    if view.is_facilitator:
        group = next((g for g in FACILITATOR_GROUPS if topic in (g[1], g[0].lower())), None)
        if group is not None:
            return Reply(title=group[0], text="Choose one:", actions=(*_buttons(group[2]), EVERYTHING))
        return Reply(
            title="What would you like to do?",
            text="Choose an area, or tap **Everything I can do** for the full list. " + CANCEL_NOTE,
            actions=(
                *(Action(name, data={"command": f"help {key}"}) for name, key, _ in FACILITATOR_GROUPS),
                EVERYTHING,
            ),
        )
    where, pairs = partner_menu(view)
    text = f"{where}\n\nHere's what fits now. {CANCEL_NOTE}" if where else f"Here's what fits now. {CANCEL_NOTE}"
    return Reply(title="Here's what I can do", text=text, actions=(*_buttons(pairs), EVERYTHING))
