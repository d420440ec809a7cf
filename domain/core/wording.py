"""Fixed wording the companion uses in many places: greeting, help, consent, refusals.

Tone (PRODUCT.md): warm, brief, specific, optional. Partners are equals.
"""

from __future__ import annotations

from domain.core.model import Participant
from domain.core.reply import Action, Reply, verbatim

PARTNER_COMMANDS = (
    ("Join a cohort", "join"),
    ("My profile", "profile"),
    ("The guide", "guide"),
    ("Our aims", "aims"),
    ("Support", "support"),
    ("Propose a meeting", "meet"),
    ("Our meetings", "meetings"),
    ("We've met", "we met"),
    ("Pause for a while", "pause"),
    ("Resume", "resume"),
    ("My data", "my data"),
    ("Erase my data", "erase me"),
)
FACILITATOR_COMMANDS = (
    ("Create a cohort", "create cohort"),
    ("Participants", "participants"),
    ("Partnership health", "health"),
    ("Suggest pairs", "suggest pairs"),
    ("Pair two people", "pair"),
    ("End a partnership", "end partnership"),
    ("Pause a partnership", "pause partnership"),
    ("Resume a partnership", "resume partnership"),
    ("A partner is leaving", "partner leaving"),
    ("When pairs count as quiet", "quiet weeks"),
    ("Send a broadcast", "broadcast"),
    ("Broadcast status", "broadcasts"),
    ("Create a poll", "create poll"),
    ("Polls", "polls"),
    ("Create a group session", "create session"),
    ("Group sessions", "sessions"),
    ("Add a facilitator", "add facilitator"),
    ("Remove a facilitator", "remove facilitator"),
    ("Audit trail", "audit"),
    ("The dashboard", "dashboard"),
)

MAX_BUTTONS = 5

PRIVACY_NOTICE = (
    "Before we start, a short privacy note.\n\n"
    "- I keep your name, your answers to the profile questions, your programme group and your "
    "meeting preferences so the programme team can pair you and I can support your partnership.\n"
    "- Your group is only ever seen by the programme's facilitators. Your partner sees your name "
    "and your profile answers, nothing else.\n"
    "- You can see everything I keep (type **my data**), change it, or delete it (type **erase me**) "
    "at any time.\n"
    "- I'm not a reporting channel. If something worrying happens, I can point you to people "
    "who can help.\n\n"
    "Are you happy to go ahead?"
)


def greeting() -> Reply:
    """First message after someone installs the companion."""
    return Reply(
        title="Hello, I'm the PLP Companion",
        text=(
            "I support Parallel Learning Partnerships: pairs of colleagues learning from each other "
            "as equals over 12 to 15 months. If you have a join code from the programme team, "
            "choose **Join a cohort** or type **join** followed by the code."
        ),
        actions=(
            *tuple(Action(title=t, data={"command": c}) for t, c in PARTNER_COMMANDS[:2]),
            Action(title="Help", data={"command": "help"}),
        ),
    )


def help_reply(is_facilitator: bool) -> Reply:
    """What this person can do, as buttons (and typed commands where cards are missing)."""
    commands = PARTNER_COMMANDS + (FACILITATOR_COMMANDS if is_facilitator else ())
    lines = [f"- **{c}**" + ("" if t.lower() == c else f": {t.lower()}") for t, c in commands]
    return Reply(
        title="Here's what I can do",
        text="Choose a button or type one of these:\n\n"
        + "\n".join(lines)
        + "\n\nType **cancel** to stop whatever we're doing.",
        # Teams shows about six buttons; the text lists everything.
        actions=tuple(
            Action(title=t, data={"command": c})
            for t, c in (FACILITATOR_COMMANDS if is_facilitator else PARTNER_COMMANDS)[:MAX_BUTTONS]
        ),
    )


def not_understood(is_facilitator: bool) -> Reply:
    """A kind reply to input the companion cannot place; never silence."""
    return Reply(
        title="Sorry, I didn't catch that",
        text="Tap **Help** to see what fits now, or type **help all** for everything I can do.",
        actions=(
            Action(title="Help", data={"command": "help"}),
            Action(title="Everything", data={"command": "help all"}),
        ),
    )


OUT_OF_DATE = "That card is out of date, so I haven't acted on it. Here is where things stand"


def card_out_of_date(waiting: bool) -> Reply:
    """A button on an older card: it no longer answers anything, so nothing was done."""
    where = "here's the question I'm waiting on now:" if waiting else "nothing is waiting for an answer now."
    return Reply(text=f"{OUT_OF_DATE}: {where}")


def card_overtaken(where: str = "") -> Reply:
    """A button on a card whose subject has changed since (answered, replaced, cancelled, closed): nothing was
    done; `where` says where things stand, or the replies that follow show it."""
    return Reply(text=f"{OUT_OF_DATE}: {where}" if where else f"{OUT_OF_DATE}:")


def facilitators_only() -> Reply:
    """Polite refusal for facilitator commands."""
    return Reply(
        text=(
            "That's something the programme's facilitators do, so I can't do it for you. "
            "If you think you should have access, please ask the programme team."
        )
    )


def facilitator_welcome() -> Reply:
    """The note someone receives when granted the facilitator role."""
    welcome = help_reply(is_facilitator=True)
    return Reply(title="You're now a PLP Companion facilitator", text=welcome.text, actions=welcome.actions)


def facilitator_granted() -> Reply:
    """The role is granted and the new facilitator has been told."""
    return Reply(text="Done. They're a facilitator now, and I've let them know.")


def facilitator_role_ended() -> Reply:
    """The note someone receives when another facilitator removes their role."""
    return Reply(
        title="Your facilitator role has ended",
        text=(
            "Another facilitator has removed your PLP Companion facilitator role, so the facilitator "
            "commands are no longer available to you. Everything else works as before. "
            "Thank you for all you've done for the programme."
        ),
    )


def confirm_removal(name: str, themselves: bool) -> str:
    """The question before a role is removed; removing your own role says what you give up."""
    if themselves:
        return (
            "That's you. Once your own facilitator role is removed you won't see programme groups or use "
            "facilitator commands, and another facilitator would need to add you back. Remove it?"
        )
    return (
        f"Remove the facilitator role from **{name}**? They can carry on using the companion, and I'll let them know."
    )


def facilitator_removed(themselves: bool, configured: bool) -> Reply:
    """The role is removed (and whether a FACILITATORS entry named them)."""
    text = (
        "Done. You're no longer a facilitator. Thank you for looking after the programme."
        if themselves
        else "Done. They're no longer a facilitator, and I've let them know."
    )
    if configured:
        who, them = ("You were", "you") if themselves else ("They were", "them")
        text += (
            f" {who} also named in the FACILITATORS setting; that entry no longer counts for {them}, "
            "so you may like to ask whoever runs the companion to take it off the list."
        )
    return Reply(text=text)


def nobody_to_promote() -> Reply:
    """Only people who have chatted with the companion can be made facilitators."""
    return Reply(text="Nobody else has started a chat with me yet. Ask them to install the companion, then try again.")


def cancelled() -> Reply:
    """`cancel` stopped whatever was in progress."""
    return Reply(text="OK, I've stopped. Nothing else was changed. Type **help** to see what I can do.")


def group_chat_redirect() -> Reply:
    """In team channels the companion keeps personal details out of view."""
    return Reply(
        text=(
            "Hello! I work best in a one-to-one chat, so personal details stay private. "
            "Open a chat with me and type **help**."
        )
    )


def name(person: Participant) -> str:
    """How the companion names a person to their partner (as typed: never formatting or a link)."""
    return verbatim(person.name) or "your learning partner"
