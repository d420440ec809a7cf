"""The App Home tab over real HTTP: a newcomer sees how to join; a partner sees their partner,
next meeting and latest guide prompt with buttons that answer in the DM; a facilitator sees
the cohort summary with counts under 5 hidden. Never anyone's programme group."""

from __future__ import annotations

import json

from domain.core.clock import FixedClock
from tests.e2e.harness import settings_for
from tests.e2e.slack_harness import running_both, slack_text
from tests.e2e.test_guide_delivery import MONDAY_LAUNCH, _through_the_day
from tests.e2e.test_slack_enrol_and_pair import pair_in_slack


async def test_the_home_tab_for_a_newcomer_a_partner_and_a_facilitator(database_url: str) -> None:
    clock = FixedClock(MONDAY_LAUNCH)
    async with running_both(settings_for(database_url, facilitators=frozenset({"fran@trust.nhs.uk"})), clock) as both:
        newcomer = both.person("Nia", "UNIA")
        first = json.dumps(await newcomer.open_home())
        assert "Welcome to the PLP Companion" in first and "join" in first

        fran, asha, _ = await pair_in_slack(both)
        await _through_the_day(both.teams, clock, MONDAY_LAUNCH.date())  # a guide prompt arrives
        home = await asha.open_home()
        shown = json.dumps(home)
        assert home["type"] == "home" and "Ben Jones" in shown and "None booked yet" in shown
        assert "Your latest guide prompt" in shown
        assert "minority" not in shown.lower() and "senior leader" not in shown.lower()
        asha.new_messages()
        answered = await asha.press("Meetings", where="home")  # a Home button answers in the DM
        assert answered and "meeting" in slack_text(answered[-1]).lower()

        facilitator_home = json.dumps(await fran.open_home())
        assert "Spring 2027" in facilitator_home and "fewer than 5 enrolled" in facilitator_home
        assert "Participants" in facilitator_home
        assert "Ben Jones" not in facilitator_home  # no one's details on the summary
