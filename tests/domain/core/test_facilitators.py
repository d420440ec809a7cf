"""Who facilitates, on the real store: FACILITATORS entries pinned to one person in the home tenant,
roles granted in chat, and the tenant allow-list."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.core.facilitators import FacilitatorDirectory
from domain.core.identity import Identity, arrive, pin_configured, recognise, record_email, register
from domain.core.model import Participant
from domain.core.pins import FacilitatorPin
from domain.core.roles import grant_facilitator
from storage.store import SqlStore

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(days=1)
HOME = "00000000-0000-4000-8000-0000000000a1"
PARTNER_ORG = "11111111-2222-4333-8444-555555555555"
FRAN_EMAIL = "fran@trust.nhs.uk"
BY_EMAIL = FacilitatorDirectory(frozenset({FRAN_EMAIL}), (HOME, PARTNER_ORG), user_ids=False)


@pytest.fixture
def store(engine: AsyncEngine) -> SqlStore:
    return SqlStore(engine)


async def _person(store: SqlStore, key: str, tenant: str = HOME, email: str = "") -> Participant:
    person = await register(store, Identity("msteams", f"29:{key}", key.title(), f"aad-{key}", tenant), None, NOW)
    if email:
        await record_email(store, person.id, email)
        person.email = email
    return person


async def _is(store: SqlStore, directory: FacilitatorDirectory, person: Participant) -> bool:
    async with store.reading() as uow:
        fresh = await uow.participants.get(person.id)
        assert fresh is not None
        return await directory.is_facilitator(uow, fresh)


async def _pins(store: SqlStore) -> list[FacilitatorPin]:
    async with store.reading() as uow:
        return await uow.facilitator_pins.pins({FRAN_EMAIL, "aad-fran", "29:fran"})


async def test_an_email_is_pinned_to_the_person_it_first_names_in_the_home_tenant(store: SqlStore) -> None:
    fran = await _person(store, "fran", email="Fran@Trust.nhs.uk")
    assert await recognise(store, BY_EMAIL, fran.id, NOW) is True
    (pin,) = await _pins(store)
    assert (pin.entry, pin.participant_id, pin.tenant_id, pin.aad_object_id, pin.pinned_at, pin.revoked_at) == (
        FRAN_EMAIL,
        fran.id,
        HOME,
        "aad-fran",
        NOW,
        None,
    )
    async with store.reading() as uow:
        (entry,) = await uow.audit.recent(5)
    assert (entry.actor_id, entry.action, entry.subject_id) == (None, "grant_facilitator", fran.id)
    assert await recognise(store, BY_EMAIL, fran.id, LATER) is True
    async with store.reading() as uow:
        assert len(await uow.audit.recent(5)) == 1  # pinned once, audited once


async def test_the_same_email_in_another_tenant_never_names_a_facilitator(store: SqlStore) -> None:
    copycat = await _person(store, "copycat", tenant=PARTNER_ORG, email=FRAN_EMAIL)
    assert await recognise(store, BY_EMAIL, copycat.id, NOW) is False
    assert await _pins(store) == []
    fran = await _person(store, "fran", email=FRAN_EMAIL)
    assert await recognise(store, BY_EMAIL, fran.id, NOW) is True
    async with store.reading() as uow:
        assert await BY_EMAIL.ids(uow) == [fran.id]


async def test_once_pinned_an_email_taken_by_someone_else_grants_them_nothing(store: SqlStore) -> None:
    fran = await _person(store, "fran", email=FRAN_EMAIL)
    assert await recognise(store, BY_EMAIL, fran.id, NOW)
    await record_email(store, fran.id, "fran.new@trust.nhs.uk")  # Fran's address changes: the pin holds
    later = await _person(store, "later", email=FRAN_EMAIL)
    assert await recognise(store, BY_EMAIL, later.id, LATER) is False
    assert await _is(store, BY_EMAIL, fran) is True
    async with store.reading() as uow:
        assert await BY_EMAIL.ids(uow) == [fran.id]


async def test_without_an_allow_list_the_first_tenant_an_entry_names_someone_in_wins(store: SqlStore) -> None:
    anywhere = FacilitatorDirectory(frozenset({FRAN_EMAIL}))
    fran = await _person(store, "fran", email=FRAN_EMAIL)
    assert await recognise(store, anywhere, fran.id, NOW)
    copycat = await _person(store, "copycat", tenant=PARTNER_ORG, email=FRAN_EMAIL)
    assert await recognise(store, anywhere, copycat.id, NOW) is False


async def test_a_pin_made_elsewhere_counts_only_in_the_home_tenant(store: SqlStore) -> None:
    fran = await _person(store, "fran", tenant=PARTNER_ORG, email=FRAN_EMAIL)
    assert await recognise(store, FacilitatorDirectory(frozenset({FRAN_EMAIL})), fran.id, NOW)
    assert await _is(store, BY_EMAIL, fran) is False  # the allow-list now names another home tenant


async def test_a_role_granted_in_chat_counts_only_in_an_allowed_tenant(store: SqlStore) -> None:
    ola = await _person(store, "ola", tenant="99999999-8888-4777-8666-555555555555")
    sam = await _person(store, "sam", tenant=PARTNER_ORG)
    for person in (ola, sam):
        await grant_facilitator(store, person.id, NOW)
    assert await _is(store, BY_EMAIL, ola) is False
    assert await _is(store, BY_EMAIL, sam) is True
    async with store.reading() as uow:
        assert await BY_EMAIL.ids(uow) == [sam.id]


async def test_chat_user_ids_name_people_in_development_only(store: SqlStore) -> None:
    fran = await _person(store, "fran")
    production = FacilitatorDirectory(frozenset({"29:fran"}), (HOME,), user_ids=False)
    assert await recognise(store, production, fran.id, NOW) is False
    development = FacilitatorDirectory(frozenset({"29:fran"}), (HOME,), user_ids=True)
    assert await recognise(store, development, fran.id, NOW) is True


async def test_an_entry_not_pinned_yet_resolves_in_reads_as_the_next_pin_will(store: SqlStore) -> None:
    fran = await _person(store, "fran", email=FRAN_EMAIL)  # stored without the directory: no pin yet
    await _person(store, "copycat", tenant=PARTNER_ORG, email=FRAN_EMAIL)
    assert await _pins(store) == []
    async with store.reading() as uow:  # a read-only transaction: nothing is written
        assert await BY_EMAIL.ids(uow) == [fran.id]
    assert await _pins(store) == []


async def test_the_email_teams_tells_pins_the_entry_at_once(store: SqlStore) -> None:
    fran = await _person(store, "fran")
    await record_email(store, fran.id, FRAN_EMAIL, BY_EMAIL, NOW)
    assert [pin.participant_id for pin in await _pins(store)] == [fran.id]


async def test_arrive_registers_and_recognises_in_one_go(store: SqlStore) -> None:
    directory = FacilitatorDirectory(frozenset({"aad-fran"}), (HOME,), user_ids=False)
    fran = await arrive(store, Identity("msteams", "29:fran", "Fran", "aad-fran", HOME), None, NOW, directory)
    sam = await arrive(store, Identity("msteams", "29:sam", "Sam", "aad-sam", HOME), None, NOW, directory)
    assert (fran.is_facilitator, sam.is_facilitator) == (True, False)
    assert fran.person.tenant_id == HOME


async def test_a_known_person_first_named_by_facilitators_is_pinned_on_arrival(store: SqlStore) -> None:
    directory = FacilitatorDirectory(frozenset({"aad-fran"}), (HOME,), user_ids=False)
    fran = Identity("msteams", "29:fran", "Fran", "aad-fran", HOME)
    await register(store, fran, None, NOW)  # known before FACILITATORS named her: nothing about her changes
    assert (await arrive(store, fran, None, LATER, directory)).is_facilitator
    assert [pin.entry for pin in await _pins(store)] == ["aad-fran"]  # pinned by the arrival itself
    assert (await arrive(store, fran, None, LATER, directory)).is_facilitator  # and held by that pin after


async def test_the_first_tenant_is_kept(store: SqlStore) -> None:
    first = await register(store, Identity("msteams", "29:fran", "Fran", "aad-fran", HOME), None, NOW)
    again = await register(store, Identity("msteams", "29:fran", "Fran", "aad-fran", PARTNER_ORG), None, LATER)
    blank = await register(store, Identity("msteams", "29:fran", "Fran", "aad-fran", ""), None, LATER)
    assert (first.id, first.tenant_id) == (again.id, HOME) and blank.tenant_id == HOME
    late = await register(store, Identity("msteams", "29:late", "Late", "aad-late", ""), None, NOW)
    filled = await register(store, Identity("msteams", "29:late", "Late", "aad-late", HOME), None, LATER)
    assert (late.tenant_id, filled.tenant_id) == ("", HOME)


async def test_start_up_pins_every_entry_that_names_someone_known(store: SqlStore) -> None:
    fran = await _person(store, "fran", email=FRAN_EMAIL)
    directory = FacilitatorDirectory(frozenset({FRAN_EMAIL, "aad-sam", "nobody@trust.nhs.uk"}), (HOME,), False)
    sam = await _person(store, "sam")
    assert await pin_configured(store, directory, NOW) == 2
    async with store.reading() as uow:
        pins = await uow.facilitator_pins.pins(directory.configured)
    assert {(p.entry, p.participant_id) for p in pins} == {(FRAN_EMAIL, fran.id), ("aad-sam", sam.id)}
    assert await pin_configured(store, directory, LATER) == 0


async def test_a_second_pin_of_the_same_entry_changes_nothing(store: SqlStore) -> None:
    fran, sam = await _person(store, "fran"), await _person(store, "sam")
    async with store.transaction() as uow:
        assert await uow.facilitator_pins.add(FacilitatorPin(FRAN_EMAIL, fran.id, HOME, "aad-fran", NOW))
        assert not await uow.facilitator_pins.add(FacilitatorPin(FRAN_EMAIL, sam.id, HOME, "aad-sam", LATER))
    assert [(p.participant_id, p.pinned_at) for p in await _pins(store)] == [(fran.id, NOW)]


async def test_slack_people_are_named_by_workspace_and_user_or_email_whatever_the_teams_tenants(
    store: SqlStore,
) -> None:
    slack = FacilitatorDirectory(frozenset({"t0123abcd:u0456efgh", FRAN_EMAIL}), (HOME,), user_ids=False)
    sam = await register(store, Identity("slack", "T0123ABCD:U0456EFGH", "Sam", "", "T0123ABCD"), None, NOW)
    fran = await register(store, Identity("slack", "T0123ABCD:U0999", "Fran", "", "T0123ABCD"), None, NOW)
    await record_email(store, fran.id, FRAN_EMAIL)
    ola = await register(store, Identity("slack", "T0123ABCD:U0777", "Ola", "", "T0123ABCD"), None, NOW)
    await grant_facilitator(store, ola.id, NOW)
    assert [await recognise(store, slack, p.id, NOW) for p in (sam, fran, ola)] == [True, True, True]
    teams_copy = await _person(store, "copy", tenant=PARTNER_ORG, email=FRAN_EMAIL)
    assert await recognise(store, slack, teams_copy.id, NOW) is False
