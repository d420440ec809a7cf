"""Mutual aims in words: the `aims` overview, the questions the dialog asks, and each
service result as the Reply its person sees (the shared cards live in domain.aims.cards).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from domain.aims.cards import agreed_card, hopes_card, numbered, proposal_card, ratings_card
from domain.aims.model import (
    PROGRESS,
    STAGES,
    AimsAgreed,
    AimsProposed,
    AimsView,
    HopesSaved,
    ProgressRated,
    SharingChosen,
)
from domain.aims.rules import in_order
from domain.core.model import Participant
from domain.core.reply import Action, Choice, Input, Reply, verbatim
from domain.core.wording import name

RATING_CHOICES = tuple(Choice(str(i), title) for i, title in enumerate(PROGRESS, start=1))  # stored as 1..4


def waiting_for_hopes(partner: Participant) -> Reply:
    """Told to whoever noted hopes first; reveals nothing about the partner."""
    return Reply(text=f"Thanks — I'll show you both once {name(partner)} has added theirs.")


def overview(view: AimsView, open_stage: str | None = None) -> list[Reply]:
    """What `aims` shows: where the pair is, plus what this person can do next."""
    partner, mine = name(view.partner), Action("Change my hopes", data={"command": "aims hopes"})
    if view.hopes_of(view.partner.id) is None:
        return [
            Reply(text=f"You've noted your hopes. I'll show you both once {partner} has added theirs.", actions=(mine,))
        ]
    replies: list[Reply] = []
    if view.agreed is not None:
        rate = (Action("Rate progress", data={"command": f"aims rate {open_stage}"}),) if open_stage else ()
        share = (
            ()
            if view.me.id in view.agreed.shared_with_team
            else (Action("Share with the programme team", data={"command": "aims share"}),)
        )
        menu = (*rate, Action("Change our aims", data={"command": "aims propose"}), *share, mine)
        replies.append(replace(agreed_card(view.agreed, view.me.time_zone), actions=menu))
    elif view.proposal is None:
        card = hopes_card(in_order(view.partnership, view.me, view.partner), view.hopes)
        replies.append(replace(card, actions=(*card.actions, mine)))
    if view.proposal is not None and view.proposal.proposed_by == view.me.id:
        replies.append(
            Reply(
                text=(
                    f"You suggested these shared aims; they're with {partner} to accept or "
                    f"suggest changes:\n\n{numbered(view.proposal.aims)}"
                ),
                actions=(Action("Suggest different aims", data={"command": "aims propose"}),),
            )
        )
    elif view.proposal is not None:
        replies.append(proposal_card(view.proposal, view.partner))
    return replies


def hopes_prompt(partner: Participant) -> Reply:
    """The first hopes question, saying the partner sees them only once both have written."""
    intro = f"Your hopes stay private until you and {name(partner)} have both added yours; then you'll both see both."
    return Reply(title="Your hopes", text=f"{intro}\n\nWhat do you hope to learn?")


def offer_prompt() -> Reply:
    """The second hopes question."""
    return Reply(text="What do you hope to offer?")


ONE_PER_LINE = "one per line (or on one line, separated by **;**)"


def aims_prompt(current: Sequence[str], hint: str | None = None) -> Reply:
    """Ask for two or three aims, showing the version being changed and why we ask again."""
    ask = (
        f"Here's the current version:\n{numbered(current)}\n\nWrite your version: two or three aims, {ONE_PER_LINE}."
        if current
        else f"What shared aims would you suggest? Write two or three, {ONE_PER_LINE}."
    )
    text = f"{hint} (Type **cancel** to stop.)\n\n{ask}" if hint else ask
    # A box that keeps line breaks: where Enter sends the message, the chat box can't.
    return Reply(title="Shared aims", text=text, inputs=(Input("answer", "Your aims, one per line", "multiline"),))


def share_question(partner: Participant) -> str:
    """Asked before recording the choice to share the agreed aims with the programme team."""
    return (
        f"Share your shared aims with the programme team? They'll see them only if {name(partner)} "
        "chooses to share too. Your hopes and progress ratings always stay private."
    )


def rating_intro(stage: str) -> Reply:
    """Said once before the rating questions at a review stage."""
    return Reply(
        text=(
            f"Let's look at your {STAGES[stage]}. For each shared aim, how's "
            "it going? Only you see your answers until you've both rated."
        )
    )


def rating_question(aims: Sequence[str], done: int) -> Reply:
    """How one agreed aim is going, counting through the aims in order."""
    return Reply(text=f"Aim {done + 1} of {len(aims)}: **{verbatim(aims[done])}**", choices=RATING_CHOICES)


# --- service results ---------------------------------------------------------------------


def hopes_saved(result: HopesSaved) -> Reply:
    """Thanks while the partner's hopes are still to come; the card both now see once they're in."""
    if not result.hopes:
        return waiting_for_hopes(result.partner)
    return hopes_card(result.people, result.hopes)


def aims_proposed(result: AimsProposed) -> Reply:
    """Confirms the suggested aims went to the partner."""
    return Reply(
        text=(
            f"Thanks, I've sent your suggested aims to {name(result.partner)}. They can accept them or suggest changes."
        )
    )


def aims_agreed(result: AimsAgreed) -> Reply:
    """'Your shared aims': the same card the partner gets."""
    return agreed_card(result.agreed, result.time_zone)


def progress_rated(result: ProgressRated) -> Reply:
    """Thanks while the partner is still to rate; both views side by side once they have."""
    if not result.ratings:
        return Reply(text=f"Thank you. I'll share both once {name(result.partner)} has rated too.")
    return ratings_card(result.stage, result.agreed, result.people, result.ratings)


def sharing_chosen(result: SharingChosen) -> Reply:
    """What the programme team can now see of the shared aims."""
    if result.both_shared:
        return Reply(text="Thank you. You've both chosen to share, so the programme team can now see your shared aims.")
    return Reply(
        text=(
            f"Thank you. The programme team will see your shared aims only if {name(result.partner)} "
            "chooses to share too; until then they only see that you've agreed aims."
        )
    )
