"""Facilitator dialogs: create a cohort, pair by choosing, end a partnership, grant the role."""

from __future__ import annotations

import re

from sqlalchemy.ext.asyncio import AsyncEngine

from domain.core.model import Role
from storage.store import SqlStore
from tests.dialogs.chat import Chat, make_bot

FAC = frozenset({"fac-1"})


async def _create(chat: Chat, name: str = "Spring 2027") -> str:
    await chat.say("create cohort")
    await chat.say(name)
    await chat.say("1 March 2027")
    await chat.say("15 months")
    created = await chat.last("Use these")
    return re.search(r"Join code: ([A-Z0-9]+)", created)[1]


async def _enrol(bot, code: str, user_id: str, name: str, group: str) -> None:
    chat = Chat(bot, user_id, name)
    for text in (f"join {code}", "I agree", group, "a", "b", "c", "1", "1", "1", "confirm"):
        await chat.say(text)


async def test_create_cohort_with_own_questions_re_asks_until_three(engine: AsyncEngine) -> None:
    chat = Chat(make_bot(engine, FAC), "fac-1", "Fran")
    for text in ("new cohort", "Autumn 2027", "2027-09-01", "12"):
        await chat.say(text)
    assert "one per line" in await chat.last("Write our own")
    retry = await chat.say("Only one question?")
    assert "I found one item" in retry[0]
    created = await chat.last("Who are you?\nWhat do you hope for?\nHow do you like to meet?")
    assert "Cohort created: Autumn 2027" in created
    async with SqlStore(engine).transaction() as uow:
        (cohort,) = await uow.cohorts.list_all()
    assert cohort.profile_questions == ["Who are you?", "What do you hope for?", "How do you like to meet?"]
    assert cohort.length_months == 12


async def test_pair_by_choosing_people_queues_two_introductions_and_wakes_the_sender(engine: AsyncEngine) -> None:
    wakes: list[int] = []
    bot = make_bot(engine, FAC, wakes=wakes)
    fac = Chat(bot, "fac-1", "Fran")
    code = await _create(fac)
    await _enrol(bot, code, "u-a", "Asha", "2")
    await _enrol(bot, code, "u-b", "Ben", "1")
    first = (await fac.last("pair")).replace("\\", "")  # as shown: Markdown escapes unseen
    assert "first partner" in first and "Asha" in first and "Ben" in first
    assert "Black and minority ethnic colleague)" in first and "Senior leader)" in first  # groups, to facilitators
    second = await fac.last("Asha")
    assert "Ben" in second and "Asha (#" not in second
    confirm = await fac.last("1")
    assert "Pair **Asha** (Black and minority ethnic colleague) and **Ben** (Senior leader)?" in confirm
    assert "anyway" not in confirm  # across groups, as the programme pairs
    assert "Paired" in await fac.last("yes")
    assert wakes == [1]
    async with SqlStore(engine).transaction() as uow:
        people = {p.name: p for p in await uow.participants.list_all()}
        outbox = await uow.outbox.list_for(people["Asha"].id) + await uow.outbox.list_for(people["Ben"].id)
    assert sorted(m.kind for m in outbox) == ["introduction", "introduction"]
    # Typed numbers are each person's number in the cohort: Asha joined first (#1), Ben second (#2), whatever
    # their internal ids (Fran's record came first; on PostgreSQL every turn also spends a sequence value).
    assert (people["Asha"].number, people["Ben"].number) == (1, 2) and people["Asha"].id > 1
    assert "Pair **Asha**" in await fac.last("pair 1 2")
    assert "already has a learning partner" in await fac.last("yes")


async def test_end_partnership_notifies_both_and_frees_them(engine: AsyncEngine) -> None:
    bot = make_bot(engine, FAC)
    fac = Chat(bot, "fac-1", "Fran")
    code = await _create(fac)
    await _enrol(bot, code, "u-a", "Asha", "2")
    await _enrol(bot, code, "u-b", "Ben", "1")
    await fac.say("pair")
    await fac.say("1")
    await fac.say("1")
    await fac.say("yes")
    assert "Asha and Ben" in await fac.last("end partnership")
    assert "Why is it ending" in await fac.last("1")
    await fac.say("A partner left the trust")
    assert "ended" in await fac.last("yes")
    async with SqlStore(engine).transaction() as uow:
        people = await uow.participants.list_all()
        kinds = [m.kind for p in people for m in await uow.outbox.list_for(p.id)]
    assert kinds.count("partnership_ended") == 2
    assert "not paired yet" in await fac.last("participants")


