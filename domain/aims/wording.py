"""Mutual aims cards: the Reply each partner sees, worded identically for both.

People are always listed in partnership order, so both partners get the same card.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from domain.aims.model import PROGRESS, STAGES, AimRating, AimsView, Hopes, SharedAims, in_order
from domain.core.model import Participant
from domain.core.reply import Action, Fact, Reply, Section


def name(person: Participant) -> str:
    """How the companion names a person to their partner."""
    return person.name or "your learning partner"


def _numbered(aims: Sequence[str]) -> str:
    return "\n".join(f"{i}. {aim}" for i, aim in enumerate(aims, start=1))


def _long_date(moment: datetime) -> str:
    return f"{moment.day} {moment:%B %Y}"


def waiting_for_hopes(partner: Participant) -> Reply:
    """Told to whoever noted hopes first; reveals nothing about the partner."""
    return Reply(text=f"Thanks — I'll show you both once {name(partner)} has added theirs.")


def hopes_card(people: Sequence[Participant], hopes: Sequence[Hopes]) -> Reply:
    """'What you each hope for': the same card for both partners."""
    by_id = {h.participant_id: h for h in hopes}
    sections = tuple(
        Section(
            heading=p.name or "Learning partner",
            facts=(Fact("Hopes to learn", by_id[p.id].learn), Fact("Hopes to offer", by_id[p.id].offer)),
        )
        for p in people
        if p.id in by_id
    )
    return Reply(
        title="What you each hope for",
        text="You've both noted your hopes. When you're ready, agree two or three shared aims together.",
        sections=sections,
        actions=(Action("Propose shared aims", data={"command": "aims propose"}),),
    )


def proposal_card(proposal: SharedAims, proposer: Participant) -> Reply:
    """Suggested aims, sent to the partner who did not propose them."""
    return Reply(
        title="Suggested shared aims",
        text=(
            f"{name(proposer)} has suggested these shared aims for your partnership:\n\n"
            f"{_numbered(proposal.aims)}\n\nAccept them, or suggest changes if something doesn't fit."
        ),
        actions=(
            Action("Accept", data={"command": f"aims accept {proposal.id}"}),
            Action("Suggest changes", data={"command": f"aims edit {proposal.id}"}),
        ),
    )


def agreed_card(agreed: SharedAims) -> Reply:
    """'Your shared aims', with the date agreed: the same card for both partners."""
    facts = (Fact("Agreed on", _long_date(agreed.agreed_at)),) if agreed.agreed_at else ()
    return Reply(title="Your shared aims", text=_numbered(agreed.aims), facts=facts)


def ratings_card(stage: str, agreed: SharedAims, people: Sequence[Participant], ratings: Sequence[AimRating]) -> Reply:
    """How each partner sees progress on each aim: the same card for both partners."""
    by_id = {r.participant_id: r.ratings for r in ratings}

    def word(person: Participant, index: int) -> str:
        given = by_id.get(person.id, ())
        return PROGRESS[given[index] - 1] if index < len(given) else "Not rated"

    sections = tuple(
        Section(heading=aim, facts=tuple(Fact(p.name or "Learning partner", word(p, i)) for p in people))
        for i, aim in enumerate(agreed.aims)
    )
    return Reply(
        title=f"Your {STAGES[stage]}: how you each see progress",
        text="Different views are normal and worth talking through when you next meet.",
        sections=sections,
    )


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
        replies.append(replace(agreed_card(view.agreed), actions=menu))
    elif view.proposal is None:
        card = hopes_card(in_order(view.partnership, view.me, view.partner), view.hopes)
        replies.append(replace(card, actions=(*card.actions, mine)))
    if view.proposal is not None and view.proposal.proposed_by == view.me.id:
        replies.append(
            Reply(
                text=(
                    f"You suggested these shared aims; they're with {partner} to accept or "
                    f"suggest changes:\n\n{_numbered(view.proposal.aims)}"
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


def aims_prompt(current: Sequence[str], hint: str | None = None) -> Reply:
    """Ask for two or three aims, showing the version being changed and why we ask again."""
    ask = (
        f"Here's the current version:\n{_numbered(current)}\n\nWrite your version: two or three aims, one per line."
        if current
        else "What shared aims would you suggest? Write two or three, one per line."
    )
    return Reply(title="Shared aims", text=f"{hint} (Type **cancel** to stop.)\n\n{ask}" if hint else ask)


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
