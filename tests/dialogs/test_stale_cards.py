"""Cards that know what they answer: a click on an old card never answers a newer question.

Every confirmation in the product is tried the way a person trips over it: the question is
declined (or the flow stopped), asked again, and the *old* card's Yes (or choice) is clicked. It is
refused kindly, the pending question is shown again, and nothing happens (the database is checked
after each). Standalone cards sent through the outbox (meetings, aims, sessions, polls, check-ins,
alerts) are tried in test_stale_object_cards.py, the poll form in test_stale_poll_form.py, and over
the Teams wire in tests/e2e/test_stale_cards.py.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.core.model import Group, Role
from storage.store import SqlStore
from tests.dialogs.chat import NOW, Chat, make_bot
from tests.dialogs.test_facilitator_dialogs import _create, _enrol

FAC = frozenset({"fac-1"})
OUT_OF_DATE = "That card is out of date"


async def _count(engine: AsyncEngine, table: str, where: str = "1=1") -> int:
    async with engine.connect() as connection:
        return int((await connection.execute(text(f"SELECT count(*) FROM {table} WHERE {where}"))).scalar_one())


async def _stale_yes_is_refused(chat: Chat, ask: Callable[[], Awaitable[object]]) -> None:
    """Decline the question, ask it again, click the first card's Yes: refused, then decline the new one."""
    await ask()
    old = chat.token
    await chat.say(value=chat.click("no", old))
    await ask()
    current = chat.token
    assert current != old
    replies = await chat.say(value=chat.click("yes", old))
    assert OUT_OF_DATE in replies[0] and "waiting on now" in replies[0]
    assert chat.cards[-1].token == current and chat.cards[-1].choices  # the pending question, again
    declined = await chat.last(value=chat.click("no", current))  # the pending card still answers
    assert declined.startswith("OK") and OUT_OF_DATE not in declined


@pytest.fixture
async def paired(engine: AsyncEngine) -> dict[str, int]:
    """Asha and Ben, enrolled in Spring and paired (Fran facilitates)."""
    async with SqlStore(engine).transaction() as uow:
        cohort = await uow.cohorts.create("Spring 2027", "SPRING", date(2027, 3, 1), 12, ["a", "b", "c"], NOW)
        ids = {}
        for user, name in (("u-a", "Asha"), ("u-b", "Ben"), ("fac-1", "Fran"), ("u-c", "Chris")):
            person = await uow.participants.upsert_identity("test", user, name, "", NOW)
            ids[name] = person.id
        for name in ("Asha", "Ben"):
            await uow.participants.save_enrolment(
                ids[name], cohort.id, Group.BOTH, [], "monthly", "online", "Europe/London", NOW
            )
        partnership = await uow.partnerships.create(cohort.id, ids["Asha"], ids["Ben"], date(2027, 3, 1), NOW)
    return {**ids, "partnership": partnership.id}


async def test_an_old_yes_never_pairs_and_the_right_card_still_does(engine: AsyncEngine) -> None:
    bot = make_bot(engine, FAC)
    fac = Chat(bot, "fac-1", "Fran")
    code = await _create(fac)
    await _enrol(bot, code, "u-a", "Asha", "2")
    await _enrol(bot, code, "u-b", "Ben", "1")

    async def ask() -> None:
        for step in ("pair", "1"):
            await fac.say(step)
        assert "Pair **Asha** (" in await fac.last("1")

    await _stale_yes_is_refused(fac, ask)
    assert await _count(engine, "partnerships") == 0
    await ask()
    assert "Paired" in await fac.last(value=fac.click("yes", fac.token))
    assert await _count(engine, "partnerships") == 1


async def test_an_old_yes_never_ends_a_partnership(engine: AsyncEngine, paired: dict[str, int]) -> None:
    fac = Chat(make_bot(engine, FAC), "fac-1", "Fran")

    async def ask() -> None:
        for step in ("end partnership", "1"):
            await fac.say(step)
        assert "End this partnership" in await fac.last("A partner left the trust")

    await _stale_yes_is_refused(fac, ask)
    assert await _count(engine, "partnerships", "ended_at IS NULL") == 1
    assert await _count(engine, "outbox") == 0


