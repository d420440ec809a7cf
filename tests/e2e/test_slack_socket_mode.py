"""Socket Mode over a real WebSocket on loopback: with SLACK_APP_TOKEN (and no signing secret)
the app opens Slack's connection, acknowledges each envelope at once and runs the same turns,
answering in the DM; there are no public /slack/... routes to call."""

from __future__ import annotations

from bot import SLACK_SOCKET
from tests.e2e.harness import settings_for
from tests.e2e.slack_harness import TEAM, running_both, slack_text
from tests.fakes.slack import APP_TOKEN


async def test_events_and_button_presses_arrive_over_socket_mode(database_url: str) -> None:
    settings = settings_for(database_url)
    async with running_both(settings, slack_signing_secret="", slack_app_token=APP_TOKEN) as both:
        await both.teams.app[SLACK_SOCKET].connected()
        await both.slack.wait_for(lambda _: bool(both.slack.sockets))
        sam = both.person("Sam", "USAM")
        event = {
            "type": "message",
            "channel_type": "im",
            "user": "USAM",
            "channel": "DUSAM",
            "text": "help",
            "ts": "1.1",
        }
        envelope = {"type": "event_callback", "team_id": TEAM, "event_id": "EvSOCKET1", "event": event}
        envelope_id = await both.slack.push("events_api", envelope)
        await both.slack.wait_for(lambda _: any(a.get("envelope_id") == envelope_id for a in both.slack.acks))
        await both.settle()
        [answer] = sam.new_messages()
        assert "Here's what I can do" in slack_text(answer)

        pressed = await both.slack.push(
            "interactive",
            {
                "type": "block_actions",
                "user": {"id": "USAM", "team_id": TEAM},
                "team": {"id": TEAM},
                "channel": {"id": "DUSAM"},
                "actions": [{"action_id": "plp:action:0", "value": '{"command":"support"}', "action_ts": "2.2"}],
            },
        )
        await both.slack.wait_for(lambda _: any(a.get("envelope_id") == pressed for a in both.slack.acks))
        await both.settle()
        assert sam.new_messages(), "the button press was answered in the DM"
        async with both.teams.http.post(both.base + "/slack/events", data=b"{}") as response:
            assert response.status == 404  # no signing secret: no HTTP route at all
