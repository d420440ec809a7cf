"""End to end over real HTTP: a paired couple receives guide prompts at the right local
time, not twice when the jobs run again, and not while the partnership is paused. Jobs
are driven exactly as `python bot.py run-jobs --now …` drives them (run_jobs_once)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from bot import STORE, run_jobs_once
from domain.core.clock import FixedClock
from domain.core.model import PartnershipStatus
from tests.e2e.harness import Harness, TeamsUser, card_text, running, settings_for
from tests.e2e.test_enrol_and_pair import create_cohort

MONDAY_LAUNCH = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)


async def _enrol(person: TeamsUser, code: str, group: str, time_zone: str) -> None:
    await person.install()
    for text in (f"join {code}", "I agree", group, "About me.", "Hopes.", "Mornings.", "2", "online"):
        await person.say(text)
    await person.say(time_zone)
    await person.say("confirm")


async def _paired_couple(h: Harness) -> tuple[TeamsUser, TeamsUser, TeamsUser]:
    fran = h.person("Fran", aad_object_id="aad-fran")
    await fran.install()
    code = await create_cohort(fran)
    asha, ben = h.person("Asha"), h.person("Ben")
    await _enrol(asha, code, "2", "Europe/London")
    await _enrol(ben, code, "1", "Asia/Kolkata")
    await fran.say("pair")
    await fran.say("1")
    await fran.say("1")
    await fran.say("yes")
    await h.connector.wait_for(lambda _: len(asha.all_messages()) > asha.seen and len(ben.all_messages()) > ben.seen)
    asha.new_messages(), ben.new_messages()  # the introductions
    return fran, asha, ben


async def _jobs_at(h: Harness, clock: FixedClock, when: datetime) -> dict[str, int]:
    clock.current = when
    return await run_jobs_once(h.app)


async def _through_the_day(h: Harness, clock: FixedClock, day: date) -> None:
    """The jobs at 09:00 UTC, then once more after everyone's working window has ended, so
    whatever was spread over each person's working day has been sent."""
    await _jobs_at(h, clock, datetime.combine(day, time(9, 0), tzinfo=UTC))
    await _jobs_at(h, clock, datetime.combine(day, time(23, 55), tzinfo=UTC))


async def _due_times(h: Harness, person: TeamsUser, kind: str) -> set[datetime]:
    """When the outbox has this person's messages of `kind` due."""
    async with h.app[STORE].transaction() as uow:
        found = await uow.participants.find_by_user("msteams", person.user_id)
        assert found is not None
        return {m.due_at for m in await uow.outbox.list_for(found.id) if m.kind == kind}


def _texts(messages: list[dict]) -> list[str]:
    """Message texts; compare them sorted, since concurrent sends may arrive in any order."""
    return [card_text(m) for m in messages]


async def test_prompts_arrive_in_local_working_hours_once_and_not_while_paused(database_url: str) -> None:
    clock = FixedClock(MONDAY_LAUNCH)
    async with running(settings_for(database_url, facilitators=frozenset({"aad-fran"})), clock) as h:
        _, asha, ben = await _paired_couple(h)

        # 08:00 UTC on launch Monday: 13:30 in Kolkata (working hours), 08:00 in London (not yet).
        # Each gets the launch-week prompts at their own point of their own working day.
        await _jobs_at(h, clock, MONDAY_LAUNCH)
        [ben_due], [asha_due] = await _due_times(h, ben, "guide_prompt"), await _due_times(h, asha, "guide_prompt")
        assert MONDAY_LAUNCH <= ben_due < datetime(2027, 3, 1, 11, 30, tzinfo=UTC)  # Kolkata's day ends 17:00
        assert datetime(2027, 3, 1, 9, 0, tzinfo=UTC) < asha_due < datetime(2027, 3, 1, 17, 0, tzinfo=UTC)
        await _jobs_at(h, clock, min(ben_due, asha_due) - timedelta(seconds=1))
        assert asha.new_messages() == [] and ben.new_messages() == []
        await _jobs_at(h, clock, ben_due)
        ben_week0 = _texts(ben.new_messages())
        assert len(ben_week0) == 2
        await _jobs_at(h, clock, asha_due)
        asha_week0 = _texts(asha.new_messages())
        assert sorted(asha_week0) == sorted(ben_week0)
        # Re-running sends nothing more to anyone.
        await _jobs_at(h, clock, datetime(2027, 3, 1, 17, 30, tzinfo=UTC))
        assert asha.new_messages() == [] and ben.new_messages() == []

        # Week 1 (the next Monday): the same week-1 prompts to both, word for word.
        await _through_the_day(h, clock, date(2027, 3, 8))
        asha_week1, ben_week1 = _texts(asha.new_messages()), _texts(ben.new_messages())
        assert sorted(asha_week1) == sorted(ben_week1) and len(asha_week1) == 2
        assert any("How did you each come to work in the NHS?" in text for text in asha_week1)
        assert not any("Asha" in text or "Ben" in text for text in asha_week1)

        # Paused: week 2 passes in silence; after resuming, week 2's prompts arrive.
        partnership_id = await _partnership_id(h)
        await _set_status(h, partnership_id, PartnershipStatus.PAUSED)
        await _through_the_day(h, clock, date(2027, 3, 15))
        assert asha.new_messages() == [] and ben.new_messages() == []
        await _set_status(h, partnership_id, PartnershipStatus.ACTIVE)
        await _through_the_day(h, clock, date(2027, 3, 16))
        assert len(asha.new_messages()) == 2 and len(ben.new_messages()) == 2