async def test_an_old_yes_never_sends_a_broadcast(engine: AsyncEngine, paired: dict[str, int]) -> None:
    fac = Chat(make_bot(engine, FAC), "fac-1", "Fran")

    async def ask() -> None:
        for step in ("broadcast", "Hello all", "No link", "Everyone"):
            await fac.say(step)
        assert "Send it to" in await fac.last("Send now")

    await _stale_yes_is_refused(fac, ask)
    assert await _count(engine, "broadcasts") == 0


async def test_an_old_yes_never_creates_a_poll(engine: AsyncEngine, paired: dict[str, int]) -> None:
    fac = Chat(make_bot(engine, FAC), "fac-1", "Fran")

    async def ask() -> None:
        for step in ("create poll", "1", "1", "1", "1"):
            await fac.say(step)
        assert fac.cards[-1].choices[0].title == "Yes"

    await _stale_yes_is_refused(fac, ask)
    assert await _count(engine, "polls") == 0


async def test_an_old_yes_never_grants_or_removes_the_facilitator_role(
    engine: AsyncEngine, paired: dict[str, int]
) -> None:
    fac = Chat(make_bot(engine, FAC), "fac-1", "Fran")

    async def grant() -> None:
        assert "Go ahead" in await fac.last(f"add facilitator #{paired['Chris']}")

    await _stale_yes_is_refused(fac, grant)
    async with SqlStore(engine).transaction() as uow:
        chris = await uow.participants.get(paired["Chris"])
    assert chris is not None and chris.role != Role.FACILITATOR
    await grant()
    await fac.say(value=fac.click("yes", fac.token))

    async def remove() -> None:
        await fac.say("remove facilitator")
        listed = fac.cards[-1]
        chris_choice = next(c.value for c in listed.choices if "Chris" in c.title)
        await fac.say(value=fac.click(chris_choice, fac.token))

    await _stale_yes_is_refused(fac, remove)
    async with SqlStore(engine).transaction() as uow:
        chris = await uow.participants.get(paired["Chris"])
    assert chris is not None and chris.role == Role.FACILITATOR


async def test_an_old_yes_never_cancels_a_meeting(engine: AsyncEngine, paired: dict[str, int]) -> None:
    asha, ben = Chat(make_bot(engine, FAC), "u-a", "Asha"), Chat(make_bot(engine, FAC), "u-b", "Ben")
    for step in ("meet next Tuesday 2pm", "1 hour", "Teams call", "No agenda", "Just this once", "yes"):
        await asha.say(step)
    async with engine.connect() as connection:
        meeting_id = (await connection.execute(text("SELECT max(id) FROM meetings"))).scalar_one()
    await ben.say(value={"command": f"meeting accept {meeting_id} 0"})
    assert await _count(engine, "meetings", "status = 'confirmed'") == 1

    async def ask() -> None:
        assert "Cancel this meeting" in await asha.last(f"meeting cancel {meeting_id}")

    await _stale_yes_is_refused(asha, ask)
    assert await _count(engine, "meetings", "status = 'confirmed'") == 1


async def test_a_finished_cards_button_gets_where_things_stand_not_a_list(engine: AsyncEngine) -> None:
    fac = Chat(make_bot(engine, FAC), "fac-1", "Fran")
    for step in ("create cohort", "Spring 2027", "1 March 2027"):
        await fac.say(step)
    await fac.say("15 months")
    questions_card = fac.token
    assert "Cohort created" in await fac.last(value=fac.click("default", questions_card))
    again = await fac.say(value=fac.click("default", questions_card))
    assert OUT_OF_DATE in again[0] and "nothing is waiting" in again[0]
    assert "didn't catch" not in " ".join(again)
    assert await _count(engine, "cohorts") == 1