async def test_add_facilitator_by_id_grants_the_role(engine: AsyncEngine) -> None:
    bot = make_bot(engine, FAC)
    await Chat(bot, "u-c", "Chris").say("hello")
    fac = Chat(bot, "fac-1", "Fran")
    assert "Go ahead" in await fac.last("add facilitator #1")
    assert "facilitator now" in await fac.last("yes")
    chris = Chat(bot, "u-c", "Chris")
    assert "no cohorts yet" in await chris.last("participants")
    async with SqlStore(engine).transaction() as uow:
        person = await uow.participants.find_by_user("test", "u-c")
    assert person.role == Role.FACILITATOR


async def test_partners_cannot_use_facilitator_commands(engine: AsyncEngine) -> None:
    chat = Chat(make_bot(engine, FAC), "u-x", "Xan")
    commands = ("create cohort", "participants", "pair", "suggest pairs", "end partnership", "add facilitator", "audit")
    for command in commands:
        assert "facilitators do" in await chat.last(command)


async def test_facilitators_set_when_a_pair_counts_as_quiet(engine: AsyncEngine) -> None:
    chat = Chat(make_bot(engine, FAC), "fac-1", "Fran")
    code = await _create(chat)
    assert "quiet after 4 weeks, inactive after 8" in await chat.last("quiet weeks")
    assert "Type **quiet weeks**" in await chat.last(f"quiet weeks {code} 8 4")
    assert "quiet after 3 weeks and inactive after 6" in await chat.last(f"quiet weeks {code.lower()} 3 6")
    async with SqlStore(engine).transaction() as uow:
        (cohort,) = await uow.cohorts.list_all()
    assert (cohort.quiet_weeks, cohort.inactive_weeks) == (3, 6)
    assert "facilitators do" in await Chat(make_bot(engine, FAC), "u-z", "Zed").last(f"quiet weeks {code} 2 4")


async def test_the_audit_trail_shows_who_granted_the_role_by_id_only(engine: AsyncEngine) -> None:
    bot = make_bot(engine, FAC)
    await Chat(bot, "u-c", "Chris Example").say("hello")
    fac = Chat(bot, "fac-1", "Fran")
    # Fran's first message pinned the FACILITATORS entry naming her: the configuration granted the role.
    assert "The companion made participant #2 a facilitator" in await fac.last("audit")
    await fac.say("add facilitator #1")
    await fac.say("yes")
    async with SqlStore(engine).transaction() as uow:
        granter = await uow.participants.find_by_user("test", "fac-1")
        entry, pinned = await uow.audit.recent(5)
    assert (entry.actor_id, entry.action, entry.subject_id) == (granter.id, "grant_facilitator", 1)
    assert (pinned.actor_id, pinned.action, pinned.subject_id) == (None, "grant_facilitator", granter.id)
    trail = await fac.last("audit")
    assert f"participant #{granter.id} made participant #1 a facilitator" in trail
    assert "Chris" not in trail and "Fran" not in trail


async def test_own_questions_on_one_line_split_at_semicolons_or_numbers(engine: AsyncEngine) -> None:
    chat = Chat(make_bot(engine, FAC), "fac-1", "Fran")
    for text in ("new cohort", "Autumn 2027", "2027-09-01", "12", "Write our own"):
        await chat.say(text)
    assert "Cohort created" in await chat.last("1. Who are you? 2. What do you hope for? 3) How do you meet?")
    for text in ("new cohort", "Winter 2027", "2027-12-01", "12", "Write our own"):
        await chat.say(text)
    assert "Cohort created" in await chat.last("Who are you?; What matters to you?; - How do you meet?")
    async with SqlStore(engine).transaction() as uow:
        first, second = sorted(await uow.cohorts.list_all(), key=lambda c: c.id)
    assert first.profile_questions == ["Who are you?", "What do you hope for?", "How do you meet?"]
    assert second.profile_questions == ["Who are you?", "What matters to you?", "How do you meet?"]
