"""End to end over real HTTP across several simulated weeks (the jobs run as `bot.py
run-jobs --now` runs them): identical nudges to both partners, then separate private
check-ins, then an alert to facilitators; a logged meeting stops everything; nothing is
sent twice; one partner's private answer never reaches the other. Each simulated day runs
the jobs in the morning and again after everyone's working window, as messages are spread
over each person's working day."""

from __future__ import annotations

from datetime import date

from domain.core.clock import FixedClock
from tests.e2e.harness import Harness, TeamsUser, card_text, running, settings_for
from tests.e2e.test_guide_delivery import MONDAY_LAUNCH, _paired_couple, _through_the_day

NUDGE, CHECKIN = "A moment for your learning partnership", "Just checking in"
QUIET_ALERT, CONTACT_ALERT = "A partnership may need support", "A partner asked to be contacted"


def _with_title(person: TeamsUser, title: str) -> list[str]:
    """New messages to the person with this title (guide prompts also arrive meanwhile)."""
    return [card_text(m) for m in person.new_messages() if m.get("summary") == title]


def day(month: int, of_month: int) -> date:
    return date(2027, month, of_month)


async def _button(h: Harness, person: TeamsUser, text: str, title: str) -> dict:
    message = next(
        m for m in person.harness.connector.activities_to(person.conversation_id) if m.body.get("summary") == title
    ).body
    return next(a["data"] for a in message["attachments"][0]["content"]["actions"] if a["title"] == text)


async def test_the_escalation_ladder_and_a_logged_meeting_stopping_it(database_url: str) -> None:
    clock = FixedClock(MONDAY_LAUNCH)
    async with running(settings_for(database_url, facilitators=frozenset({"aad-fran"})), clock) as h:
        fran, asha, ben = await _paired_couple(h)
        fran.new_messages()

        await _through_the_day(h, clock, day(3, 22))  # three weeks: still fine
        assert _with_title(asha, NUDGE) == [] and _with_title(ben, NUDGE) == []

        await _through_the_day(h, clock, day(3, 29))  # four weeks without meeting: the same nudge to both
        asha_nudge, ben_nudge = _with_title(asha, NUDGE), _with_title(ben, NUDGE)
        assert len(asha_nudge) == 1 and asha_nudge == ben_nudge
        await _through_the_day(h, clock, day(3, 29))
        await _through_the_day(h, clock, day(4, 1))  # at most one a week
        assert _with_title(asha, NUDGE) == [] and _with_title(ben, CHECKIN) == []

        await _through_the_day(h, clock, day(4, 5))  # still quiet: a private check-in with each
        assert len(_with_title(asha, CHECKIN)) == 1 and len(_with_title(ben, CHECKIN)) == 1
        contact = await _button(h, asha, "I'd like the programme team to contact me", CHECKIN)
        thanks = await asha.press(contact)
        assert thanks and "programme team" in card_text(thanks[-1])
        await h.connector.wait_for(lambda _: len(fran.all_messages()) > fran.seen)
        contact_alerts = _with_title(fran, CONTACT_ALERT)
        assert len(contact_alerts) == 1 and "Asha" in contact_alerts[0]
        # The alert carries buttons: pausing starts at "how long?" for this very partnership.
        assert '"title": "View health"' in contact_alerts[0]
        pause = await _button(h, fran, "Pause partnership", CONTACT_ALERT)
        assert pause["command"].startswith("pause partnership ")
        assert "Pause it for how long?" in card_text((await fran.press(pause))[-1])
        assert "stopped" in card_text((await fran.say("cancel"))[-1]).lower()

        await _through_the_day(h, clock, day(4, 12))  # a week later: facilitators are alerted (pair and status only)
        (alert,) = _with_title(fran, QUIET_ALERT)
        assert "Asha" in alert and "Ben" in alert
        assert "contact me" not in alert.lower()

        # Ben logs a meeting: the ladder stops.
        await ben.say("we met")
        await ben.say("Today")
        for d in (19, 26):
            await _through_the_day(h, clock, day(4, d))
        assert _with_title(asha, NUDGE) + _with_title(asha, CHECKIN) == []
        assert _with_title(ben, NUDGE) + _with_title(ben, CHECKIN) == [] and _with_title(fran, QUIET_ALERT) == []

        # Nothing Asha said privately ever reached Ben.
        to_ben = ben.all_messages()
        assert all(r.body.get("summary") not in (CONTACT_ALERT, QUIET_ALERT) for r in to_ben)
        assert "asked to be contacted" not in "\n".join(card_text(r.body) for r in to_ben).lower()


async def test_a_pause_suppresses_nudges_and_the_partner_never_hears_why(database_url: str) -> None:
    clock = FixedClock(MONDAY_LAUNCH)
    async with running(settings_for(database_url, facilitators=frozenset({"aad-fran"})), clock) as h:
        _, asha, ben = await _paired_couple(h)
        await asha.say("pause")
        await asha.say("Clinical pressure")
        paused = await asha.say("1 month")
        assert "paused" in card_text(paused[-1]).lower()
        notice = await _next(h, ben)
        assert "paused" in notice.lower() and "clinical" not in notice.lower()

        await _through_the_day(h, clock, day(3, 29))  # would have been the nudge week
        assert _with_title(asha, NUDGE) == [] and _with_title(ben, NUDGE) == []
        await _through_the_day(h, clock, day(4, 5))  # the pause (to 1 April) is over: welcome back, no check-in
        asha_now, ben_now = asha.new_messages(), ben.new_messages()
        for messages in (asha_now, ben_now):
            titles = [m.get("summary") for m in messages]
            assert titles.count("Welcome back") == 1 and CHECKIN not in titles and NUDGE not in titles
        for when in ((4, 19), (4, 26)):  # the quiet clock restarted when the pause ended
            await _through_the_day(h, clock, day(*when))
        assert _with_title(asha, NUDGE) == [] and _with_title(ben, NUDGE) == []
        await _through_the_day(h, clock, day(5, 3))  # four weeks after resuming, still no meeting: a gentle nudge
        assert len(_with_title(asha, NUDGE)) == 1 and len(_with_title(ben, NUDGE)) == 1


async def _next(h: Harness, person: TeamsUser) -> str:
    await h.connector.wait_for(lambda _: len(person.all_messages()) > person.seen)
    return card_text(person.new_messages()[-1])
