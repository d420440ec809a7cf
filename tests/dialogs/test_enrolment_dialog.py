"""Enrolment and profile dialogs, typed in a text channel, on a real database."""

from __future__ import annotations

import random
from datetime import date

from sqlalchemy.ext.asyncio import AsyncEngine

from domain.cohorts.service import CohortDraft, create_cohort
from domain.core.content import load_profile_questions
from storage.store import SqlStore
from tests.dialogs.chat import NOW, Chat, make_bot


async def _cohort(engine: AsyncEngine) -> str:
    cohort = await create_cohort(
        SqlStore(engine),
        CohortDraft("Spring 2027", date(2027, 3, 1), 12, load_profile_questions().questions),
        NOW,
        random.Random(1),
    )
    return cohort.join_code


async def _me(engine: AsyncEngine, user_id: str = "user-1"):
    async with SqlStore(engine).transaction() as uow:
        person = await uow.participants.find_by_user("test", user_id)
        return person, (await uow.participants.profile(person.id) if person else [])


async def _enrol_to_summary(chat: Chat, code: str) -> str:
    await chat.say(f"join {code}")
    await chat.say("I agree")
    await chat.say("1")  # senior leader
    for answer in ("Ward nurse turned manager.", "Learn about board work.", "Mornings suit me."):
        await chat.say(answer)
    await chat.say("every 4 weeks")
    await chat.say("3")  # a mix
    return await chat.last("1")  # keep Europe/London


async def test_enrolment_by_typing_stores_everything_after_confirmation(engine: AsyncEngine) -> None:
    code = await _cohort(engine)
    chat = Chat(make_bot(engine))
    summary = await _enrol_to_summary(chat, code)
    assert "Here's what you told me" in summary and "Learn about board work." in summary
    person, _ = await _me(engine)
    assert person.enrolled_at is None  # nothing saved before confirming
    assert "You're enrolled" in await chat.last("confirm")
    person, answers = await _me(engine)
    assert person.is_enrolled and person.group.value == "senior_leader"
    assert (person.meeting_rhythm, person.meeting_format, person.time_zone) == ("4w", "mix", "Europe/London")
    assert [a.answer for a in answers] == ["Ward nurse turned manager.", "Learn about board work.", "Mornings suit me."]


async def test_unknown_code_is_explained_and_asked_again(engine: AsyncEngine) -> None:
    code = await _cohort(engine)
    chat = Chat(make_bot(engine))
    replies = await chat.say("join NOPE99")
    assert "couldn't find a cohort" in replies[0] and "join code" in replies[-1]
    assert "privacy" in (await chat.last(code.lower())).lower()


async def test_the_consent_step_links_the_full_privacy_notice(engine: AsyncEngine) -> None:
    code = await _cohort(engine)
    chat = Chat(make_bot(engine))
    consent = await chat.last(f"join {code}")
    assert "Read the full privacy notice: http://localhost:3978/privacy" in consent  # PLP_PUBLIC_URL + /privacy
    assert "I agree" in consent and "No thanks" in consent


async def test_declining_consent_stores_only_the_refusal(engine: AsyncEngine) -> None:
    code = await _cohort(engine)
    chat = Chat(make_bot(engine))
    await chat.say(f"join {code}")
    assert "only noted that you said no" in await chat.last("No thanks")
    person, answers = await _me(engine)
    assert person.consent_declined_at == NOW and person.consent_at is None
    assert person.group is None and person.cohort_id is None and answers == []


async def test_summary_edit_changes_one_answer_then_saves(engine: AsyncEngine) -> None:
    code = await _cohort(engine)
    chat = Chat(make_bot(engine))
    await _enrol_to_summary(chat, code)
    menu = await chat.last("Edit an answer")
    # the menu names each profile question (shortened), not "Answer 2"
    assert "\n3. What do you hope to learn, and what do you hope to offer…\n" in menu and "Answer 2" not in menu
    assert "\n2. What would you like your learning partner to know about…\n" in menu
    assert "\n4. What matters to you about how you meet and talk…\n" in menu
    assert "Profile question 2" in await chat.last("3")
    summary = await chat.last("To learn how a trust board decides.")
    assert "To learn how a trust board decides." in summary
    await chat.say("confirm")
    _, answers = await _me(engine)
    assert answers[1].answer == "To learn how a trust board decides."


async def test_a_wrong_answer_is_re_asked_and_help_reprompts(engine: AsyncEngine) -> None:
    code = await _cohort(engine)
    chat = Chat(make_bot(engine))
    await chat.say(f"join {code}")
    await chat.say("I agree")
    confused = await chat.say("purple")
    assert "pick one of the options" in confused[0] and "Which group" in confused[-1]
    helped = await chat.say("help")
    assert "Here's what I can do" in helped[0] and "Which group" in helped[-1]
    assert "Profile question 1" in await chat.last("2")


async def test_profile_shows_saved_answers_and_edits_them(engine: AsyncEngine) -> None:
    code = await _cohort(engine)
    chat = Chat(make_bot(engine))
    assert "haven't enrolled" in await chat.last("profile")
    await _enrol_to_summary(chat, code)
    await chat.say("confirm")
    assert "already enrolled" in await chat.last(f"join {code}")
    profile = await chat.last("profile")
    assert "Your profile" in profile and "Mornings suit me." in profile
    await chat.say("edit")
    await chat.say("Time zone")
    assert "Asia/Kolkata" in await chat.last("asia/kolkata")
    assert "Saved" in await chat.last("done")
    person, _ = await _me(engine)
    assert person.time_zone == "Asia/Kolkata"


async def test_a_dialog_survives_a_restart(engine: AsyncEngine) -> None:
    code = await _cohort(engine)
    await Chat(make_bot(engine)).say(f"join {code}")
    restarted = Chat(make_bot(engine))  # a new process: new bot, new state objects, same database
    assert "Which group" in await restarted.last("I agree")


async def test_cancel_stops_and_nothing_is_saved(engine: AsyncEngine) -> None:
    code = await _cohort(engine)
    chat = Chat(make_bot(engine))
    await chat.say(f"join {code}")
    await chat.say("I agree")
    assert "stopped" in await chat.last("cancel")
    assert "didn't catch that" in await chat.last("1")
    person, _ = await _me(engine)
    assert not person.is_enrolled
