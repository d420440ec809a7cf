"""The `dashboard` command is a neutral reply, so it works in Slack too: a facilitator configured by
workspace and Slack user id gets a Block Kit button with the single-use link, and it signs them in."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

from domain.core.clock import FixedClock
from tests.e2e.harness import settings_for
from tests.e2e.slack_harness import TEAM, running_both, slack_text
from tests.web.dashboard_client import DashboardClient

START = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


async def test_a_slack_facilitator_gets_a_sign_in_button_that_opens_the_dashboard(database_url: str) -> None:
    settings = settings_for(database_url, facilitators=frozenset({f"{TEAM}:UFRAN".lower()}))
    async with running_both(settings, FixedClock(START)) as both:
        fran = both.person("Fran", "UFRAN")
        answer = await fran.say("dashboard")
        assert "signs you in once" in slack_text(answer[-1])
        found = re.search(r"/dashboard/sign-in/[A-Za-z0-9._-]+", json.dumps(answer[-1]))
        assert found, answer[-1]
        client = DashboardClient.of(both.teams)
        assert (await client.post(found[0])).status == 303
        page = await client.get("/dashboard")
        assert page.status == 200 and "Signed in as Fran" in page.text

        sam = both.person("Sam", "USAM")
        refused = slack_text((await sam.say("dashboard"))[-1])
        assert "facilitators do" in refused and "/dashboard/" not in refused
