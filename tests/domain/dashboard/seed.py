"""A programme to look at on the dashboard, with numbers chosen so each suppression rule shows.

At NOW (Monday 1 March 2027, 10:00 UTC):
- "Spring 2027" (code SPRING27, from 2 November 2026): 24 enrolled. Pairs 1-10 active, pair 11
  paused, pair 12 ended (its two people wait for a new partner). People by status: 20 paired,
  2 paused, 2 waiting (the two small cells hidden). Pairs: 10 active, 1 paused, 1 ended.
  One person (in pair 3) is unreachable: "fewer than 5".
- Meetings held: Nov 5, Dec 2, Jan 8, Feb 11, Mar 1 (two small months hidden), 27 in all.
- Health: pairs 1-6 met in February (active), 7-8 last met 12 January (quiet), 9-10 never
  (inactive): active 6; quiet 2, inactive 2, paused 1, ended 1 all hidden.
- Guide: pairs 1-6 reached phase P2 ("Agreeing mutual aims"), pairs 7-11 phase P1: 6 and 5.
- Pair 1 agreed its aims. A closed quarterly check-in with 8 answers to "How many times have you
  met": "2" five times, "3" twice, "1" once (1 and 3 hidden, "2" shown: 5, 62%).
- "Autumn 2027" (code AUTUMN27): 3 enrolled, no pairs: every count "fewer than 5".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from domain.core.facilitators import FacilitatorDirectory
from domain.core.model import ConversationRef, Group
from domain.core.ports import Store
from domain.core.timing import WorkingHours
from domain.guide.content import load_guide
from domain.meetings.model import Meeting, MeetingFormat, MeetingStatus, Outcome
from domain.polls import service as polls
from domain.polls.content import load_poll_templates
from domain.polls.model import PollDraft
from domain.polls.outbox import Delivery

NOW = datetime(2027, 3, 1, 10, 0, tzinfo=UTC)
START = date(2026, 11, 2)
NAMES = (
    "Ayesha Khan", "Ben Okafor", "Carys Jones", "Dev Patel", "Efua Mensah", "Finn Walsh", "Grace Lee", "Hamid Rahimi",
    "Ines Silva", "Jack Brown", "Kemi Adeyemi", "Liam Murphy", "Maya Singh", "Noah Green", "Olu Bakare", "Priya Shah",
    "Quinn Hale", "Rosa Diaz", "Sam Taylor", "Tariq Aziz", "Uma Rao", "Victor Hugo", "Wen Li", "Yara Haddad",
)  # fmt: skip
AUTUMN_NAMES = ("Zoe Clark", "Adam Ward", "Bea Moss")
MET_MONTHS = {  # pair numbers (1-based) that met on each day
    datetime(2026, 11, 10, 14, tzinfo=UTC): range(1, 6),
    datetime(2026, 12, 8, 14, tzinfo=UTC): range(1, 3),
    datetime(2027, 1, 12, 14, tzinfo=UTC): range(1, 9),
    datetime(2027, 2, 2, 14, tzinfo=UTC): range(1, 6),
    datetime(2027, 2, 16, 14, tzinfo=UTC): range(1, 7),
    datetime(2027, 3, 1, 8, tzinfo=UTC): range(2, 3),
}
MET_ANSWERS = ("2", "2", "2", "2", "2", "3", "3", "1")


@dataclass(frozen=True)
class Seeded:
    spring: int
    autumn: int
    people: list[int]  # Spring's 24, in NAMES order
    pairs: list[int]  # pair 1 .. pair 12
    poll: int
    facilitator: int
    conversations: dict[int, str]  # participant id -> conversation id


async def seed_programme(
    store: Store, service_url: str = "https://smba.example/", facilitators: FacilitatorDirectory | None = None
) -> Seeded:
    guide = load_guide()
    conversations: dict[int, str] = {}
    async with store.transaction() as uow:
        spring = await uow.cohorts.create(
            "Spring 2027", "SPRING27", START, 12, ["a", "b", "c"], NOW - timedelta(days=150)
        )
        autumn = await uow.cohorts.create("Autumn 2027", "AUTUMN27", date(2027, 9, 6), 12, ["a"], NOW)
        people: list[int] = []
        for n, name in enumerate(NAMES + AUTUMN_NAMES):
            key = name.lower().replace(" ", "-")
            person = await uow.participants.upsert_identity("msteams", f"29:{key}", name, f"aad-{key}", NOW)
            cohort = spring.id if n < len(NAMES) else autumn.id
            group = (Group.SENIOR_LEADER, Group.BME_COLLEAGUE, Group.BOTH)[n % 3]
            await uow.participants.save_enrolment(person.id, cohort, group, [], "4w", "online", "Europe/London", NOW)
            conversation = f"a:seed-{key}"
            ref = ConversationRef(person.id, "msteams", service_url, conversation, f"29:{key}", "28:bot", "PLP")
            await uow.conversations.upsert(ref, NOW)
            conversations[person.id] = conversation
            if n < len(NAMES):
                people.append(person.id)
        facilitator = await uow.participants.upsert_identity("msteams", "29:seed-fran", "Fran Facilitator", "", NOW)
        began = datetime(2026, 11, 2, 9, tzinfo=UTC)
        pairs = [
            (await uow.partnerships.create(spring.id, people[2 * k], people[2 * k + 1], START, began)).id
            for k in range(12)
        ]
        await uow.partnerships.pause(pairs[10], None, "leave")
        await uow.partnerships.end(pairs[11], "ended", NOW - timedelta(days=20))
        await uow.participants.mark_unreachable(people[5], NOW - timedelta(days=3))
        number = 0
        for start, which in MET_MONTHS.items():
            for pair in which:
                number += 1
                meeting = Meeting(
                    0, pairs[pair - 1], people[2 * (pair - 1)], MeetingStatus.CONFIRMED, [start], start, 60,
                    MeetingFormat.TEAMS, uid=f"seed-{number}", outcome=Outcome.MET,
                )  # fmt: skip
                await uow.meetings.create(meeting, start - timedelta(days=7))
        phase_one, phase_two = guide.prompts_in("P1")[0].id, guide.prompts_in("P2")[0].id
        for k, pair in enumerate(pairs[:11]):
            await uow.guide.record(pair, [phase_one] + ([phase_two] if k < 6 else []), NOW - timedelta(days=30))
        proposal = await uow.aims.propose(pairs[0], people[0], ["Understand board decisions"], NOW - timedelta(days=60))
        await uow.aims.agree(proposal.id, NOW - timedelta(days=59))
    directory = facilitators or FacilitatorDirectory(frozenset({"29:seed-fran"}))
    template = load_poll_templates()["quarterly_checkin"]
    poll = await polls.create_poll(store, PollDraft(spring.id, template, True, NOW, facilitator.id), NOW)
    delivery = Delivery(directory, WorkingHours())
    for person_id, met in zip(people, MET_ANSWERS, strict=False):
        async with store.reading() as uow:
            person = await uow.participants.get(person_id)
        assert person is not None
        await polls.submit(store, poll.id, person, {"met": met, "protected": "4"}, NOW, delivery)
    await polls.close_poll(store, poll.id, NOW, delivery)
    return Seeded(spring.id, autumn.id, people, pairs, poll.id, facilitator.id, conversations)
