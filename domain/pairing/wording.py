"""The introduction both partners receive when paired: identical wording for both."""

from __future__ import annotations

from urllib.parse import quote

from domain.core.model import Cohort, Participant, ProfileAnswer
from domain.core.reply import Action, Fact, Reply, Section

NEXT_STEPS = (
    "1. Say hello and find a first time to meet. Thirty minutes is plenty to start.\n"
    "2. Before you meet, think about what you are curious about, and what you might be assuming.\n"
    "3. I'll share the Guide for Learning Partners as you go. Type **help** at any time."
)


def chat_link(partner: Participant) -> str:
    """A Teams deep link that opens a 1:1 chat with the partner ('' when we cannot build one)."""
    if partner.email:
        return f"https://teams.microsoft.com/l/chat/0/0?users={quote(partner.email)}"
    if partner.aad_object_id:
        return f"https://teams.microsoft.com/l/chat/0/0?users={quote('8:orgid:' + partner.aad_object_id)}"
    return ""


def introduction(partner: Participant, partner_profile: list[ProfileAnswer], cohort: Cohort) -> Reply:
    """The introduction to `partner`, sent to the other person. Never mentions anyone's group."""
    name = partner.name or "your learning partner"
    link = chat_link(partner)
    actions = (Action(title=f"Chat with {name}", kind="open_url", url=link),) if link else ()
    return Reply(
        title=f"Meet your learning partner: {name}",
        text=(
            f"You and {name} are now learning partners in {cohort.name}. You're equals here: "
            "each of you brings experience the other can learn from."
        ),
        sections=(
            Section(heading=f"In {name}'s words", facts=tuple(Fact(a.question, a.answer) for a in partner_profile)),
            Section(heading="What happens next", text=NEXT_STEPS),
        ),
        actions=(
            *actions,
            Action(title="Propose a first meeting", data={"command": "meet"}),
            Action(title="Help", data={"command": "help"}),
        ),
    )
