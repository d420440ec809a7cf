"""Slack's inbound contract over real HTTP: signatures and the 5-minute window (401), the URL
challenge, acknowledging before the turn runs, a retried event run once, bad bodies 4xx (never
5xx), workspaces outside ALLOWED_SLACK_TEAM_IDS refused, and the bot's own posts ignored."""

from __future__ import annotations

import asyncio
import json

from bot import SLACK_TURNS
from tests.e2e.harness import settings_for
from tests.e2e.slack_harness import Both, running_both, slack_text
from tests.fakes.slack import sign

HELLO = {"type": "message", "channel_type": "im", "user": "USAM", "channel": "DUSAM", "text": "help", "ts": "1.1"}


async def _help_posts(both: Both) -> int:
    await both.settle()
    return len(both.slack.posts_to("DUSAM"))


async def test_signatures_and_the_replay_window(database_url: str) -> None:
    async with running_both(settings_for(database_url)) as both:
        both.person("Sam", "USAM")
        assert (await both.event(HELLO))[0] == 200
        assert await _help_posts(both) == 1
        stale = both.now() - 301
        assert (await both.event(HELLO, timestamp=stale))[0] == 401
        # well past the window: the app's clock is the wall clock and keeps moving while the request travels
        assert (await both.event(HELLO, timestamp=both.now() + 330))[0] == 401
        assert (await both.event(HELLO, secret="not-the-secret"))[0] == 401
        assert (await both.event(HELLO, timestamp=both.now() - 290))[0] == 200  # inside the window
        body = json.dumps({"type": "event_callback"}).encode()
        async with both.teams.http.post(
            both.base + "/slack/events", data=body, headers={"Content-Type": "application/json"}
        ) as unsigned:
            assert unsigned.status == 401
        for bad in ("abc", "", "1" * 30):
            headers = {
                "X-Slack-Request-Timestamp": bad,
                "X-Slack-Signature": "v0=00",
                "Content-Type": "application/json",
            }
            async with both.teams.http.post(both.base + "/slack/events", data=body, headers=headers) as odd:
                assert odd.status == 401
        # A signed body changed on the way is refused too.
        tampered = {**sign(body, both.now()), "Content-Type": "application/json"}
        changed = json.dumps({**HELLO, "text": "pair 1 2"}).encode()
        async with both.teams.http.post(both.base + "/slack/events", data=changed, headers=tampered) as response:
            assert response.status == 401
        assert (await both.post("/slack/events", body, "application/json"))[0] == 200  # signed, nothing to run
        assert await _help_posts(both) == 2  # only the two valid requests ran a turn


async def test_url_verification_and_bad_bodies(database_url: str) -> None:
    async with running_both(settings_for(database_url, max_request_bytes=4096)) as both:
        challenge = {
            "type": "url_verification",
            "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
            "token": "x",
        }
        assert await both.post("/slack/events", json.dumps(challenge).encode(), "application/json") == (
            200,
            {"challenge": challenge["challenge"]},
        )
        assert (await both.post("/slack/events", b"{not json", "application/json"))[0] == 400
        assert (await both.post("/slack/events", b"[1, 2]", "application/json"))[0] == 400
        assert (await both.post("/slack/events", b'{"type": "url_verification"}', "application/json"))[0] == 400
        assert (await both.post("/slack/events", b"\xff\xfe", "application/json"))[
            0
        ] == 401  # not UTF-8: cannot be Slack's
        assert (await both.post("/slack/events", b"{}", "text/plain"))[0] == 415
        assert (await both.post("/slack/events", b" " * 5000, "application/json"))[0] == 413
        deep = b"[" * 2000 + b"]" * 2000
        assert (await both.post("/slack/events", deep[:4000], "application/json"))[0] == 400
        form = "application/x-www-form-urlencoded"
        assert (await both.post("/slack/interactivity", b"nothing=here", form))[0] == 400
        assert (await both.post("/slack/interactivity", b"payload=%7Bbroken", form))[0] == 400
        assert (await both.post("/slack/interactivity", b"payload=%5B%5D", form))[0] == 400
        odd_event = {"type": "message", "channel_type": "im", "user": ["not", "a", "string"], "channel": 7}
        assert (await both.event(odd_event))[0] == 200  # acknowledged, nothing to run
        assert (await both.interaction({"type": "block_actions", "user": {"id": "U1"}, "team": {"id": "T0TEST"}}))[
            0
        ] == 200
        await both.settle()
        assert both.slack.of("chat.postMessage") == []


