"""`erase me` for people the main seed does not cover, on SQLite and PostgreSQL: someone on Slack
(`<workspace>:<user>` ids, a DM conversation) and a facilitator named in FACILITATORS (a pin holding
their email, tenant and Entra object id). After erasure no column of any table holds them, save a
revoked pin's entry: FACILITATORS' own value, kept so that entry never names anyone else."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from domain.core.clock import FixedClock
from domain.core.facilitators import FacilitatorDirectory
from domain.core.identity import Identity, arrive, recognise, record_email, register
from domain.core.model import ConversationRef
from domain.enrolment import service as enrolment
from domain.enrolment.model import EnrolmentDraft
from domain.privacy import service as privacy
from storage.sql_storage import SqlStorage
from storage.store import SqlStore
from tests.domain.privacy.seed import GUIDE, NOW
from tests.domain.privacy.test_erase import every_value, holding

LATER = NOW + timedelta(hours=1)
HOME = "00000000-0000-4000-8000-0000000000a1"
WORKSPACE, SLACK_USER, DM = "T0QUILLWS", "U0ZEPHYRQ", "D0ZEPHYRDM"
FRAN_EMAIL, FRAN_AAD = "fenella.brightwater@trust.nhs.uk", "0f0e0d0c-aaaa-4bbb-8ccc-0123456789ab"
BY_EMAIL = FacilitatorDirectory(frozenset({FRAN_EMAIL}), (HOME,), user_ids=False)


async def _slack_person(store: SqlStore, engine: AsyncEngine) -> int:
    """Zephyrine on Slack, enrolled, with a half-finished conversation in her DM."""
    async with store.transaction() as uow:
        cohort = await uow.cohorts.create("Spring", "SPRING", NOW.date(), 12, ["What drives you?"], NOW)
    person_key = f"{WORKSPACE}:{SLACK_USER}"
    ref = ConversationRef(0, "slack", "https://slack.com/api/", DM, person_key, "B0BOT", "PLP", WORKSPACE)
    identity = Identity("slack", person_key, "Zephyrine Quillfeather", "", WORKSPACE)
    me = (await arrive(store, identity, ref, NOW, None)).person.id
    await record_email(store, me, "zephyrine@slack.test")
    await enrolment.record_consent(store, me, True, NOW)
    answers = ["The Quokkaburn ferry"]
    draft = EnrolmentDraft(cohort.id, "Spring", ["What drives you?"], answers, "bme_colleague", "4w", "online")
    await enrolment.save_enrolment(store, me, draft, NOW)
    await SqlStorage(engine, FixedClock(NOW)).write({f"slack/conversations/{DM}": {"DialogState": {"stack": ["x"]}}})
    return me


async def test_a_slack_person_is_erased_ids_conversation_and_all(engine: AsyncEngine) -> None:
    store = SqlStore(engine)
    me = await _slack_person(store, engine)
    needles = [WORKSPACE, SLACK_USER, DM, "Zephyrine", "zephyrine@slack.test", "Quokkaburn"]
    assert {table for table, _, _ in holding(await every_value(engine), needles)} >= {
        "participants",
        "conversation_refs",
        "bot_state",
        "profile_answers",
    }
    await privacy.erase_participant(store, me, GUIDE, LATER)
    assert holding(await every_value(engine), needles) == []
    async with store.reading() as uow:
        her = await uow.participants.get(me)
    assert her is not None and (her.channel_id, her.user_id, her.tenant_id) == ("slack", f"erased:{me}", "")


async def _pinned_facilitator(store: SqlStore) -> int:
    """Fenella, named in FACILITATORS by email, pinned in the home tenant when Teams told her email."""
    ref = ConversationRef(0, "msteams", "https://smba.test/", "a:fenella", "29:fenella", "28:bot", tenant_id=HOME)
    person = await register(store, Identity("msteams", "29:fenella", "Fenella Brightwater", FRAN_AAD, HOME), ref, NOW)
    await record_email(store, person.id, FRAN_EMAIL, BY_EMAIL, NOW)
    assert await recognise(store, BY_EMAIL, person.id, NOW)
    return person.id


async def test_a_pinned_facilitator_sees_the_pin_in_their_data(engine: AsyncEngine) -> None:
    store = SqlStore(engine)
    fenella = await _pinned_facilitator(store)
    exported = await privacy.my_data(store, fenella, NOW)
    assert exported is not None
    (pin,) = exported.sections["Your facilitator role"]["FACILITATORS entries"]
    assert pin == {"named by": FRAN_EMAIL, "since": NOW.isoformat(), "ended": ""}
    assert exported.sections["You and your enrolment"]["organisation (Teams tenant or Slack workspace)"] == HOME


async def test_erasing_a_pinned_facilitator_revokes_the_pin_and_clears_their_ids(engine: AsyncEngine) -> None:
    store = SqlStore(engine)
    fenella = await _pinned_facilitator(store)
    needles = [FRAN_EMAIL, FRAN_AAD, "Fenella", "Brightwater", "29:fenella", "a:fenella", HOME]
    assert "facilitator_pins" in {table for table, _, _ in holding(await every_value(engine), needles)}
    await privacy.erase_participant(store, fenella, GUIDE, LATER)
    left = holding(await every_value(engine), needles)
    assert {(table, column) for table, column, _ in left} == {("facilitator_pins", "entry")}  # revoked: nothing else
    async with store.reading() as uow:
        (pin,) = await uow.facilitator_pins.held_by(fenella)
        assert await BY_EMAIL.ids(uow) == []  # the entry names nobody now
        audit = [e.action for e in await uow.audit.about(fenella)]
    assert (pin.revoked_at, pin.tenant_id, pin.aad_object_id) == (LATER, "", "")
    assert audit == ["grant_facilitator", "erase_participant"]


async def test_after_erasure_the_entry_never_names_someone_new(engine: AsyncEngine) -> None:
    """The same email on a new account (a mailbox given to someone else) does not make them a facilitator."""
    store = SqlStore(engine)
    fenella = await _pinned_facilitator(store)
    await privacy.erase_participant(store, fenella, GUIDE, LATER)
    identity = Identity("msteams", "29:newcomer", "Newcomer", "aad-newcomer", HOME)
    newcomer = await register(store, identity, None, LATER)
    await record_email(store, newcomer.id, FRAN_EMAIL, BY_EMAIL, LATER)
    assert not await recognise(store, BY_EMAIL, newcomer.id, LATER)