async def test_typed_answers_still_work_and_answered_cards_are_redrawn_read_only(engine: AsyncEngine) -> None:
    fac = Chat(make_bot(engine, FAC), "fac-1", "Fran")
    for step in ("create cohort", "Spring 2027", "1 March 2027"):
        await fac.say(step)
    await fac.say("15 months")
    assert "Cohort created" in await fac.last("Use these")
    answered = fac.updated[-1]
    assert "Answered: **Use these**" in answered.text
    assert not (answered.choices or answered.inputs or answered.actions or answered.token)


async def test_a_card_from_another_flow_re_asks_the_pending_question(
    engine: AsyncEngine, paired: dict[str, int]
) -> None:
    fac = Chat(make_bot(engine, FAC), "fac-1", "Fran")
    await fac.say("end partnership")
    end_card = fac.token
    await fac.say("cancel")
    await fac.say(f"add facilitator #{paired['Chris']}")
    replies = await fac.say(value=fac.click("1", end_card))
    assert OUT_OF_DATE in replies[0] and "Go ahead" in replies[-1]
    assert await _count(engine, "partnerships", "ended_at IS NULL") == 1


async def _old_choice_is_refused(chat: Chat, ask: Callable[[], Awaitable[object]], value: str) -> None:
    """Ask, stop, ask again, then click `value` on the first card: refused, and the pending card re-asked."""
    await ask()
    old = chat.token
    await chat.say("cancel")
    await ask()
    replies = await chat.say(value=chat.click(value, old))
    assert OUT_OF_DATE in replies[0] and "waiting on now" in replies[0]
    assert chat.cards[-1].token == chat.token != old
    await chat.say("cancel")


async def test_an_old_yes_never_shares_aims_with_the_team(engine: AsyncEngine, paired: dict[str, int]) -> None:
    async with SqlStore(engine).transaction() as uow:
        proposal = await uow.aims.propose(paired["partnership"], paired["Ben"], ["Listen", "Share"], NOW)
        await uow.aims.agree(proposal.id, NOW)
    asha = Chat(make_bot(engine, FAC), "u-a", "Asha")

    async def ask() -> None:
        assert "Share your shared aims with the programme team?" in await asha.last("aims share")

    await _stale_yes_is_refused(asha, ask)
    async with SqlStore(engine).transaction() as uow:
        agreed = await uow.aims.agreed(paired["partnership"])
    assert agreed is not None and agreed.shared_with_team == ()


async def test_an_old_card_never_pauses_a_partnership(engine: AsyncEngine, paired: dict[str, int]) -> None:
    asha = Chat(make_bot(engine, FAC), "u-a", "Asha")

    async def ask() -> None:
        await asha.say("pause")
        assert "For how long?" in await asha.last("Leave")

    await _old_choice_is_refused(asha, ask, "2w")
    assert await _count(engine, "partnerships", "status = 'active'") == 1
    assert await _count(engine, "outbox") == 0  # Ben was told nothing


async def test_old_cards_never_pause_or_resume_a_partnership_for_the_team(
    engine: AsyncEngine, paired: dict[str, int]
) -> None:
    fac = Chat(make_bot(engine, FAC), "fac-1", "Fran")

    async def pause() -> None:
        await fac.say("pause partnership")
        assert "Pause it for how long?" in await fac.last("1")

    await _old_choice_is_refused(fac, pause, "2w")
    assert await _count(engine, "partnerships", "status = 'active'") == 1
    await pause()
    await fac.say(value=fac.click("unsure", fac.token))
    assert await _count(engine, "partnerships", "status = 'paused'") == 1

    async def resume() -> None:
        assert "Which partnership?" in await fac.last("resume partnership")

    await _old_choice_is_refused(fac, resume, str(paired["partnership"]))
    assert await _count(engine, "partnerships", "status = 'paused'") == 1


