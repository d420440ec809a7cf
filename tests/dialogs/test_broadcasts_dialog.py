"""Broadcasts through the real bot on a real database: compose, link button, audience,
preview, send now or later, cancel, the status list and "Resend to failed".

Fran facilitates (named in FACILITATORS); six people are enrolled in Spring, two of them BME colleagues.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.broadcasts.materialise import drain
from domain.core.model import Group, OutboxMessage
from domain.core.reply import Reply
from storage.store import SqlStore
from storage.tables import OutboxRow
from tests.dialogs.chat import NOW, Chat, make_bot

FAC = frozenset({"fac-1"})
GROUPS = (Group.SENIOR_LEADER,) * 4 + (Group.BME_COLLEAGUE,) * 2


@pytest.fixture
async def people(engine: AsyncEngine) -> list[int]:
    """Six enrolled people (ids returned) and Fran."""
    async with SqlStore(engine).transaction() as uow:
        cohort = await uow.cohorts.create("Spring 2027", "SPRING", date(2027, 3, 1), 12, ["a"], NOW)
        await uow.participants.upsert_identity("test", "fac-1", "Fran", "", NOW)
        ids = []
        for n, group in enumerate(GROUPS):
            person = await uow.participants.upsert_identity("test", f"u-{n}", f"Person {n}", "", NOW)
            await uow.participants.save_enrolment(
                person.id, cohort.id, group, [], "monthly", "online", "Europe/London", NOW
            )
            ids.append(person.id)
    return ids


async def _materialise(engine: AsyncEngine) -> None:
    """What the background does after a confirm: insert the outbox rows."""
    await drain(SqlStore(engine), NOW)


async def _broadcast_rows(engine: AsyncEngine, ids: list[int]) -> list[OutboxMessage]:
    async with SqlStore(engine).transaction() as uow:
        return [m for pid in ids for m in await uow.outbox.list_for(pid) if m.kind == "broadcast"]


async def test_compose_preview_and_send_now_queues_a_row_each_and_wakes_the_dispatcher(
    engine: AsyncEngine, people: list[int]
) -> None:
    wakes: list[int] = []
    fran = Chat(make_bot(engine, FAC, wakes=wakes), "fac-1", "Fran")
    assert "What would you like to say" in await fran.last("broadcast")
    assert "link button" in await fran.last("Launch on **Monday**")
    await fran.say("Add a link")
    retry = await fran.say("Book http://example.org/book")
    assert len(retry) == 1  # one clear message that says what to fix, not an error and then the question
    assert "couldn't find a web link" in retry[0] and "button title" in retry[0] and "use https://" in retry[0]
    assert "Who should get it" in await fran.last("Book your place example.org/book")  # a bare address
    preview = await fran.say("Everyone")
    assert "From the programme team" in preview[0] and "Launch on **Monday**" in preview[0]
    assert "Book your place: https://example.org/book" in preview[0]  # the button, as text here
    assert "everyone enrolled: 6 people" in preview[-1] and wakes == []
    assert "Send it to 6 people now?" in await fran.last("Send now")
    assert "On its way" in await fran.last("yes")
    await _materialise(engine)
    rows = await _broadcast_rows(engine, people)
    assert sorted(r.participant_id for r in rows) == people and wakes == [1]
    assert Reply.from_dict(rows[0].payload).text == "Launch on **Monday**"


async def test_a_small_group_count_is_suppressed(engine: AsyncEngine, people: list[int]) -> None:
    fran = Chat(make_bot(engine, FAC), "fac-1", "Fran")
    for text in ("broadcast", "Hello", "No link", "A group"):
        await fran.say(text)
    preview = await fran.last("Bme colleagues")
    assert "BME colleagues: fewer than 5 people." in preview and "2 people" not in preview
    assert "Send it to fewer than 5 people now?" in await fran.last("Send now")
    await fran.say("yes")
    await _materialise(engine)
    assert sorted(r.participant_id for r in await _broadcast_rows(engine, people)) == people[4:]


async def test_schedule_then_cancel_sends_nothing(engine: AsyncEngine, people: list[int]) -> None:
    fran = Chat(make_bot(engine, FAC), "fac-1", "Fran")
    for text in ("broadcast", "Hello", "No link", "A cohort", "Spring 2027", "At a set time"):
        await fran.say(text)
    assert "Tuesday 2 March 2027, 14:00?" in await fran.last("tomorrow 2pm")
    assert "Scheduled (broadcast #1)" in await fran.last("yes")
    assert await _broadcast_rows(engine, people) == []
    async with SqlStore(engine).transaction() as uow:
        [waiting] = await uow.broadcasts.unfinished()
    assert waiting.send_at == datetime(2027, 3, 2, 14, 0, tzinfo=UTC)
    assert "#1, Tuesday 2 March" in await fran.last("cancel broadcast")
    assert "Cancelled" in await fran.last("1")
    assert "No broadcast is waiting" in await fran.last("cancel broadcast")


async def test_status_list_and_resend_to_failed(engine: AsyncEngine, people: list[int]) -> None:
    wakes: list[int] = []
    fran = Chat(make_bot(engine, FAC, wakes=wakes), "fac-1", "Fran")
    assert "No broadcasts yet" in await fran.last("broadcasts")
    for text in ("broadcast", "Hello all", "No link", "Everyone", "Send now", "yes"):
        await fran.say(text)
    await _materialise(engine)
    async with engine.begin() as conn:
        await conn.execute(update(OutboxRow).values(status="sent"))
        await conn.execute(update(OutboxRow).where(OutboxRow.participant_id == people[0]).values(status="dead"))
        await conn.execute(update(OutboxRow).where(OutboxRow.participant_id == people[1]).values(status="unreachable"))
    status = await fran.last("broadcasts")
    for line in (
        "Sent: 4",
        "Failed: 1",
        "Unreachable: 1",
        "Pending: 0",
        "Could not be reached: Person 1",
        "Resend to failed: type `broadcast resend 1`",
    ):
        assert line in status
    assert "again to 1 person" in await fran.last("broadcast resend 1") and wakes == [1, 1]
    await _materialise(engine)
    keys = sorted(r.idempotency_key for r in await _broadcast_rows(engine, people[:2]))
    assert keys == [f"broadcast:1:{people[0]}:1", f"broadcast:1:{people[0]}:2", f"broadcast:1:{people[1]}:1"]
    assert "Nobody is waiting" in await fran.last("broadcast resend 1")


async def test_partners_cannot_broadcast(engine: AsyncEngine, people: list[int]) -> None:
    person = Chat(make_bot(engine, FAC), "u-0", "Person 0")
    for command in ("broadcast", "broadcasts", "cancel broadcast", "broadcast resend 1"):
        assert "facilitators do" in await person.last(command)


# --- The composer: the whole broadcast on one card (Teams, Web Chat and Slack carry forms) ---


async def _composer(engine: AsyncEngine, wakes: list[int] | None = None) -> Chat:
    """Fran in Teams with the composer card open (her chat in the test channel is another seat)."""
    fran = Chat(make_bot(engine, FAC | {"fac-teams"}, wakes=wakes), "fac-teams", "Fran", channel="msteams")
    await fran.say("broadcast")
    return fran


async def _reopen(fran: Chat) -> None:
    """Stop the broadcast under way and open a fresh composer."""
    await fran.say("cancel")
    await fran.say("broadcast")


def _submit(fran: Chat, **values: str) -> dict[str, str]:
    """The composer's Submit as Teams sends it: every input's value (empty ones as "") and the card's token."""
    fields = {"message": "", "link": "", "audience": "", "date": "", "time": ""}
    return {"form": "1", **fields, **values, "ask": fran.token}


