"""What the poll tests share: a cohort of enrolled people, a facilitator, the built-in templates."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

from domain.core.clock import FixedClock
from domain.core.facilitators import FacilitatorDirectory
from domain.core.jobs import JobContext, JobSettings
from domain.core.model import Group, OutboxMessage
from domain.core.timing import WorkingHours
from domain.guide.content import load_guide
from domain.polls import service as polls
from domain.polls.content import load_poll_templates
from domain.polls.model import Outcome, Poll, PollDraft, PollTemplate
from domain.polls.outbox import Delivery
from storage.store import SqlStore

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)  # a Monday, 9am in London
HOURS = WorkingHours()
TEMPLATES = load_poll_templates()
CHECKIN = TEMPLATES["quarterly_checkin"]
SURVEY = TEMPLATES["evaluation_survey"]
FACILITATOR_ID = "fac-user"
FACILITATORS = FacilitatorDirectory(frozenset({FACILITATOR_ID}))
DELIVERY = Delivery(FACILITATORS, HOURS)
GUIDE = load_guide()


@dataclass
class Cohort:
    """A cohort's id, its enrolled people and a facilitator (configured by user id)."""

    id: int
    people: list[int]
    facilitator: int


async def make_cohort(store: SqlStore, size: int = 6, code: str = "SPRING") -> Cohort:
    """`size` enrolled people in London plus a facilitator outside the cohort."""
    async with store.transaction() as uow:
        cohort = await uow.cohorts.create("Spring 2027", code, date(2027, 3, 1), 12, ["a", "b", "c"], NOW)
        people = []
        for n in range(size):
            person = await uow.participants.upsert_identity("test", f"u{n}-{code}", f"Person {n}", "", NOW)
            await uow.participants.save_enrolment(
                person.id, cohort.id, Group.BOTH, [], "monthly", "online", "Europe/London", NOW
            )
            people.append(person.id)
        facilitator = await uow.participants.upsert_identity("test", FACILITATOR_ID, "Fran Facilitator", "", NOW)
    return Cohort(cohort.id, people, facilitator.id)


async def make_poll(
    store: SqlStore, cohort: Cohort, template: PollTemplate = CHECKIN, anonymous: bool = True, opens_at: datetime = NOW
) -> Poll:
    """A poll created by the facilitator."""
    return await polls.create_poll(
        store, PollDraft(cohort.id, template, anonymous, opens_at, cohort.facilitator), min(opens_at, NOW)
    )


def jobs(store: SqlStore) -> JobContext:
    """The context the scheduler passes to `run_due`, with the facilitator configured by user id."""
    return JobContext(store, FixedClock(NOW), GUIDE, JobSettings(HOURS), facilitators=FACILITATORS)


async def answer(store: SqlStore, poll: Poll, person_id: int, answers: dict, now: datetime = NOW) -> Outcome:
    """Submit answers as this person (already validated answers)."""
    async with store.transaction() as uow:
        person = await uow.participants.get(person_id)
    assert person is not None
    return await polls.submit(store, poll.id, person, answers, now, DELIVERY)


async def messages(store: SqlStore, person_id: int, kind: str | None = None) -> list[OutboxMessage]:
    """The person's outbox rows (optionally of one kind), in insertion order."""
    async with store.transaction() as uow:
        rows = await uow.outbox.list_for(person_id)
    return [r for r in rows if kind is None or r.kind == kind]


def named(template: PollTemplate) -> PollTemplate:
    """The template as a named poll would use it (the flag only sets the default)."""
    return replace(template, anonymous=False)