async def test_guide_and_support_on_demand(database_url: str) -> None:
    clock = FixedClock(MONDAY_LAUNCH)
    async with running(settings_for(database_url, facilitators=frozenset({"aad-fran"})), clock) as h:
        _, asha, _ = await _paired_couple(h)
        await _through_the_day(h, clock, date(2027, 3, 8))
        asha.new_messages()
        overview = card_text((await asha.say("guide"))[-1])
        assert "Your Guide for Learning Partners" in overview and "Getting to know each other" in overview
        # Matched at launch but first run a week later: the two oldest due prompts come first.
        earlier = card_text((await asha.say("guide earlier"))[-1])
        assert "Offer a few dates for a first conversation" in earlier
        support = card_text((await asha.press({"command": "support"}))[-1])
        assert "Samaritans" in support and "999" in support  # the short card keeps the crisis options
        assert '"title": "More options"' in support and "Acas" not in support
        more = card_text((await asha.press({"command": "support all"}))[-1])  # the card's More options
        assert "Every support option" in more and "Acas" in more and "NHS Talking Therapies" in more
        assert "Samaritans" in more and "More options" not in more
        assert "Acas" in card_text((await asha.say("support more options"))[-1])  # typed works too
        assert "Saved for later" in card_text((await asha.press({"command": "guide save P3-2"}))[-1])
        assert "When did you first notice your own ethnicity mattering at work?" in card_text(
            (await asha.say("guide saved"))[-1]
        )


def _titled(messages: list[dict], title: str) -> str:
    """The one message with this title (concurrent sends may arrive in any order)."""
    (found,) = [card_text(m) for m in messages if title in card_text(m)]
    return found


async def _partnership_id(h: Harness) -> int:
    async with h.app[STORE].transaction() as uow:
        (partnership,) = await uow.partnerships.list_active()
    return partnership.id


async def _set_status(h: Harness, partnership_id: int, status: PartnershipStatus) -> None:
    async with h.app[STORE].transaction() as uow:
        await uow.partnerships.set_status(partnership_id, status)


async def test_both_partners_complete_aims_and_both_see_them(database_url: str) -> None:
    clock = FixedClock(MONDAY_LAUNCH)
    async with running(settings_for(database_url, facilitators=frozenset({"aad-fran"})), clock) as h:
        fran, asha, ben = await _paired_couple(h)
        # Week 3: the invitation to note hopes reaches both, in the same words. Monday's budget of two
        # goes to the guide prompts (they come first), so the invitation waits for Tuesday.
        await _through_the_day(h, clock, date(2027, 3, 22))
        assert [m for m in asha.new_messages() if "What do you each hope for?" in card_text(m)] == []
        await _through_the_day(h, clock, date(2027, 3, 23))
        asha_invite, ben_invite = (
            _titled(person.new_messages(), "What do you each hope for?") for person in (asha, ben)
        )
        assert asha_invite == ben_invite

        await asha.press({"command": "aims"})
        await asha.say("How the board weighs risk.")
        waiting = card_text((await asha.say("Ward-level insight."))[-1])
        assert "once Ben has added theirs" in waiting
        assert ben.new_messages() == []  # nothing of Asha's reaches Ben yet

        await ben.say("aims")
        await ben.say("What night shifts are like.")
        both_for_ben = card_text((await ben.say("Budget know-how."))[-1])
        await h.connector.wait_for(lambda _: len(asha.all_messages()) > asha.seen)
        both_for_asha = card_text(asha.new_messages()[-1])
        for seen in (both_for_ben, both_for_asha):
            assert "How the board weighs risk." in seen and "What night shifts are like." in seen

        await asha.say("aims propose")
        await asha.say("Listen without fixing\nVisit each other's sites")
        await h.connector.wait_for(lambda _: len(ben.all_messages()) > ben.seen)
        proposal = ben.new_messages()[-1]
        accept = next(a["data"] for a in proposal["attachments"][0]["content"]["actions"] if a["title"] == "Accept")
        agreed_for_ben = card_text((await ben.press(accept))[-1])
        await h.connector.wait_for(lambda _: len(asha.all_messages()) > asha.seen)
        agreed_for_asha = card_text(asha.new_messages()[-1])
        for seen in (agreed_for_ben, agreed_for_asha):
            assert "Listen without fixing" in seen and "Visit each other's sites" in seen

        listing = card_text((await fran.say("participants"))[-1])
        assert "aims agreed" in listing and "Listen without fixing" not in listing