async def _cohort_id(engine: AsyncEngine) -> int:
    async with SqlStore(engine).transaction() as uow:
        (cohort,) = await uow.cohorts.list_all()
    return cohort.id


async def test_the_composer_card_takes_the_whole_broadcast_and_the_confirmation_follows(
    engine: AsyncEngine, people: list[int]
) -> None:
    wakes: list[int] = []
    fran = await _composer(engine, wakes)
    card = fran.card()
    inputs = {e["id"]: e for e in card["body"] if e["type"].startswith("Input.")}
    assert list(inputs) == ["message", "link", "audience", "date", "time"]
    assert inputs["message"]["isMultiline"] and inputs["message"]["isRequired"]
    assert [c["title"] for c in inputs["audience"]["choices"]] == [
        "Everyone enrolled",
        "Cohort: Spring 2027",
        "Senior leaders",
        "BME colleagues",
        "People in both groups",
        "Both partners in active partnerships",
        "Both partners in quiet partnerships",
        "Both partners in inactive partnerships",
        "Both partners in paused partnerships",
    ]
    assert (inputs["date"]["type"], inputs["time"]["type"]) == ("Input.Date", "Input.Time")
    assert [a["title"] for a in card["actions"]] == ["Submit"]  # submitted once

    message = "Dear all,\nthe launch is on **Monday**.\n\n- Bring a question\n- Bring your partner"
    replies = await fran.say(
        value=_submit(
            fran, message=message, link="Book example.org/book", audience=f"cohort:{await _cohort_id(engine)}"
        )
    )
    preview, note, confirm = replies
    assert "From the programme team" in preview and "Dear all,\nthe launch is on **Monday**." in preview
    assert "Book: https://example.org/book" in preview
    shown = [block["text"] for block in fran.card(-3)["body"]]  # the preview card as Teams gets it
    assert shown[1:] == ["Dear all,\n\nthe launch is on **Monday**.", "- Bring a question\n- Bring your partner"]
    assert "It goes to Spring 2027: 6 people." in note
    assert "Send it to 6 people now?" in confirm and fran.cards[-1].token  # a confirmation card with its own token
    assert fran.updated[-1].inputs == () and fran.updated[-1].title == "New broadcast"  # the composer, read-only
    assert "On its way" in await fran.last(value=fran.click("yes", fran.token))
    await _materialise(engine)
    rows = await _broadcast_rows(engine, people)
    assert sorted(r.participant_id for r in rows) == people and wakes == [1]
    sent = Reply.from_dict(rows[0].payload)
    assert sent.text == message  # every line break kept
    assert [(a.title, a.url) for a in sent.actions] == [("Book", "https://example.org/book")]


