"""What pairing says: the introduction both partners receive (identical for both), the
closing note, and the facilitators' suggestions and outcomes."""

from __future__ import annotations

from domain.cohorts.wording import no_cohorts
from domain.core.identity import chat_link as identity_chat_link
from domain.core.model import GROUP_TITLES, Cohort, Group, Participant, ProfileAnswer
from domain.core.reply import Action, Reply, Section, listed, question_sections, unmarked, verbatim
from domain.core.wording import name as name_of
from domain.pairing.model import CohortSuggestions, Suggestion

NEXT_STEPS = (
    "1. Say hello and find a first time to meet. Thirty minutes is plenty to start.\n"
    "2. Before you meet, think about what you are curious about, and what you might be assuming.\n"
    "3. I'll share the Guide for Learning Partners as you go. Type **help** at any time."
)


def chat_link(partner: Participant, viewer: Participant | None = None) -> str:
    """A deep link that opens a 1:1 chat with the partner ('' when we cannot build one)."""
    return identity_chat_link(partner, viewer)


def introduction(
    partner: Participant, partner_profile: list[ProfileAnswer], cohort: Cohort, viewer: Participant | None = None
) -> Reply:
    """The introduction to `partner`, sent to `viewer`. Never mentions anyone's group."""
    name = name_of(partner)
    link = chat_link(partner, viewer)
    actions = (Action(title=f"Chat with {unmarked(name)}", kind="open_url", url=link),) if link else ()
    welcome = (
        f"You and {name} are now learning partners in {verbatim(cohort.name)}. You're equals here: "
        "each of you brings experience the other can learn from."
    )
    words = f"\n\nIn {name}'s words:" if partner_profile else ""
    return Reply(
        title=f"Meet your learning partner: {name}",
        text=welcome + words,
        sections=(
            *question_sections((verbatim(a.question), verbatim(a.answer)) for a in partner_profile),
            Section(heading="What happens next", text=NEXT_STEPS),
        ),
        actions=(
            *actions,
            Action(title="Propose a first meeting", data={"command": "meet"}),
            Action(title="Help", data={"command": "help"}),
        ),
    )


def group_title(person: Participant) -> str:
    """The person's programme group as facilitators read it (only ever shown to facilitators)."""
    return GROUP_TITLES.get(person.group.value, "no group yet") if person.group else "no group yet"


def same_group(first: Participant, second: Participant) -> bool:
    """Whether both are on the same side (the programme pairs a senior leader with a BME colleague; someone
    in both groups fits either side)."""
    return first.group is not None and first.group == second.group and first.group is not Group.BOTH


def confirm_pair_text(first: Participant, second: Participant) -> str:
    """The facilitator's check before pairing: both names with their groups, and a warning when the groups
    are the same."""
    one, two = verbatim(first.name), verbatim(second.name)
    who = f"**{one}** ({group_title(first)}) and **{two}** ({group_title(second)})"
    if same_group(first, second):
        return (
            f"{one} and {two} are both in the {group_title(first)} group, but the programme pairs "
            f"people across groups. Pair {who} anyway? Both will get an introduction with the other's profile."
        )
    return f"Pair {who}? Both will get an introduction with the other's profile."


def partnership_closed() -> Reply:
    """The note both partners receive when their partnership ends (never says why)."""
    return Reply(
        title="Your learning partnership has closed",
        text=(
            "The programme team has closed your learning partnership. Thank you for the time "
            "and openness you brought to it. If you'd like to talk about what comes next, "
            "the programme team is happy to hear from you."
        ),
    )


def suggestions_reply(cohort: Cohort, suggestions: list[Suggestion]) -> Reply:
    """Suggested pairs with a button each: a starting point for the facilitators' decision."""
    if not suggestions:
        return Reply(text=f"I have no suggestions for {verbatim(cohort.name)}: there aren't enough unpaired people.")
    rows = (
        (f"{s.first.label} {verbatim(s.first.name)} + {s.second.label} {verbatim(s.second.name)}", s.reason)
        for s in suggestions
    )
    return Reply(
        title=f"Possible pairs in {verbatim(cohort.name)}",
        text=(
            "Only suggestions, from group and meeting preferences. "
            "You know people far better: pairing is your decision.\n\n" + listed(rows)
        ),
        actions=tuple(
            Action(
                f"Pair {s.first.name} and {s.second.name}",
                data={"command": f"pair {s.first.number} {s.second.number} {cohort.join_code}"},
            )
            for s in suggestions[:5]
        ),
    )


def suggestion_replies(found: list[CohortSuggestions]) -> list[Reply]:
    """One reply per cohort, or how to start when there are no cohorts."""
    if not found:
        return [no_cohorts()]
    return [suggestions_reply(c.cohort, c.suggestions) for c in found]


def which_cohort_for(first: int, second: int) -> str:
    """`pair 1 2` with several cohorts: numbers count within a cohort."""
    return f"Which cohort are #{first} and #{second} in? Numbers count from #1 in each cohort."


def nobody_to_pair() -> Reply:
    """No cohort has two people waiting for a partner."""
    return Reply(text="There aren't two enrolled, unpaired people in any cohort yet.")


def people_not_found() -> Reply:
    """A `pair` naming someone the companion doesn't know."""
    return Reply(text="I couldn't find both of those people. Type **participants** to see the list.")


def paired() -> Reply:
    """The pair is made; introductions are on their way."""
    return Reply(text="Paired. I'm sending both partners their introduction now.")


def no_current_partnerships() -> Reply:
    """Nothing to end."""
    return Reply(text="There are no current partnerships.")


def partnership_ended() -> Reply:
    """The partnership is closed and both partners were told."""
    return Reply(text="The partnership has ended and both partners have been told.")
