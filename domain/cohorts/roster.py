"""What facilitators see: cohorts, participants and partnerships (facilitators only).

Programme group is shown here because facilitators match pairs with it; it is never
shown to partners and never logged.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from domain.aims.model import AimsStatus
from domain.core.model import Cohort, Participant, Partnership, PartnershipStatus
from domain.core.ports import Store
from domain.core.reply import Action, Fact, Reply, Section
from domain.enrolment.service import GROUP_TITLES
from domain.pairing.service import Suggestion


@dataclass(frozen=True)
class Roster:
    """A snapshot of one cohort."""

    cohort: Cohort
    participants: list[Participant]
    partnerships: list[Partnership]
    aims: dict[int, AimsStatus] = field(default_factory=dict)

    def current_partner_of(self, participant_id: int) -> Participant | None:
        """The person's partner in a current (active or paused) partnership."""
        for p in self.partnerships:
            if p.status != PartnershipStatus.ENDED and participant_id in (p.partner_a_id, p.partner_b_id):
                return self.by_id(p.other(participant_id))
        return None

    def by_id(self, participant_id: int) -> Participant | None:
        return next((p for p in self.participants if p.id == participant_id), None)

    def unpaired(self) -> list[Participant]:
        """Enrolled people without a current partner."""
        return [p for p in self.participants if p.is_enrolled and self.current_partner_of(p.id) is None]

    def current(self) -> list[Partnership]:
        return [p for p in self.partnerships if p.status != PartnershipStatus.ENDED]


def participant_line(person: Participant, roster: Roster) -> Fact:
    """'#12 Sam Patel' -> 'Senior leader · paired with Ade Okafor'."""
    group = GROUP_TITLES.get(person.group.value, "") if person.group else "not finished enrolling"
    partner = roster.current_partner_of(person.id)
    status = f"paired with {partner.name}{_aims_note(roster, person.id)}" if partner else "not paired yet"
    unreachable = " · can't be reached" if person.unreachable_at else ""
    return Fact(f"#{person.id} {person.name}", f"{group} · {status}{unreachable}")


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
                    heading=f"Aims shared by {a.name if a else '?'} and {b.name if b else '?'}",
                    text="\n".join(f"- {aim}" for aim in status.aims),
                )
            )
    return tuple(sections)


def roster_reply(rosters: list[Roster]) -> Reply:
    """Participants per cohort, with join codes."""
    if not rosters:
        return Reply(text="There are no cohorts yet. Type **create cohort** to set one up.")
    sections = tuple(
        Section(
            heading=f"{r.cohort.name} (join code {r.cohort.join_code}, launch {r.cohort.start_date.isoformat()})",
            text="" if r.participants else "Nobody has joined yet.",
            facts=tuple(participant_line(p, r) for p in r.participants),
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


def suggestions_reply(cohort: Cohort, suggestions: list[Suggestion]) -> Reply:
    """Suggested pairs with a button each: a starting point for the facilitators' decision."""
    if not suggestions:
        return Reply(text=f"I have no suggestions for {cohort.name}: there aren't enough unpaired people.")
    return Reply(
        title=f"Possible pairs in {cohort.name}",
        text=(
            "Only suggestions, from group and meeting preferences. "
            "You know people far better: pairing is your decision."
        ),
        facts=tuple(
            Fact(f"#{s.first.id} {s.first.name} + #{s.second.id} {s.second.name}", s.reason) for s in suggestions
        ),
        actions=tuple(
            Action(f"Pair {s.first.name} and {s.second.name}", data={"command": f"pair {s.first.id} {s.second.id}"})
            for s in suggestions[:5]
        ),
    )


async def load_rosters(store: Store) -> list[Roster]:
    """Every cohort with its participants and partnerships, oldest cohort first."""
    async with store.transaction() as uow:
        rosters = []
        for cohort in await uow.cohorts.list_all():
            partnerships = await uow.partnerships.list_for_cohort(cohort.id)
            aims = {p.id: await uow.aims.aims_status(p.id) for p in partnerships if p.status != PartnershipStatus.ENDED}
            rosters.append(Roster(cohort, await uow.participants.list_in_cohort(cohort.id), partnerships, aims))
        return rosters