async def test_the_ack_comes_before_the_turn_and_a_retry_runs_once(database_url: str) -> None:
    async with running_both(settings_for(database_url)) as both:
        both.person("Sam", "USAM")
        slow = both.slack.hold("users.info")  # Slack is slow to tell us who Sam is
        status, _ = await both.event(HELLO, event_id="Ev0RETRY1")
        assert status == 200 and both.teams.app[SLACK_TURNS].running == 1  # acknowledged; the turn still waits
        retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
        assert (await both.event(HELLO, event_id="Ev0RETRY1", headers=retry))[0] == 200
        slow.set()
        assert await _help_posts(both) == 1  # the retry of the same event ran no second turn
        assert (await both.event(HELLO, event_id="Ev0RETRY2"))[0] == 200
        assert await _help_posts(both) == 2  # a new event does


async def test_workspaces_outside_the_allow_list_are_refused(database_url: str) -> None:
    settings = settings_for(database_url)
    async with running_both(settings, allowed_slack_team_ids=frozenset({"T0TEST"})) as both:
        both.person("Sam", "USAM")
        assert (await both.event(HELLO, team="T0OTHER"))[0] == 200  # acknowledged, so Slack does not retry
        payload = {
            "type": "block_actions",
            "user": {"id": "USAM", "team_id": "T0OTHER"},
            "team": {"id": "T0OTHER"},
            "actions": [],
        }
        assert (await both.interaction(payload))[0] == 403
        await both.settle()
        assert [c.method for c in both.slack.calls] == ["auth.test"]  # only the start-up check
        assert (await both.event(HELLO))[0] == 200
        assert await _help_posts(both) == 1


async def test_our_own_posts_and_edits_get_no_answer(database_url: str) -> None:
    async with running_both(settings_for(database_url)) as both:
        both.person("Sam", "USAM")
        ours = {**HELLO, "bot_id": "BBOT", "user": "UBOT"}
        edited = {**HELLO, "subtype": "message_changed"}
        channel_message = {**HELLO, "channel_type": "channel", "channel": "C01"}
        for event in (ours, edited, channel_message):
            assert (await both.event(event))[0] == 200
        assert await _help_posts(both) == 0
        answered = await both.person("Sam", "USAM").say("hello there")
        assert "what i can do" in slack_text(answered[-1]).lower()
        assert both.teams.app[SLACK_TURNS].bot_user_id == "UBOT"  # learnt from auth.test at start
        assert (await both.event({**HELLO, "text": "<@UBOT> help", "ts": "3.3"}))[0] == 200  # a mention of the bot
        await both.settle()
        assert "Here's what I can do" in slack_text(both.person("Sam", "USAM").messages()[-1])


async def test_shutdown_drains_a_turn_under_way(database_url: str) -> None:
    async with running_both(settings_for(database_url)) as both:
        both.person("Sam", "USAM")
        slow = both.slack.hold("users.info")
        assert (await both.event(HELLO))[0] == 200
        turns = both.teams.app[SLACK_TURNS]
        closing = asyncio.ensure_future(turns.close())
        await both.slack.wait_for(lambda calls: any(c.method == "users.info" for c in calls))
        assert not closing.done() and turns.accept is not None
        assert (await both.event({**HELLO, "ts": "2.2"}))[0] == 503  # no new turns while draining: Slack retries
        slow.set()
        await closing
        assert len(both.slack.posts_to("DUSAM")) == 1  # the turn under way finished
