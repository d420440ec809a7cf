"""The home summary as a neutral reply: facts, the latest prompt, and buttons to the common commands."""

from __future__ import annotations

from domain.core.model import SMALL_GROUP_MIN
from domain.core.reply import Action, Fact, Reply, Section, listed, verbatim
from domain.home.model import CohortCount, HomeView
from domain.language.show import format_time

PARTNER_ACTIONS = (
    Action("Propose a meeting", data={"command": "meet"}),
    Action("Meetings", data={"command": "meetings"}),
    Action("Guide", data={"command": "guide"}),
    Action("Aims", data={"command": "aims"}),
    Action("Help", data={"command": "help"}),
)
FACILITATOR_ACTIONS = (
    Action("Participants", data={"command": "participants"}),
    Action("Health", data={"command": "health"}),
    Action("Broadcast", data={"command": "broadcast"}),
    Action("Polls", data={"command": "polls"}),
)
NEW_HERE = (
    "I support Parallel Learning Partnerships: pairs of colleagues learning from each other as equals. "
    "If you have a join code from the programme team, type **join** and the code in Messages."
)


def home_reply(view: HomeView) -> Reply:
    """The person's home: their partnership, what comes next, and (facilitators) the cohorts."""
    sections = (_cohorts(view.cohorts),) if view.is_facilitator else ()
    extra = FACILITATOR_ACTIONS if view.is_facilitator else ()
    if not view.enrolled:
        start = (Action("Join a cohort", data={"command": "join"}), Action("Help", data={"command": "help"}))
        return Reply(title="Welcome to the PLP Companion", text=NEW_HERE, sections=sections, actions=start + extra)
    cohort, partner = verbatim(view.cohort_name), verbatim(view.partner_name)
    if not partner:
        text = f"You're enrolled in {cohort}. The programme team will introduce you to your partner soon."
        actions = PARTNER_ACTIONS[2:] + extra
        return Reply(title="Your learning partnership", text=text, sections=sections, actions=actions)
    when = format_time(view.next_meeting, view.time_zone) if view.next_meeting else "None booked yet"
    facts = (
        Fact("Learning partner", partner),
        Fact("Partnership", "Paused" if view.paused else "Active"),
        Fact("Next meeting", when),
    )
    prompt = (Section("Your latest guide prompt", view.prompt),) if view.prompt else ()
    return Reply(
        title="Your learning partnership",
        text=f"{cohort}: you and {partner} learn from each other as equals.",
        facts=facts,
        sections=prompt + sections,
        actions=PARTNER_ACTIONS + extra,
    )


def _cohorts(cohorts: tuple[CohortCount, ...]) -> Section:
    if not cohorts:
        return Section("Cohorts", "No cohorts yet: type **create cohort** to start one.")
    hidden = f"fewer than {SMALL_GROUP_MIN}"
    rows = (
        (
            verbatim(c.name),
            f"{c.enrolled if c.enrolled is not None else hidden} enrolled, "
            f"{c.paired if c.paired is not None else hidden} in partnerships",
        )
        for c in cohorts
    )
    return Section("Cohorts", f"Counts under 5 are not shown.\n\n{listed(rows)}")
