"""End to end over real HTTP, in Slack: a facilitator writes a broadcast of several lines on the
composer (Block Kit inputs, one Submit), sees the preview and the confirmation, and presses Yes.
Each answered card is redrawn in place, read-only, with chat.update on the message that held it
(its ts from the click's container); people get the broadcast with its line breaks. When Slack
refuses the redraw, the answer still counts, the turn goes on, and the log names only Slack's code."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from domain.core.clock import FixedClock
from tests.e2e.harness import card_text, settings_for
from tests.e2e.slack_harness import TEAM, running_both, slack_text
from tests.e2e.test_broadcast_delivery import _dispatch_until_settled
from tests.e2e.test_slack_broadcast_and_poll import START, _mixed_cohort, _pace

MESSAGE = "Dear all,\nthe launch is on **Monday**.\n\nBring a question & a friend."


def _kinds(message: dict[str, Any]) -> list[str]:
    return [block["type"] for block in message.get("blocks", [])]


async def test_the_composer_and_the_confirmation_are_redrawn_answered(database_url: str) -> None:
    clock = FixedClock(START)
    settings = settings_for(database_url, facilitators=frozenset({f"{TEAM}:UFRAN".lower()}))
    async with running_both(settings, clock, pace=_pace(clock)) as both:
        teams, slack = await _mixed_cohort(both)
        fran = both.person("Fran", "UFRAN")

        [composer] = await fran.say("broadcast")
        elements = {b["element"]["action_id"]: b["element"] for b in composer["blocks"] if b["type"] == "input"}
        assert list(elements) == ["message", "link", "audience", "date", "time"]
        assert elements["message"]["multiline"] and elements["audience"]["type"] == "static_select"
        assert (elements["date"]["type"], elements["time"]["type"]) == ("datepicker", "timepicker")

        preview, note, confirm = await fran.submit({"message": MESSAGE, "audience": "everyone"})
        assert "Dear all,\\nthe launch is on *Monday*." in slack_text(preview)  # Slack's line break, as typed
        assert "6 people" in slack_text(note) and "Send it to 6 people now?" in slack_text(confirm)
        [redrawn] = fran.updates()
        assert redrawn["ts"] == composer["_ts"] and redrawn["channel"] == fran.channel
        assert "input" not in _kinds(redrawn) and "actions" not in _kinds(redrawn)  # read-only now
        assert "New broadcast" in slack_text(redrawn) and "Answered." in slack_text(redrawn)

        [done] = await fran.press("Yes")
        assert "On its way" in slack_text(done)
        _, answered = fran.updates()
        assert answered["ts"] == confirm["_ts"]  # the message whose Yes was pressed
        assert "actions" not in _kinds(answered)
        assert "Send it to 6 people now?" in slack_text(answered) and "Answered: *Yes*" in slack_text(answered)
        assert both.slack.shown[(fran.channel, confirm["_ts"])]["blocks"] == answered["blocks"]

        await _dispatch_until_settled(both.teams, clock)
        di = slack[0]
        [received] = di.messages()
        texts = [b["text"]["text"] for b in received["blocks"] if b["type"] == "section"]
        assert texts == ["Dear all,\nthe launch is on *Monday*.", "Bring a question &amp; a friend."]
        [card] = teams[0].all_messages()
        assert "Dear all,\\n\\nthe launch is on **Monday**." in card_text(card.body)  # a line break in Teams


async def test_a_redraw_slack_refuses_never_fails_the_turn(database_url: str, caplog: pytest.LogCaptureFixture) -> None:
    clock = FixedClock(START)
    settings = settings_for(database_url, facilitators=frozenset({f"{TEAM}:UFRAN".lower()}))
    async with running_both(settings, clock, pace=_pace(clock)) as both:
        await _mixed_cohort(both)
        fran = both.person("Fran", "UFRAN")
        await fran.say("broadcast")
        both.slack.fail("chat.update", "cant_update_message", times=5)
        caplog.set_level(logging.INFO)
        *_, confirm = await fran.submit({"message": "Private words for the cohort", "audience": "everyone"})
        assert "Send it to 6 people now?" in slack_text(confirm)
        [done] = await fran.press("Yes")
        assert "On its way" in slack_text(done)
        assert fran.updates() == [] and len(both.slack.of("chat.update")) == 2  # both tried, neither taken
        refused = [r.getMessage() for r in caplog.records if "not redrawn" in r.getMessage()]
        assert refused == ["Slack message not redrawn (slack: cant_update_message)"] * 2
        assert not any("Private words" in r.getMessage() for r in caplog.records)
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
