"""What facilitators see about cohorts: rosters, a new cohort, quiet thresholds.

Programme group is shown here because facilitators match pairs with it; it is never
shown to partners and never logged.
"""

from __future__ import annotations

from domain.cohorts.model import MAX_QUIET_WEEKS, CohortError, Roster, Thresholds
from domain.core.model import GROUP_TITLES, Cohort, Participant
from domain.core.reply import Action, Fact, Reply, Section, listed, verbatim
from domain.language.show import counted, format_date


def participant_line(person: Participant, roster: Roster) -> tuple[str, str]:
    """'#12 Sam Patel', 'Senior leader · paired with Ade Okafor' (#12: Sam's number in the cohort): a `listed` row."""
    group = GROUP_TITLES.get(person.group.value, "") if person.group else "not finished enrolling"
    partner = roster.current_partner_of(person.id)
    status = f"paired with {verbatim(partner.name)}{_aims_note(roster, person.id)}" if partner else "not paired yet"
    unreachable = " · can't be reached" if person.unreachable_at else ""
    return f"{person.label} {verbatim(person.name)}".strip(), f"{group} · {status}{unreachable}"


def _aims_note(roster: Roster, participant_id: int) -> str:
    """Whether the pair agreed aims; never their content (that is only shown when both shared)."""
    for partnership in roster.current():
        if participant_id in (partnership.partner_a_id, partnership.partner_b_id):
            status = roster.aims.get(partnership.id)
            return " · aims agreed" if status and status.agreed else " · no shared aims yet"
    return ""


def shared_aims_sections(roster: Roster) -> tuple[Section, ...]:
    """Aims both partners chose to share with the programme team."""
    sections = []
    for partnership in roster.current():
        status = roster.aims.get(partnership.id)
        if status and status.aims:
            a, b = roster.by_id(partnership.partner_a_id), roster.by_id(partnership.partner_b_id)
            sections.append(
                Section(
                    heading=f"Aims shared by {verbatim(a.name) if a else '?'} and {verbatim(b.name) if b else '?'}",
                    text="\n".join(f"- {verbatim(aim)}" for aim in status.aims),
                )
            )
    return tuple(sections)


def no_cohorts() -> Reply:
    """Nothing to list yet."""
    return Reply(text="There are no cohorts yet. Type **create cohort** to set one up.")


def roster_reply(rosters: list[Roster]) -> Reply:
    """Participants per cohort, with join codes."""
    if not rosters:
        return no_cohorts()
    sections = tuple(
        Section(
            heading=f"{verbatim(r.cohort.name)} (join code {r.cohort.join_code}, "
            f"launch {format_date(r.cohort.start_date)})",
            text=listed(participant_line(p, r) for p in r.participants) or "Nobody has joined yet.",
        )
        for r in rosters
    ) + tuple(section for r in rosters for section in shared_aims_sections(r))
    return Reply(
        title="Participants",
        sections=sections,
        actions=(
            Action("Suggest pairs", data={"command": "suggest pairs"}),
            Action("Pair two people", data={"command": "pair"}),
        ),
    )


def cohort_created(cohort: Cohort) -> Reply:
    """The new cohort and the join code to share."""
    return Reply(
        title=f"Cohort created: {verbatim(cohort.name)}",
        text="Share the join code with participants. They type **join** and the code in a chat with me.",
        facts=(
            Fact("Join code", cohort.join_code),
            Fact("Launch", format_date(cohort.start_date)),
            Fact("Length", f"{cohort.length_months} months"),
        ),
    )


def cohort_refused(problem: CohortError) -> Reply:
    """Why the cohort was not created, and how to start again."""
    return Reply(text=f"{problem} Type **create cohort** to try again.")


def thresholds(outcome: Thresholds) -> Reply:
    """The thresholds now in force, or how to ask (with every cohort's current ones)."""
    if outcome.cohort is None:
        current = "\n".join(
            f"- {verbatim(c.name)} ({c.join_code}): quiet after {counted(c.quiet_weeks, 'week')}, inactive after "
            f"{counted(c.inactive_weeks, 'week')}"
            for c in outcome.cohorts
        )
        return Reply(
            text=(
                "Type **quiet weeks** with a cohort's join code and two numbers, e.g. "
                f"**quiet weeks K7TQ3M 4 8** (quiet, then inactive; at most "
                f"{MAX_QUIET_WEEKS} weeks).\n\n{current}"
            ).strip()
        )
    return Reply(
        text=(
            f"Done. In {verbatim(outcome.cohort.name)}, a pair without a meeting counts as quiet after "
            f"{counted(outcome.quiet_weeks, 'week')} and inactive after {counted(outcome.inactive_weeks, 'week')}."
        )
    )
