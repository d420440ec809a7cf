"""Standalone cards (sent through the outbox) act only on the object and version they name.

Each test clicks a button exactly as the card that reached the person carries it (read back from the
outbox), after the card's subject has moved on: a meeting suggestion replaced by a newer one, a booking
cancelled or moved, suggested aims replaced or agreed, a group session cancelled, a poll closed, a
partnership paused or ended, a partner re-paired. Each click is refused kindly with where things stand,
and the database shows nothing acted. The current card still works.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from domain.core.clock import FixedClock
from domain.core.model import Group, PartnershipStatus
from domain.core.reply import Reply
from domain.health.cards import checkin_card, quiet_alert
from domain.health.model import Health
from storage.store import SqlStore
from tests.dialogs.chat import NOW, Chat, make_bot
from tests.dialogs.test_stale_cards import FAC, OUT_OF_DATE, _count, paired

__all__ = ["paired"]  # the fixture, shared with test_stale_cards


async def _cards(engine: AsyncEngine, person_id: int, kind: str) -> list[Reply]:
    """Every card of `kind` queued for the person (sent or not), oldest first, as the channel renders it."""
    async with SqlStore(engine).transaction() as uow:
        rows = sorted(await uow.outbox.list_for(person_id), key=lambda m: m.id)
    return [Reply.from_dict(m.payload) for m in rows if m.kind == kind]


def _button(card: Reply, title: str) -> dict[str, str]:
    """The submit data of the card's button whose title starts with `title`."""
    return dict(next(a.data for a in card.actions if a.title.startswith(title)))


async def _propose(asha: Chat, when: str = "meet next Tuesday 2pm") -> None:
    for step in (when, "1 hour", "Teams call", "No agenda", "Just this once", "yes"):
        await asha.say(step)


def _chats(engine: AsyncEngine, clock: FixedClock | None = None) -> tuple[Chat, Chat, Chat]:
    bot = make_bot(engine, FAC, clock)
    return Chat(bot, "u-a", "Asha"), Chat(bot, "u-b", "Ben"), Chat(bot, "fac-1", "Fran")


async def test_an_old_suggestion_never_answers_the_newer_one(engine: AsyncEngine, paired: dict[str, int]) -> None:
    asha, ben, _ = _chats(engine)
    await _propose(asha)
    [first] = await _cards(engine, paired["Ben"], "meeting_proposed")
    assert _button(first, "Tuesday")["card"] == "meeting:1:proposed"
    for step in ("meeting suggest 1", "Thursday 10am", "yes"):  # Asha offers another time instead
        await asha.say(step)
    _, second = await _cards(engine, paired["Ben"], "meeting_proposed")
    for title in ("Tuesday", "Suggest another time", "Decline"):
        replies = await ben.say(value=_button(first, title))
        assert replies[0].startswith(OUT_OF_DATE)
        assert "Waiting for an answer" in replies[1] and "Thursday 4 March 2027, 10:00" in replies[1]
    assert await _count(engine, "meetings", "status = 'confirmed'") == 0
    assert await _count(engine, "meetings", "status = 'proposed'") == 1  # the newer one, still open
    assert await _count(engine, "outbox", f"participant_id = {paired['Asha']}") == 0  # Asha was told nothing
    booked = await ben.last(value=_button(second, "Thursday"))
    assert "Meeting confirmed" in booked and OUT_OF_DATE not in booked
    assert await _count(engine, "meetings", "status = 'confirmed'") == 1


async def test_a_booking_cancelled_since_can_be_neither_moved_nor_cancelled_again(
    engine: AsyncEngine, paired: dict[str, int]
) -> None:
    asha, ben, _ = _chats(engine)
    await _propose(asha)
    [proposal] = await _cards(engine, paired["Ben"], "meeting_proposed")
    await ben.say(value=_button(proposal, "Tuesday"))
    [confirmed] = await _cards(engine, paired["Asha"], "meeting_confirmed")
    reminder = (await _cards(engine, paired["Asha"], "meeting_reminder"))[0]
    for step in ("meeting cancel 1", "yes"):
        await ben.say(step)
    outbox_before = await _count(engine, "outbox")
    for card, title in ((confirmed, "Move"), (confirmed, "Cancel"), (reminder, "Cancel")):
        replies = await asha.say(value=_button(card, title))
        assert replies[0].startswith(OUT_OF_DATE) and "No meetings yet" in replies[1]
    assert await _count(engine, "meetings") == 1  # no new suggestion from "Move"
    assert await _count(engine, "outbox") == outbox_before  # nobody told anything twice


