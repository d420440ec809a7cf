"""End to end over real HTTP: a facilitator sends the quarterly check-in poll; people
answer by card submit; the reminder reaches only the one who has not answered; results
are refused while the poll is open; the poll closes; the results match what was sent,
suppressed below 5, and the signed CSV link serves the same aggregates (no row per person)."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta

from bot import STORE
from domain.core.clock import FixedClock
from domain.core.identity import Identity, register
from domain.core.model import ConversationRef, Group
from tests.e2e.harness import Harness, TeamsUser, card_text, running, settings_for
from tests.e2e.test_guide_delivery import _jobs_at, _through_the_day
from tests.fakes.connector import Recorded

MONDAY = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)
NAMES = ["Ada", "Bo", "Cy", "Di", "Ed", "Flo"]


async def _cohort_of_six(h: Harness) -> list[TeamsUser]:
    """Six enrolled people with personal chats at the fake connector."""
    async with h.app[STORE].transaction() as uow:
        cohort = await uow.cohorts.create("Spring 2027", "SPRING", date(2027, 3, 1), 12, ["a"], MONDAY)
    people = []
    for name in NAMES:
        person = h.person(name)
        ref = ConversationRef(0, "msteams", h.connector.url, person.conversation_id, person.user_id, "28:bot")
        registered = await register(
            h.app[STORE], Identity("msteams", person.user_id, name, person.aad_object_id), ref, MONDAY
        )
        async with h.app[STORE].transaction() as uow:
            await uow.participants.save_enrolment(
                registered.id, cohort.id, Group.BOTH, [], "4w", "online", "Europe/London", MONDAY
            )
        people.append(person)
    return people


def _summaries(person: TeamsUser) -> list[str]:
    return [str(m.get("summary", "")) for m in person.new_messages()]


async def test_poll_answered_by_card_reminded_to_non_responders_closed_and_counted(database_url: str) -> None:
    clock = FixedClock(MONDAY)
    async with running(settings_for(database_url, facilitators=frozenset({"aad-fran"})), clock) as h:
        people = await _cohort_of_six(h)
        fran = h.person("Fran", aad_object_id="aad-fran")
        for text in ("create poll", "1", "1", "1", "1"):
            await fran.say(text)
        ready = card_text((await fran.say("1"))[-1])  # 08:00 in London: before working hours
        assert "Poll 1 is open. It's outside working hours, so invitations to 6 people go out from " in ready
        assert "Monday 1 March 2027, 09:00" in ready

        await _through_the_day(h, clock, date(2027, 3, 1))  # opens: invitations, from 09:00
        invitations = [_summaries(p) for p in people]
        assert all(len(s) == 1 for s in invitations)

        for person in people[:5]:  # five answer on the card; Flo does not
            form = await person.press({"command": "poll answer 1"})
            assert any("Input.ChoiceSet" in card_text(m) for m in form)
            thanks = await person.press({"form": "1", "met": "4+", "protected": "5", "help_next": "Nothing"})
            assert "without your name" in card_text(thanks[-1])

        await _through_the_day(h, clock, date(2027, 3, 8))  # reminder day
        reminded = {p.name: _summaries(p) for p in people}
        assert [name for name, s in reminded.items() if s] == ["Flo"]

        early = card_text((await fran.say("poll results 1"))[-1])  # open: five answered, nothing shown
        assert "once it has closed" in early and "close poll 1" in early and "5 of 6" in early
        assert "4+" not in early and "Strongly agree" not in early and "/exports/" not in early

        await _jobs_at(h, clock, MONDAY + timedelta(days=15, hours=2))  # after closing
        results = card_text((await fran.say("poll results 1"))[-1])
        assert "4+: 5 (100%)" in results and "Strongly agree: 5 (100%)" in results and "Nothing: 5 (100%)" in results
        assert "0: 0 (0%)" in results  # an option nobody chose
        # the six questions nobody answered are left out, counted in one line rather than noted one by one
        assert "6 questions hidden: fewer than 5 answers each." in results and "Do you have shared aims?" not in results
        late = await people[5].press({"command": "poll answer 1"})
        assert "isn't open" in card_text(late[-1])
        await _jobs_at(h, clock, datetime(2027, 3, 16, 23, 55, tzinfo=UTC))  # closing notes, over the working day
        closing = {
            p.name: [card_text(r.body) for r in p.all_messages() if "has now closed" in card_text(r.body)]
            for p in people
        }
        for name in NAMES[:5]:  # those who answered are thanked for taking part
            [note] = closing[name]
            assert "Thank you for taking part" in note
        [note] = closing["Flo"]  # Flo did not answer: told kindly it has closed, not thanked for taking part
        assert "has now closed, so there's nothing more to answer" in note and "thank" not in note.lower()

        token = results.split("/exports/")[1].split(".csv")[0]
        base = h.bot_url.removesuffix("/api/messages")
        async with h.http.get(f"{base}/exports/{token}.csv") as response:
            assert response.status == 200
            rows = list(csv.reader(io.StringIO(await response.text())))
        assert rows[0] == ["question", "answer", "count", "percent"]
        assert ["How many times have you met in the last three months?", "4+", "5", "100%"] in rows
        assert ["Do you have shared aims?", "", "fewer than 5 responses", ""] in rows
        cells = " ".join(cell for row in rows for cell in row)
        assert not any(re.search(rf"\b{name}\b", cells) for name in NAMES)


async def test_a_poll_opened_now_reaches_everyone_within_seconds_with_no_job_tick(database_url: str) -> None:
    """The jobs run hourly here, so only the facilitator's own confirmation can explain the delivery."""
    clock = FixedClock(MONDAY + timedelta(hours=2))  # 10:00 in London: working hours
    settings = settings_for(database_url, facilitators=frozenset({"aad-fran"}), jobs_interval_seconds=3600)
    async with running(settings, clock) as h:
        people = await _cohort_of_six(h)
        fran = h.person("Fran", aad_object_id="aad-fran")
        for text in ("create poll", "1", "1", "1"):
            await fran.say(text)
        confirm = card_text((await fran.say("1"))[-1])  # "Now"
        assert "opening now for 14 days" in confirm
        told = card_text((await fran.say("yes"))[-1])
        assert "Poll 1 is open. Invitations are going out now to 6 people" in told

        def everyone_invited(requests: list[Recorded]) -> bool:
            return {r.conversation_id for r in requests if r.is_activity} >= {p.conversation_id for p in people}

        await h.connector.wait_for(everyone_invited, within=20)
        for person in people:
            [invite] = person.new_messages()
            assert "Answer now" in card_text(invite) and "poll answer 1" in card_text(invite)
