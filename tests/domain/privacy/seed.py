"""One person's data in every capability, through the services people use, each piece marked with
a distinctive word so a scan of the whole database can tell whether any of it survived erasure.

Zephyrine Quillfeather (enrolled, paired with Sam) writes in every place the companion keeps
words: profile answers, hopes, shared aims, a meeting agenda and place, a private reflection,
a named poll's free text; she answers an anonymous poll, saves a guide prompt, answers a
check-in and an RSVP; Sam's intro card, meeting card and aims card copy her words; Sam is
mid-conversation with her name in his dialog state; facilitators have an alert naming her.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from domain.aims import service as aims
from domain.core.clock import FixedClock
from domain.core.facilitators import FacilitatorDirectory
from domain.core.identity import Identity, register
from domain.core.jobs import JobContext
from domain.core.model import ConversationRef
from domain.core.timing import WorkingHours
from domain.enrolment import service as enrolment
from domain.enrolment.model import EnrolmentDraft
from domain.guide.content import load_guide
from domain.health import service as health
from domain.health.nudging import flag_unreachable
from domain.meetings import log as meeting_log
from domain.meetings import service as meetings
from domain.meetings.model import MeetingFormat
from domain.pairing import service as pairing
from domain.polls import service as polls
from domain.polls.content import load_poll_templates
from domain.polls.model import PollDraft
from domain.polls.outbox import Delivery
from domain.sessions import service as sessions
from domain.sessions.model import SessionDraft
from storage.sql_storage import SqlStorage
from storage.store import SqlStore

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
GUIDE = load_guide()
FAC_USER = "fac-user"
FACILITATORS = FacilitatorDirectory(frozenset({FAC_USER}))
NAME = "Zephyrine Quillfeather"
EMAIL = "zephyrine.quillfeather@nhs.test"
# What she writes, place by place: none may survive her erasure, anywhere.
WRITTEN = {
    "profile": "I grew up beside the Quokkaburn estuary",
    "learn": "how Marrowvale teams decide",
    "offer": "my Tindlewick rota know-how",
    "aim": "Map the Brackenmoor referral path",
    "agenda": "Talk through the Wrenfold audit",
    "place": "Glimmerbank cafe, level 2",
    "note": "Felt heard about the Oxtersley move",
    "poll": "The Pelliwinkle sessions helped most",
}
ANONYMOUS = "Anonymous Fennimore comment"  # her anonymous poll answer: it stays (it names nobody)


@dataclass
class Seeded:
    zephyrine: int
    sam: int
    facilitator: int
    partnership: int
    cohort: int


async def seed(engine: AsyncEngine) -> Seeded:
    """Everything above, as the services store it."""
    store = SqlStore(engine)
    async with store.transaction() as uow:
        cohort = await uow.cohorts.create("Spring", "SPRING", date(2027, 3, 1), 12, ["What drives you?"], NOW)
    zeph = await _person(store, "zeph", NAME)
    sam = await _person(store, "sam", "Sam Okafor")
    fran = await _person(store, FAC_USER, "Fran Facilitator")
    async with store.transaction() as uow:
        await uow.participants.set_email(zeph, EMAIL)
    for person, answer in ((zeph, WRITTEN["profile"]), (sam, "Sam's own answer")):
        await enrolment.record_consent(store, person, True, NOW)
        draft = EnrolmentDraft(cohort.id, "Spring", ["What drives you?"], [answer], "bme_colleague", "4w", "online")
        await enrolment.save_enrolment(store, person, draft, NOW)
    partnership = await pairing.pair(store, zeph, sam, NOW)
    await _partnership_words(store, zeph, sam)
    await _programme(store, cohort.id, zeph, fran)
    await SqlStorage(engine, FixedClock(NOW)).write(
        {
            "msteams/conversations/a:zeph": {"DialogState": {"stack": ["erase"], "name": NAME}},
            "msteams/conversations/a:sam": {"DialogState": {"draft": f"Reply to {NAME} about the Wrenfold audit"}},
            "msteams/conversations/a:other": {"DialogState": {"draft": "Nothing about anyone"}},
        }
    )
    return Seeded(zeph, sam, fran, partnership.id, cohort.id)


async def _person(store: SqlStore, key: str, name: str) -> int:
    ref = ConversationRef(0, "msteams", "https://smba.test/", f"a:{key}", f"29:{key}", "28:bot")
    return (
        await register(
            store, Identity("msteams", key if key == FAC_USER else f"29:{key}", name, f"aad-{key}"), ref, NOW
        )
    ).id


async def _partnership_words(store: SqlStore, zeph: int, sam: int) -> None:
    await aims.save_hopes(store, zeph, WRITTEN["learn"], WRITTEN["offer"], NOW)
    await aims.save_hopes(store, sam, "Sam hopes to learn", "Sam offers", NOW)
    await aims.propose_aims(store, zeph, [WRITTEN["aim"], "A second shared aim"], NOW)
    start = NOW + timedelta(days=2, hours=5)
    proposed = await meetings.propose(
        store, zeph, [start], 45, MeetingFormat.IN_PERSON, WRITTEN["place"], WRITTEN["agenda"], 0, NOW
    )
    await meeting_log.add_note(store, zeph, proposed.meeting.id, WRITTEN["note"], NOW)
    await health.save_checkin(store, zeph, "fine", FACILITATORS, NOW)
    async with store.transaction() as uow:
        await uow.health.record_nudge((await uow.partnerships.current_for(zeph)).id, zeph, 1, NOW)  # type: ignore[union-attr]
        await uow.guide.save(zeph, "P0-1", NOW)


async def _programme(store: SqlStore, cohort: int, zeph: int, fran: int) -> None:
    delivery = Delivery(FACILITATORS, WorkingHours())
    templates = load_poll_templates()
    named = await polls.create_poll(store, PollDraft(cohort, templates["quarterly_checkin"], False, NOW, fran), NOW)
    anonymous = await polls.create_poll(store, PollDraft(cohort, templates["quarterly_checkin"], True, NOW, fran), NOW)
    async with store.transaction() as uow:
        me = await uow.participants.get(zeph)
    assert me is not None
    await polls.submit(store, named.id, me, {"met": "2", "comments": WRITTEN["poll"]}, NOW, delivery)
    await polls.submit(store, anonymous.id, me, {"met": "1", "comments": ANONYMOUS}, NOW, delivery)
    created = await sessions.create_session(
        store, SessionDraft(cohort, "Spring check-in", NOW + timedelta(days=7), 60), fran, NOW
    )
    await sessions.rsvp(store, zeph, created.session_id, "yes", NOW)
    async with store.transaction() as uow:  # Teams refused a message: facilitators hear about her, by name
        await uow.participants.mark_unreachable(zeph, NOW)
        await flag_unreachable(uow, JobContext(store, FixedClock(NOW), GUIDE, facilitators=FACILITATORS), NOW)