async def test_did_you_meet_from_a_meeting_moved_since_is_refused_and_the_current_one_answers(
    engine: AsyncEngine, paired: dict[str, int]
) -> None:
    asha, ben, _ = _chats(engine)
    await _propose(asha)
    [proposal] = await _cards(engine, paired["Ben"], "meeting_proposed")
    await ben.say(value=_button(proposal, "Tuesday"))
    [old_question] = await _cards(engine, paired["Ben"], "did_you_meet")
    for step in ("meeting move 1", "Wednesday 3pm", "yes"):  # moved: a new booking once Ben accepts
        await asha.say(step)
    _, moved = await _cards(engine, paired["Ben"], "meeting_proposed")
    await ben.say(value=_button(moved, "Wednesday"))
    _, later_ben, _ = _chats(engine, FixedClock(NOW + timedelta(days=3)))  # after both times
    replies = await later_ben.say(value=_button(old_question, "Yes, we met"))
    assert replies[0].startswith(OUT_OF_DATE) and "Recent meetings" in replies[1]
    assert await _count(engine, "meeting_answers") == 0
    new_question = (await _cards(engine, paired["Ben"], "did_you_meet"))[-1]
    assert "added it to your meeting log" in await later_ben.last(value=_button(new_question, "Yes, we met"))
    assert await _count(engine, "meeting_answers", f"participant_id = {paired['Ben']}") == 1


async def test_suggested_aims_replaced_or_agreed_since_are_never_accepted(
    engine: AsyncEngine, paired: dict[str, int]
) -> None:
    asha, ben, _ = _chats(engine)
    for chat in (asha, ben):
        for step in ("aims", "To listen well", "Time and candour"):
            await chat.say(step)
    for aims in ("Learn together; Share openly", "Listen first; Share openly; Meet monthly"):
        await asha.say("aims propose")
        await asha.say(aims.replace("; ", "\n"))
    first, second = await _cards(engine, paired["Ben"], "aims_proposed")
    for title in ("Accept", "Suggest changes"):
        replies = await ben.say(value=_button(first, title))
        assert replies[0].startswith(OUT_OF_DATE)
        assert any("Listen first" in reply for reply in replies[1:])  # the newer suggestion, where things stand
    assert await _count(engine, "shared_aims", "status = 'agreed'") == 0
    assert "Agreed" in " ".join(await ben.say(value=_button(second, "Accept")))
    again = await ben.say(value=_button(second, "Accept"))
    assert again[0].startswith(OUT_OF_DATE) and any("Meet monthly" in reply for reply in again[1:])
    assert await _count(engine, "shared_aims", "status = 'agreed'") == 1
    assert len(await _cards(engine, paired["Asha"], "aims_agreed")) == 1  # told once


async def test_an_invitation_to_a_cancelled_session_records_no_answer(
    engine: AsyncEngine, paired: dict[str, int]
) -> None:
    asha, _, fran = _chats(engine)
    for step in ("create session", "Quarterly check-in", "2027-03-10 14:00", "1 hour", "none", "Send invitations"):
        await fran.say(step)
    [invitation] = await _cards(engine, paired["Asha"], "session_invite")
    assert "in case you can make it" in await asha.last(value=_button(invitation, "Maybe"))  # current: answers
    await fran.say("cancel session 1")
    replies = await asha.say(value=_button(invitation, "Yes"))
    assert replies[0].startswith(OUT_OF_DATE) and "has been cancelled" in replies[1]
    assert await _count(engine, "session_invites", "answer = 'maybe'") == 1
    assert await _count(engine, "session_invites", "answer = 'yes'") == 0


async def test_a_pause_alert_for_a_partnership_paused_since_shows_health(
    engine: AsyncEngine, paired: dict[str, int]
) -> None:
    asha, _, fran = _chats(engine)
    alert = quiet_alert(("Asha", "Ben"), Health.QUIET, "Spring 2027", paired["partnership"])
    pause = _button(alert, "Pause partnership")
    refused = await asha.say(value=pause)  # a partner holding a forwarded alert: not theirs to act on
    assert refused[0].startswith(OUT_OF_DATE) and "Partnership health" not in " ".join(refused)
    assert "Pause it for how long?" in await fran.last(value=pause)  # current: the pause is asked
    await fran.say("2 weeks")
    replies = await fran.say(value=pause)
    assert replies[0].startswith(OUT_OF_DATE) and "Paused" in replies[1]
    async with SqlStore(engine).transaction() as uow:
        partnership = await uow.partnerships.get(paired["partnership"])
    assert partnership is not None and partnership.status is PartnershipStatus.PAUSED
    assert partnership.paused_until == date(2027, 3, 15)  # paused once, for the two weeks chosen