async def test_a_time_on_the_composer_schedules_it(engine: AsyncEngine, people: list[int]) -> None:
    fran = await _composer(engine)
    replies = await fran.say(
        value=_submit(fran, message="Hello", audience="group:bme_colleague", date="2027-03-02", time="14:00")
    )
    assert "BME colleagues: fewer than 5 people." in replies[1]
    assert "Send it to fewer than 5 people on Tuesday 2 March 2027, 14:00?" in replies[-1]
    assert "Scheduled (broadcast #1)" in await fran.last(value=fran.click("yes", fran.token))
    async with SqlStore(engine).transaction() as uow:
        [waiting] = await uow.broadcasts.unfinished()
    assert waiting.send_at == datetime(2027, 3, 2, 14, 0, tzinfo=UTC)
    assert waiting.draft.audience.value == "bme_colleague" and waiting.draft.link_url == ""


async def test_a_half_filled_composer_asks_only_for_what_it_lacks(engine: AsyncEngine, people: list[int]) -> None:
    # No message (Slack does not insist on required inputs): the message on its own, in a multi-line box.
    fran = await _composer(engine)
    (asked,) = await fran.say(value=_submit(fran, audience="everyone"))
    assert asked.startswith("Thanks, I have kept what you filled in; the message itself was empty. What would you")
    box = next(e for e in fran.card()["body"] if e["type"] == "Input.Text")
    assert box["id"] == "answer" and box["isMultiline"]
    replies = await fran.say(value={"form": "1", "answer": "Line one\nLine two", "ask": fran.token})
    assert "Line one\nLine two" in replies[0] and "Send it to 6 people now?" in replies[-1]

    # A link that is not a web link: asked on its own (or "no link"); the card's audience is kept.
    await _reopen(fran)
    (asked,) = await fran.say(value=_submit(fran, message="Hello", link="Book http://example.org", audience="everyone"))
    assert asked.startswith("The link button on the card needs a look. I couldn't find a web link there.")
    assert "use https://" in asked and "Or type **no link** to send it without one." in asked
    replies = await fran.say("no link")
    assert "Open the link" not in replies[0] and "Send it to 6 people now?" in replies[-1]

    # No audience: asked on its own.
    await _reopen(fran)
    (asked,) = await fran.say(value=_submit(fran, message="Hello"))
    assert asked.startswith("Thanks, I have your message. Who should get it?")
    assert "Which group?" in await fran.last("A group")
    assert "Send it to fewer than 5 people now?" in await fran.last("Bme colleagues")

    # A day without a time: the day is kept and only the time asked.
    await _reopen(fran)
    replies = await fran.say(value=_submit(fran, message="Hello", audience="everyone", date="2027-03-02"))
    assert replies[-1].startswith("I have Tuesday 2 March 2027; what time? (Europe/London)")
    assert "Send it to 6 people on Tuesday 2 March 2027, 14:00?" in await fran.last("2pm")

    # A time already gone: said kindly, and asked again.
    await _reopen(fran)
    replies = await fran.say(value=_submit(fran, message="Hello", audience="everyone", date="2027-02-26", time="10:00"))
    assert (
        "Friday 26 February 2027, 10:00 has already passed." in replies[-1] and "When should it go out?" in replies[-1]
    )
    assert "Send it to 6 people on Wednesday 3 March 2027, 09:00?" in await fran.last("Wednesday 9am")
    assert await _broadcast_rows(engine, people) == []


