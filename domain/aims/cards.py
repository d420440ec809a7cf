"""The mutual-aims cards: hopes, suggested aims, agreed aims, progress side by side, and the
scheduled invitations. Most also reach the partner through the outbox, so each is plain data.

People are always listed in partnership order, so both partners get the same card.
"""

from __future__ import annotations

from collections.abc import Sequence

from domain.aims.model import PROGRESS, STAGES, AimRating, Hopes, SharedAims
from domain.core.model import Participant
from domain.core.reply import Action, Fact, Reply, Section, card_token, listed, stamped, verbatim
from domain.core.timing import FALLBACK_TIME_ZONE
from domain.core.wording import name
from domain.language.show import format_day_of

CARD = "aims"  # the card token kind of suggested aims: "aims:<proposal id>:<status>"
ALREADY_DONE = "If you've already done this, thank you: there's nothing more to do."


def numbered(aims: Sequence[str]) -> str:
    """The aims as a numbered list, one per line."""
    return "\n".join(f"{i}. {verbatim(aim)}" for i, aim in enumerate(aims, start=1))


def hopes_card(people: Sequence[Participant], hopes: Sequence[Hopes]) -> Reply:
    """'What you each hope for': the same card for both partners."""
    by_id = {h.participant_id: h for h in hopes}
    sections = tuple(
        Section(
            heading=verbatim(p.name) or "Learning partner",
            facts=(
                Fact("Hopes to learn", verbatim(by_id[p.id].learn)),
                Fact("Hopes to offer", verbatim(by_id[p.id].offer)),
            ),
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


def proposal_token(proposal: SharedAims) -> str:
    """The card token of suggested aims as they stand (proposed, agreed or superseded)."""
    return card_token(CARD, proposal.id, proposal.status)


def proposal_card(proposal: SharedAims, proposer: Participant) -> Reply:
    """Suggested aims, sent to the partner who did not propose them; its buttons are out of date once the
    suggestion is agreed or replaced."""
    token = proposal_token(proposal)
    return Reply(
        title="Suggested shared aims",
        text=(
            f"{name(proposer)} has suggested these shared aims for your partnership:\n\n"
            f"{numbered(proposal.aims)}\n\nAccept them, or suggest changes if something doesn't fit."
        ),
        actions=(
            Action("Accept", data=stamped(f"aims accept {proposal.id}", token)),
            Action("Suggest changes", data=stamped(f"aims edit {proposal.id}", token)),
        ),
    )


def agreed_card(agreed: SharedAims, time_zone: str = FALLBACK_TIME_ZONE) -> Reply:
    """'Your shared aims', with the date agreed (in the reader's zone): the same card for both partners."""
    facts = (Fact("Agreed on", format_day_of(agreed.agreed_at, time_zone)),) if agreed.agreed_at else ()
    return Reply(title="Your shared aims", text=numbered(agreed.aims), facts=facts)


def ratings_card(stage: str, agreed: SharedAims, people: Sequence[Participant], ratings: Sequence[AimRating]) -> Reply:
    """How each partner sees progress on each aim: the same card for both partners."""
    by_id = {r.participant_id: r.ratings for r in ratings}

    def word(person: Participant, index: int) -> str:
        given = by_id.get(person.id, ())
        return PROGRESS[given[index] - 1] if index < len(given) else "Not rated"

    sections = tuple(
        Section(
            heading=verbatim(aim),
            text=listed((verbatim(p.name) or "Learning partner", word(p, i)) for p in people),
        )
        for i, aim in enumerate(agreed.aims)
    )
    return Reply(
        title=f"Your {STAGES[stage]}: how you each see progress",
        text="Different views are normal and worth talking through when you next meet.",
        sections=sections,
    )


def invitation(stage: str) -> Reply:
    """The scheduled invitation for one stage: warm, brief and optional, the same for both partners."""
    if stage == "start":
        return Reply(
            title="What do you each hope for?",
            text=(
                "If it helps, take two minutes to note privately what you hope to learn and what you "
                "hope to offer. You'll both see both once you've each added yours. " + ALREADY_DONE
            ),
            actions=(Action("Add my hopes", data={"command": "aims"}),),
        )
    when = "You're about halfway through" if stage == "mid" else "Your partnership is nearing its end"
    return Reply(
        title="How are your shared aims going?",
        text=(
            f"{when}. If it helps, rate progress on each of your shared aims: just for you at first, "
            f"and you'll both see both once you've each rated. {ALREADY_DONE}"
        ),
        actions=(
            Action("Rate progress", data={"command": f"aims rate {stage}"}),
            Action("See our aims", data={"command": "aims"}),
        ),
    )
