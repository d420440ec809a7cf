"""Who is talking: register() on the real store, which entries name a person, and granting the role."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from config import Settings
from domain.core.facilitators import FacilitatorDirectory
from domain.core.identity import Identity, record_email, register
from domain.core.model import ConversationRef, Participant, Role, outbox_key
from domain.core.reply import Reply
from domain.core.roles import facilitator_candidates, find_person, grant_facilitator
from storage.store import SqlStore

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=1)
ADA = Identity("msteams", "29:ada", "Ada Okafor", "aad-ada")
SERVICE = "https://smba.trafficmanager.net/uk/"


@pytest.fixture
def store(engine: AsyncEngine) -> SqlStore:
    return SqlStore(engine)


def _ref(kind: str, conversation_id: str) -> ConversationRef:
    """A reference as the bot would build it from an activity (participant id not known yet)."""
    return ConversationRef(
        participant_id=0,
        channel_id="msteams",
        service_url=SERVICE,
        conversation_id=conversation_id,
        user_id="29:ada",
        bot_id="28:bot",
        bot_name="PLP Companion",
        tenant_id="tenant-1",
        conversation_type=kind,
    )


async def _stored_ref(store: SqlStore, participant_id: int) -> ConversationRef | None:
    async with store.transaction() as uow:
        return await uow.conversations.get(participant_id)


async def test_first_contact_creates_the_participant_and_keeps_the_address(store: SqlStore) -> None:
    person = await register(store, ADA, _ref("personal", "a:1on1"), NOW)
    assert (person.channel_id, person.user_id, person.name, person.aad_object_id, person.role) == (
        "msteams",
        "29:ada",
        "Ada Okafor",
        "aad-ada",
        Role.PARTNER,
    )
    assert await _stored_ref(store, person.id) == replace(_ref("personal", "a:1on1"), participant_id=person.id)


async def test_later_contact_is_the_same_participant_and_refreshes_the_name(store: SqlStore) -> None:
    first = await register(store, ADA, None, NOW)
    again = await register(store, replace(ADA, name="Ada O."), None, LATER)
    quiet = await register(store, replace(ADA, name="", aad_object_id=""), None, LATER)
    assert first.id == again.id == quiet.id
    assert (again.name, quiet.name, quiet.aad_object_id) == ("Ada O.", "Ada O.", "aad-ada")
    assert await _stored_ref(store, first.id) is None


async def test_a_team_channel_reference_never_replaces_a_personal_one(store: SqlStore) -> None:
    person = await register(store, ADA, _ref("personal", "a:1on1"), NOW)
    await register(store, ADA, _ref("channel", "19:general@thread.tacv2"), LATER)
    stored = await _stored_ref(store, person.id)
    assert stored is not None and (stored.conversation_type, stored.conversation_id) == ("personal", "a:1on1")


async def test_a_personal_reference_replaces_a_team_channel_one(store: SqlStore) -> None:
    person = await register(store, ADA, _ref("channel", "19:general@thread.tacv2"), NOW)
    await register(store, ADA, _ref("personal", "a:1on1"), LATER)
    stored = await _stored_ref(store, person.id)
    assert stored is not None and (stored.conversation_type, stored.conversation_id) == ("personal", "a:1on1")


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("channel", "19:general@thread.tacv2"), ("channel", "19:random@thread.tacv2")),
        (("personal", "a:old"), ("personal", "a:new")),
    ],
)
async def test_a_reference_of_the_same_kind_is_refreshed(
    store: SqlStore, first: tuple[str, str], second: tuple[str, str]
) -> None:
    person = await register(store, ADA, _ref(*first), NOW)
    await register(store, ADA, replace(_ref(*second), service_url="https://smba.example/emea/"), LATER)
    stored = await _stored_ref(store, person.id)
    assert stored is not None
    assert (stored.conversation_id, stored.service_url) == (second[1], "https://smba.example/emea/")


async def test_each_person_keeps_their_own_reference(store: SqlStore) -> None:
    ada = await register(store, ADA, _ref("personal", "a:ada"), NOW)
    bo = await register(
        store, Identity("msteams", "29:bo", "Bo"), replace(_ref("personal", "a:bo"), user_id="29:bo"), NOW
    )
    assert ada.id != bo.id
    stored_ada, stored_bo = await _stored_ref(store, ada.id), await _stored_ref(store, bo.id)
    assert stored_ada is not None and stored_ada.conversation_id == "a:ada"
    assert stored_bo is not None and stored_bo.conversation_id == "a:bo"


def _person(role: Role = Role.PARTNER, user_id: str = "29:Ada", aad: str = "AAD-Ada", email: str = "") -> Participant:
    return Participant(id=1, channel_id="msteams", user_id=user_id, aad_object_id=aad, email=email, role=role)


def _configured(raw: str) -> frozenset[str]:
    """The facilitator set exactly as the app builds it from FACILITATORS."""
    return Settings.from_env({"FACILITATORS": raw}, env_file=None).facilitators


@pytest.mark.parametrize(
    ("person", "raw", "expected"),
    [
        (_person(role=Role.FACILITATOR), "", True),
        (_person(), "", False),
        (_person(), "29:ada", True),
        (_person(), "aad-ada", True),
        (_person(email="Ada.Okafor@NHS.net"), "someone@nhs.net, ada.okafor@nhs.net", True),
        (_person(email="ada@nhs.net"), "ADA@NHS.NET", True),
        (_person(), "29:bo aad-bo bo@nhs.net", False),
        (_person(user_id="", aad="", email=""), "", False),
        (_person(user_id="", aad="", email=""), " , ", False),
    ],
)
def test_which_entries_name_a_person(person: Participant, raw: str, expected: bool) -> None:
    directory = FacilitatorDirectory(_configured(raw))
    assert (directory.by_role(person) or bool(directory.names(person))) is expected


def test_empty_identifiers_never_match_an_empty_configured_entry() -> None:
    assert FacilitatorDirectory(frozenset({""})).names(_person(user_id="", aad="", email="")) == frozenset()


async def test_writing_again_from_a_personal_chat_clears_the_unreachable_flag(store: SqlStore) -> None:
    person = await register(store, ADA, _ref("personal", "a:1on1"), NOW)
    async with store.transaction() as uow:
        await uow.participants.mark_unreachable(person.id, NOW)
    again = await register(store, ADA, _ref("personal", "a:1on1"), LATER)
    async with store.transaction() as uow:
        stored = await uow.participants.get(person.id)
    assert again.unreachable_at is None and stored is not None and stored.unreachable_at is None


def _writes(engine: AsyncEngine) -> list[str]:
    """Every INSERT, UPDATE and DELETE the engine runs from now on (the list fills as they run)."""
    seen: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        if statement.lstrip().split(" ", 1)[0].upper() in ("INSERT", "UPDATE", "DELETE"):
            seen.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    return seen


async def test_an_arrival_that_changes_nothing_writes_nothing(store: SqlStore, engine: AsyncEngine) -> None:
    first = await register(store, ADA, _ref("personal", "a:1on1"), NOW)
    writes = _writes(engine)
    again = await register(store, replace(ADA, name="", aad_object_id=""), _ref("personal", "a:1on1"), LATER)
    assert again == first and writes == []  # the same person at the same address: read, not rewritten
    moved = await register(store, ADA, _ref("personal", "a:new-chat"), LATER)
    assert moved.id == first.id and len(writes) >= 1  # a new address is stored
    assert await _stored_ref(store, first.id) == replace(_ref("personal", "a:new-chat"), participant_id=first.id)


PEOPLE = [
    Participant(
        id=1, channel_id="msteams", user_id="29:ada", name="Ada Okafor", email="ada@nhs.net", aad_object_id="A1"
    ),
    Participant(id=2, channel_id="msteams", user_id="29:sam", name="Sam Patel", email="sam@nhs.net"),
    Participant(id=3, channel_id="msteams", user_id="29:sam2", name="Sam Patel"),
]


@pytest.mark.parametrize(
    ("wanted", "expected"),
    [
        ("#2", 2),
        (" #1 ", 1),
        ("#9", None),
        ("ADA@nhs.net", 1),
        ("ada okafor", 1),
        ("a1", 1),
        ("Sam Patel", None),  # two people share the name: ask instead of guessing
        ("sam@nhs.net", 2),
        ("", None),
        ("#", None),
    ],
)
def test_find_person(wanted: str, expected: int | None) -> None:
    found = find_person(PEOPLE, wanted)
    assert (found.id if found else None) == expected


async def test_facilitator_candidates_leave_out_people_who_already_facilitate(store: SqlStore) -> None:
    ada = await register(store, ADA, None, NOW)
    bo = await register(store, Identity("msteams", "29:bo", "Bo"), None, NOW)
    await grant_facilitator(store, bo.id, NOW)
    found = await facilitator_candidates(store, "bo")
    assert ([p.id for p in found.people], found.named) == ([ada.id], None)
    assert (await facilitator_candidates(store, "ada okafor")).named == ada


async def test_grant_facilitator_sets_the_role_and_queues_one_welcome(store: SqlStore) -> None:
    person = await register(store, ADA, None, NOW)
    granted = await grant_facilitator(store, person.id, NOW)
    assert granted.queued
    async with store.transaction() as uow:
        stored = await uow.participants.get(person.id)
        (note,) = await uow.outbox.list_for(person.id)
    assert stored is not None and stored.role == Role.FACILITATOR
    assert (note.kind, note.idempotency_key, note.due_at) == (
        "facilitator_added",
        outbox_key("facilitator_added", person.id, person.id, NOW.isoformat()),
        NOW,
    )
    assert Reply.from_dict(note.payload).title == "You're now a PLP Companion facilitator"
    async with store.reading() as uow:
        (entry,) = await uow.audit.recent(5)
    assert (entry.actor_id, entry.action, entry.subject_id, entry.at) == (None, "grant_facilitator", person.id, NOW)


async def test_record_email_keeps_what_teams_told_us(store: SqlStore) -> None:
    person = await register(store, ADA, None, NOW)
    await record_email(store, person.id, "ada@nhs.net")
    async with store.transaction() as uow:
        stored = await uow.participants.get(person.id)
    assert stored is not None and stored.email == "ada@nhs.net"
