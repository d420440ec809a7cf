"""Slack events and interactions as the same neutral input a Teams activity gives: a typed
message, a card submit with its value, the app opened for the first time; people keyed by
workspace and user; our own posts, edits and odd payloads ignored without raising."""

from __future__ import annotations

from typing import Any

import pytest

from channels.inbound import parse
from channels.slack.inbound import SlackTurn, event_turn, interaction_turn, to_activity
from channels.slack.mrkdwn import from_slack

MESSAGE = {"type": "message", "channel_type": "im", "user": "U1", "channel": "D1", "text": "join K7TQ3M", "ts": "1.2"}


def _envelope(event: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"type": "event_callback", "team_id": "T1", "event_id": "Ev1", "event": event, **extra}


def test_a_direct_message_is_a_typed_message_from_the_workspace_person() -> None:
    turn = event_turn(_envelope(MESSAGE))
    assert turn == SlackTurn("message", "Ev1", "T1", "T1", "U1", "D1", text="join K7TQ3M")
    user = parse(to_activity(turn, "Asha Patel", "https://slack.com/api/", "UBOT"))
    assert (user.kind, user.text, user.channel_id, user.user_id, user.user_name) == (
        "message", "join K7TQ3M", "slack", "T1:U1", "Asha Patel",
    )  # fmt: skip
    assert (user.conversation_id, user.conversation_type, user.is_group, user.tenant_id) == (
        "D1",
        "personal",
        False,
        "T1",
    )
    assert user.activity_id == "Ev1" and user.service_url == "https://slack.com/api/"


def test_an_org_wide_install_keys_people_by_the_enterprise() -> None:
    turn = event_turn(_envelope(MESSAGE, enterprise_id="E1", is_enterprise_install=True))
    assert turn is not None and turn.person_key == "E1:U1" and turn.team_id == "T1"


@pytest.mark.parametrize(
    "event",
    [
        {**MESSAGE, "bot_id": "B1"},
        {**MESSAGE, "subtype": "message_changed"},
        {**MESSAGE, "channel_type": "channel"},
        {**MESSAGE, "user": ""},
        {**MESSAGE, "user": ["U1"]},
        {**MESSAGE, "user": "U" * 200},
        {"type": "reaction_added", "user": "U1"},
        "not an event",
    ],
)
def test_what_is_not_a_person_writing_to_us_is_ignored(event: Any) -> None:
    assert event_turn(_envelope(event)) is None


def test_opening_the_app_home_and_messages_tabs() -> None:
    home = event_turn(_envelope({"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"}))
    messages = event_turn(_envelope({"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "messages"}))
    assert home is not None and home.kind == "home"
    assert messages is not None and messages.kind == "install"
    assert parse(to_activity(messages, "Sam", "u", "UBOT")).kind == "install"


def test_a_button_press_is_a_card_submit_with_the_buttons_data() -> None:
    payload = {
        "type": "block_actions",
        "user": {"id": "U1", "team_id": "T1"},
        "team": {"id": "T1"},
        "channel": {"id": "D1"},
        "actions": [{"action_id": "plp:action:0", "value": '{"command":"meeting accept 4 0"}', "action_ts": "9.9"}],
    }
    turn = interaction_turn(payload)
    assert turn == SlackTurn(
        "card_submit", "act:U1:9.9", "T1", "T1", "U1", "D1", value={"command": "meeting accept 4 0"}
    )
    user = parse(to_activity(turn, "Sam", "u", "UBOT"))
    assert user.kind == "card_submit" and user.command_text == "meeting accept 4 0"


def test_a_press_names_the_message_that_held_the_button_as_the_card_it_answers() -> None:
    payload = {
        "type": "block_actions",
        "user": {"id": "U1", "team_id": "T1"},
        "team": {"id": "T1"},
        "container": {"type": "message", "message_ts": "1700000000.000042", "channel_id": "D1", "is_ephemeral": False},
        "channel": {"id": "D1", "name": "directmessage"},
        "actions": [{"action_id": "plp:choice:0", "value": '{"choice":"yes","ask":"t1"}', "action_ts": "9.9"}],
    }
    turn = interaction_turn(payload)
    assert turn is not None and turn.message_ts == "1700000000.000042"
    assert to_activity(turn, "Sam", "u", "UBOT").reply_to_id == "1700000000.000042"
    on_home = {**payload, "container": {"type": "view", "view_id": "V1", "message_ts": "1.1"}}
    turn = interaction_turn(on_home)
    assert turn is not None and turn.message_ts == "" and to_activity(turn, "Sam", "u", "UBOT").reply_to_id is None


def test_a_press_on_the_home_tab_has_no_channel_yet_and_a_modal_submits_its_form() -> None:
    press = {
        "type": "block_actions",
        "user": {"id": "U1"},
        "team": {"id": "T1"},
        "container": {"type": "view", "view_id": "V1"},
        "actions": [{"action_id": "plp:action:1", "value": '{"command":"guide"}', "action_ts": "1.1"}],
    }
    turn = interaction_turn(press)
    assert turn is not None and turn.channel == "" and turn.value == {"command": "guide"}
    modal = {
        "type": "view_submission",
        "user": {"id": "U1"},
        "team": {"id": "T1"},
        "view": {
            "id": "V2",
            "hash": "h1",
            "state": {"values": {"plp:input:a": {"a": {"type": "plain_text_input", "value": "x"}}}},
        },
    }
    submitted = interaction_turn(modal)
    assert (
        submitted is not None and submitted.value == {"a": "x", "form": "1"} and submitted.delivery_id == "view:V2:h1"
    )


@pytest.mark.parametrize(
    "payload",
    [
        {"type": "block_actions", "user": {"id": "U1"}, "team": {"id": "T1"}, "actions": []},
        {"type": "block_actions", "user": {"id": "U1"}, "team": {"id": "T1"}, "actions": [{"action_id": "plp:link:0"}]},
        {
            "type": "block_actions",
            "user": {},
            "team": {"id": "T1"},
            "actions": [{"action_id": "plp:action:0", "value": "{}"}],
        },
        {"type": "shortcut", "user": {"id": "U1"}, "team": {"id": "T1"}},
        {"type": "view_submission", "user": {"id": "U1"}, "team": {"id": "T1"}, "view": "x"},
    ],
)
def test_interactions_that_carry_nothing_for_us_are_ignored(payload: dict[str, Any]) -> None:
    assert interaction_turn(payload) is None


def test_slack_markup_becomes_plain_text() -> None:
    typed = "<@UBOT> meet &lt;soon&gt; &amp; <https://teams.example/j/1|https://teams.example/j/1>\n\n<@U2|sam> <!here>"
    assert from_slack(typed, "UBOT") == "meet <soon> & https://teams.example/j/1\n@sam @here"
