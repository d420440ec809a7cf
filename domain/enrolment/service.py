"""Enrolment use cases: open a draft from a join code, record consent, save, reopen the profile."""

from __future__ import annotations

from datetime import datetime

from domain.cohorts.rules import normalise_code
from domain.core.model import Group, Participant, ProfileAnswer
from domain.core.ports import Store
from domain.enrolment.model import DraftOpened, EnrolmentDraft, EnrolmentError
from domain.enrolment.rules import is_complete


async def open_draft(store: Store, typed_code: str, time_zone: str) -> DraftOpened:
    """Find the cohort a typed join code names and start an empty draft for it."""
    code = normalise_code(typed_code)
    async with store.transaction() as uow:
        cohort = await uow.cohorts.by_join_code(code)
    if cohort is None:
        return DraftOpened(code, None)
    draft = EnrolmentDraft(cohort.id, cohort.name, list(cohort.profile_questions), time_zone=time_zone)
    return DraftOpened(code, draft)


async def record_consent(store: Store, participant_id: int, accepted: bool, now: datetime) -> None:
    """Note the person's privacy decision (a refusal is the only thing kept when they decline)."""
    async with store.transaction() as uow:
        await uow.participants.record_consent(participant_id, accepted, now)


async def save_enrolment(store: Store, participant_id: int, draft: EnrolmentDraft, now: datetime) -> None:
    """Store the enrolment (or an edit of it) in one transaction."""
    if not is_complete(draft):
        raise EnrolmentError("Some answers are missing, so I couldn't save yet.")
    answers = [ProfileAnswer(q, a) for q, a in zip(draft.questions, draft.answers, strict=False)]
    async with store.transaction() as uow:
        await uow.participants.save_enrolment(
            participant_id,
            draft.cohort_id,
            Group(draft.group),
            answers,
            draft.rhythm,
            draft.format,
            draft.time_zone,
            now,
        )


async def profile_draft(store: Store, person: Participant) -> EnrolmentDraft:
    """An enrolled person's saved profile as a draft they can review and edit."""
    async with store.transaction() as uow:
        cohort = await uow.cohorts.get(person.cohort_id or 0)
        answers = await uow.participants.profile(person.id)
    assert cohort is not None  # enrolled participants always have a cohort
    return EnrolmentDraft(
        cohort.id,
        cohort.name,
        [a.question for a in answers],
        [a.answer for a in answers],
        person.group.value if person.group else "",
        person.meeting_rhythm,
        person.meeting_format,
        person.time_zone,
    )