async def test_an_old_yes_never_ends_a_partnership_for_a_leaving_partner(
    engine: AsyncEngine, paired: dict[str, int]
) -> None:
    fac = Chat(make_bot(engine, FAC), "fac-1", "Fran")

    async def ask() -> None:
        for step in ("partner leaving", "1"):
            await fac.say(step)
        assert "End this partnership because a partner is leaving?" in await fac.last("1")

    await _stale_yes_is_refused(fac, ask)
    assert await _count(engine, "partnerships", "ended_at IS NULL") == 1
    assert await _count(engine, "outbox") == 0


async def test_an_old_yes_never_erases_anyone(engine: AsyncEngine, paired: dict[str, int]) -> None:
    asha = Chat(make_bot(engine, FAC), "u-a", "Asha")

    async def ask() -> None:
        assert "Delete everything?" in await asha.last("erase me")

    await _stale_yes_is_refused(asha, ask)
    assert await _count(engine, "participants", f"id = {paired['Asha']} AND erased_at IS NULL") == 1
    assert await _count(engine, "partnerships", "ended_at IS NULL") == 1
    assert await _count(engine, "outbox") == 0


async def test_an_old_yes_never_sends_meeting_times(engine: AsyncEngine, paired: dict[str, int]) -> None:
    asha = Chat(make_bot(engine, FAC), "u-a", "Asha")

    async def ask() -> None:
        for step in ("meet next Tuesday 2pm", "1 hour", "Teams call", "No agenda"):
            await asha.say(step)
        assert "Send these times to your partner?" in await asha.last("Just this once")

    await _stale_yes_is_refused(asha, ask)
    assert await _count(engine, "meetings") == 0
    assert await _count(engine, "outbox") == 0


async def test_an_old_card_never_sends_session_invitations(engine: AsyncEngine, paired: dict[str, int]) -> None:
    fac = Chat(make_bot(engine, FAC), "fac-1", "Fran")

    async def ask() -> None:
        for step in ("create session", "Quarterly check-in", "2027-03-10 14:00", "1 hour"):
            await fac.say(step)
        await fac.say("none")
        assert fac.cards[-1].choices[0].title == "Send invitations"

    await _old_choice_is_refused(fac, ask, "yes")
    assert await _count(engine, "group_sessions") == 0
    assert await _count(engine, "outbox") == 0


async def test_old_cards_never_enrol_anyone(engine: AsyncEngine, paired: dict[str, int]) -> None:
    chris = Chat(make_bot(engine, FAC), "u-c", "Chris")

    async def consent() -> None:
        await chris.say("join SPRING")
        assert chris.cards[-1].choices  # the privacy notice, with agree / decline

    await _old_choice_is_refused(chris, consent, "agree")

    async def summary() -> None:
        await chris.say("join SPRING")
        for step in ("I agree", "1", "a", "b", "c", "1", "1"):
            await chris.say(step)
        await chris.say("1")
        assert [c.value for c in chris.cards[-1].choices] == ["save", "edit"]  # the summary

    await _old_choice_is_refused(chris, summary, "save")
    assert await _count(engine, "participants", f"id = {paired['Chris']} AND cohort_id IS NULL") == 1


async def test_an_old_choice_never_cancels_a_broadcast(engine: AsyncEngine, paired: dict[str, int]) -> None:
    fac = Chat(make_bot(engine, FAC), "fac-1", "Fran")
    for step in ("broadcast", "Hello all", "No link", "Everyone", "Later"):
        await fac.say(step)
    await fac.say("tomorrow 10am")
    await fac.say("yes")
    assert await _count(engine, "broadcasts") == 1

    async def ask() -> None:
        assert "Which broadcast should I cancel?" in await fac.last("cancel broadcast")

    await ask()
    [scheduled] = [c.value for c in fac.cards[-1].choices]
    await fac.say("cancel")
    await _old_choice_is_refused(fac, ask, scheduled)
    assert await _count(engine, "broadcasts", "status = 'cancelled'") == 0