async def test_a_message_too_long_on_the_composer_comes_back_to_shorten(engine: AsyncEngine, people: list[int]) -> None:
    fran = await _composer(engine)
    long = "Word " * 450
    (asked,) = await fran.say(value=_submit(fran, message=long, audience="everyone"))
    assert asked.startswith("That's a little long (2249 characters): please keep it under 2000.")
    box = next(e for e in fran.card()["body"] if e["type"] == "Input.Text")
    assert box["value"] == long.strip()  # handed back to shorten, not lost
    assert "Send it to 6 people now?" in await fran.last(value={"form": "1", "answer": "Word " * 10, "ask": fran.token})


async def test_a_message_typed_instead_of_the_composer_goes_step_by_step(
    engine: AsyncEngine, people: list[int]
) -> None:
    fran = await _composer(engine)
    assert "Add a link button?" in await fran.last("Launch on Monday\nSee you there")
    await fran.say("No link")
    await fran.say("Everyone")
    assert "Send it to 6 people now?" in await fran.last("Send now")
    await fran.say("yes")
    await _materialise(engine)
    rows = await _broadcast_rows(engine, people)
    assert Reply.from_dict(rows[0].payload).text == "Launch on Monday\nSee you there"


async def test_an_old_composer_card_never_sends(engine: AsyncEngine, people: list[int]) -> None:
    fran = await _composer(engine)
    old = _submit(fran, message="Old", audience="everyone")
    await fran.say(value=_submit(fran, message="New", audience="everyone"))
    assert "out of date" in (await fran.say(value=old))[0]
    await fran.say(value=fran.click("yes", fran.token))
    await _materialise(engine)
    assert {Reply.from_dict(r.payload).text for r in await _broadcast_rows(engine, people)} == {"New"}
