"""The person themselves: who they are to the companion, their enrolment and matching profile."""

from __future__ import annotations

from datetime import datetime

from domain.core.model import GROUP_TITLES
from domain.core.personal import FORMER_NAME, Exported, when
from domain.core.ports import UnitOfWork


class EnrolmentData:
    """The participant record and profile answers (word for word)."""

    section = "You and your enrolment"
    tables = ("participants", "profile_answers")

    async def export(self, uow: UnitOfWork, participant_id: int) -> Exported:
        person = await uow.participants.get(participant_id)
        if person is None:
            return {}
        cohort = await uow.cohorts.get(person.cohort_id) if person.cohort_id is not None else None
        return {
            "name": person.name,
            "email": person.email,
            "organisation (Teams tenant or Slack workspace)": person.tenant_id,
            "role": person.role.value,
            "cohort": cohort.name if cohort is not None else "",
            "programme group": GROUP_TITLES.get(person.group.value, "") if person.group is not None else "",
            "consent given": when(person.consent_at),
            "consent declined": when(person.consent_declined_at),
            "enrolled": when(person.enrolled_at),
            "meeting rhythm": person.meeting_rhythm,
            "meeting format": person.meeting_format,
            "time zone": person.time_zone,
            "profile answers": [
                {"question": a.question, "answer": a.answer} for a in await uow.participants.profile(participant_id)
            ],
        }

    async def traces(self, uow: UnitOfWork, participant_id: int) -> list[str]:
        person = await uow.participants.get(participant_id)
        if person is None:
            return []
        answers = [a.answer for a in await uow.participants.profile(participant_id)]
        return [person.name, person.email, *answers]

    async def erase(self, uow: UnitOfWork, participant_id: int, now: datetime) -> None:
        await uow.participants.erase(participant_id, FORMER_NAME, now)

    async def purge_before(self, uow: UnitOfWork, cutoff: datetime) -> int:
        """Nothing by date: people themselves are erased when their cohort's retention ends."""
        return 0