async def test_a_check_in_and_the_choices_after_leaving_stand_only_until_re_paired(
    engine: AsyncEngine, paired: dict[str, int]
) -> None:
    _, ben, fran = _chats(engine)
    checkin = checkin_card(paired["partnership"])  # as the quiet-pair job sends it to Ben
    for step in ("partner leaving", "1", "1", "yes"):  # Asha leaves the trust
        await fran.say(step)
    [after] = await _cards(engine, paired["Ben"], "leaving_support")
    assert await _count(engine, "checkins") == 0
    async with SqlStore(engine).transaction() as uow:  # Ben is paired again, with Chris
        cohort_id = (await uow.partnerships.get(paired["partnership"])).cohort_id  # type: ignore[union-attr]
        await uow.participants.save_enrolment(
            paired["Chris"], cohort_id, Group.BOTH, [], "monthly", "online", "Europe/London", NOW
        )
        await uow.partnerships.create(cohort_id, paired["Ben"], paired["Chris"], date(2027, 3, 1), NOW)
    outbox_before = await _count(engine, "outbox")
    replies = await ben.say(value=_button(checkin, "I'd like the programme team to contact me"))
    assert replies[0].startswith(OUT_OF_DATE) and "closed" in replies[1]
    replies = await ben.say(value=_button(after, "A new learning partner"))
    assert replies[0].startswith(OUT_OF_DATE) and "You already have a learning partner" in replies[1]
    assert await _count(engine, "checkins") == 0  # nothing saved against the new partnership
    assert await _count(engine, "outbox") == outbox_before  # no alert to facilitators


async def test_the_choices_after_leaving_still_work_while_they_stand(
    engine: AsyncEngine, paired: dict[str, int]
) -> None:
    _, ben, fran = _chats(engine)
    for step in ("partner leaving", "1", "1", "yes"):
        await fran.say(step)
    [after] = await _cards(engine, paired["Ben"], "leaving_support")
    assert "let the programme team know" in await ben.last(value=_button(after, "A new learning partner"))
    assert len(await _cards(engine, paired["Fran"], "facilitator_alert")) == 1


async def test_an_invitation_to_a_closed_poll_says_so_and_opens_no_form(
    engine: AsyncEngine, paired: dict[str, int]
) -> None:
    asha, _, fran = _chats(engine)
    for step in ("create poll", "1", "1", "1", "1", "yes"):
        await fran.say(step)
    [invitation] = await _cards(engine, paired["Asha"], "poll_invite")
    answer = _button(invitation, "Answer now")
    assert answer["card"] == "poll:1:open"
    assert "Question 1 of" in await asha.last(value=answer)  # open: the poll begins (step by step here)
    await asha.say("cancel")
    await fran.say("close poll 1")
    replies = await asha.say(value=answer)
    assert replies[0].startswith(OUT_OF_DATE) and "no longer takes answers" in replies[1]
    assert not any("Question 1 of" in reply for reply in replies)


async def test_a_forged_or_garbled_card_token_is_refused_kindly(engine: AsyncEngine, paired: dict[str, int]) -> None:
    asha, ben, _ = _chats(engine)
    await _propose(asha)
    for token in ("meeting:abc:proposed", "nonsense:1:x", "meeting:1", "meeting:99999999999999:proposed", 7):
        replies = await ben.say(value={"command": "meeting accept 1 0", "card": token})
        assert replies[0].startswith(OUT_OF_DATE) and "what I can do" in replies[-1]
    # Someone else's meeting, named with its true token, is not theirs to act on (nor is it shown).
    outsider = Chat(make_bot(engine, FAC), "u-c", "Chris")
    replies = await outsider.say(value={"command": "meeting accept 1 0", "card": "meeting:1:proposed"})
    assert replies[0].startswith(OUT_OF_DATE) and "Tuesday" not in " ".join(replies)
    assert await _count(engine, "meetings", "status = 'confirmed'") == 0
