"""Parsing inbound activities: Teams payload fixtures, mentions, submits, installs, odd input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from botbuilder.schema import Activity, ChannelAccount, ConversationAccount, Entity

from channels.inbound import UserInput, clean_text, conversation_ref_fields, parse
from domain.core.model import ConversationRef

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
BOT_ID = "28:00000000-0000-4000-8000-00000000b071"
USER_ID = "29:1XJKJMvc5GBtc2JwZq0oj8tHZmzrQgFmB39ATiQWA85gQtHieVkKilBZ9XHoq9j7Zaqt7CZ-NJWi7me2kHTL3Bw"
AAD_ID = "7faf8ab2-3d56-4244-b585-20c8a42ed2b8"
TENANT = "00000000-0000-4000-8000-0000000000a1"
PERSONAL_CONVERSATION = (
    "a:17I0kl9EkpE1O9PH5TWrzrLNwnWWcfrU7QZjKR0WSfOpzbfcAg2IaydGElSo10tVr4C7"
    "Fc6GtieTJX663WuJCc1uA83n4CSrHSgGBj5XNYLcVlJAs2ZX8DbYBPck201w-"
)
SERVICE_URL = "https://smba.trafficmanager.net/amer/"


def load(name: str) -> dict[str, Any]:
    """A Teams payload fixture as JSON."""
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def parse_json(payload: dict[str, Any]) -> UserInput:
    """Deserialize like the adapter does, then parse."""
    return parse(Activity().deserialize(payload))


def parse_fixture(name: str) -> UserInput:
    """Parse a fixture file."""
    return parse_json(load(name))


# --- fixtures ----------------------------------------------------------------------------


def test_personal_message_fields() -> None:
    assert parse_fixture("teams_message_personal") == UserInput(
        kind="message",
        text="hello",
        value={},
        channel_id="msteams",
        user_id=USER_ID,
        user_name="Megan Bowen",
        aad_object_id=AAD_ID,
        conversation_id=PERSONAL_CONVERSATION,
        conversation_type="personal",
        is_group=False,
        tenant_id=TENANT,
        service_url=SERVICE_URL,
        bot_id=BOT_ID,
        bot_name="PLP Companion",
        activity_id="1485983408511",
        locale="en-US",
    )


def test_channel_mention_is_removed_and_conversation_is_a_group() -> None:
    user = parse_fixture("teams_message_channel_mention")
    assert (user.kind, user.text, user.is_group, user.conversation_type) == ("message", "hello", True, "channel")
    assert user.conversation_id.startswith("19:aebd0ad4d6ab42c8b9ed19c251c2fc37@thread.tacv2")


def test_card_submit_carries_the_value() -> None:
    user = parse_fixture("teams_card_action_submit")
    assert (user.kind, user.text, user.activity_id) == ("card_submit", "", "f:5261769396935243054")
    assert user.value == {"action": "approve", "ticket": 42, "comment": "looks good"}


def test_invoke_adaptive_card_action_merges_data_with_verb() -> None:
    user = parse_fixture("teams_invoke_adaptive_card_action")
    assert user.kind == "invoke"
    assert user.value == {"ticket": 42, "comment": "ship it", "verb": "doStuff"}


@pytest.mark.parametrize(
    ("name", "conversation_type", "is_group"),
    [
        ("teams_conversation_update_bot_added_personal", "personal", False),
        ("teams_conversation_update_bot_added_team", "channel", True),
        ("teams_installation_update_add", "channel", True),
    ],
)
def test_bot_added_is_install(name: str, conversation_type: str, is_group: bool) -> None:
    user = parse_fixture(name)
    assert (user.kind, user.conversation_type, user.is_group) == ("install", conversation_type, is_group)
    assert (user.tenant_id, user.bot_id, user.user_id) == (TENANT, BOT_ID, USER_ID)


def test_user_without_name_gets_empty_name() -> None:
    assert parse_fixture("teams_installation_update_add").user_name == ""


# --- kinds -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "kind"),
    [
        ("add", "install"),
        ("add-upgrade", "install"),
        ("remove", "uninstall"),
        ("remove-upgrade", "uninstall"),
        ("weird", "other"),
        (None, "other"),
    ],
)
def test_installation_update_actions(action: str | None, kind: str) -> None:
    payload = {**load("teams_installation_update_add"), "action": action}
    assert parse_json(payload).kind == kind


@pytest.mark.parametrize(
    ("added", "removed", "kind"),
    [
        ([{"id": BOT_ID}], None, "install"),
        ([{"id": USER_ID}], None, "other"),
        (None, [{"id": BOT_ID}], "uninstall"),
        (None, [{"id": USER_ID}], "other"),
        ([], [], "other"),
    ],
)
def test_conversation_update_membership(added: Any, removed: Any, kind: str) -> None:
    payload = {**load("teams_conversation_update_bot_added_personal"), "membersAdded": added, "membersRemoved": removed}
    assert parse_json(payload).kind == kind


def test_conversation_update_without_recipient_is_other() -> None:
    payload = load("teams_conversation_update_bot_added_personal")
    del payload["recipient"]
    assert parse_json(payload).kind == "other"


def test_message_back_with_text_and_value_is_card_submit() -> None:
    payload = {**load("teams_message_personal"), "text": "Senior leader", "value": {"choice": "senior"}}
    user = parse_json(payload)
    assert (user.kind, user.text, user.choice) == ("card_submit", "Senior leader", "senior")


@pytest.mark.parametrize(
    ("activity_type", "kind"),
    [
        ("typing", "other"),
        ("messageReaction", "other"),
        ("event", "other"),
        ("invoke", "invoke"),
    ],
)
def test_other_activity_types(activity_type: str, kind: str) -> None:
    user = parse_json({**load("teams_message_personal"), "type": activity_type, "name": "x/y"})
    assert (user.kind, user.value) == (kind, {})


@pytest.mark.parametrize("value", [None, "text", {"action": "not a dict"}, {"action": {}}])
def test_card_action_invoke_with_odd_value(value: Any) -> None:
    payload = {**load("teams_invoke_adaptive_card_action"), "value": value}
    expected = {"verb": ""} if value == {"action": {}} else {}
    assert parse_json(payload).value == expected


# --- text cleaning -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("<at>PLP Companion</at> hello", "hello"),
        ("<at>plp companion</at>   pair   me", "pair me"),
        ("hi <at>PLP Companion</at>, <at>Jane Doe</at>'s partner", "hi , Jane Doe's partner"),
        ("Tom &amp; Jerry&nbsp;&lt;3 &quot;ok&quot;", 'Tom & Jerry <3 "ok"'),
        ("&lt;at&gt;PLP Companion&lt;/at&gt; stays", "<at>PLP Companion</at> stays"),
        ("\n\t line one\r\n line two \n", "line one\nline two"),
        ("", ""),
    ],
)
def test_clean_text(raw: str, expected: str) -> None:
    assert clean_text(raw, BOT_ID, "PLP Companion") == expected


def test_mention_entity_text_is_removed_even_when_the_tag_differs_from_the_bot_name() -> None:
    payload = load("teams_message_channel_mention")
    payload["text"] = "<at>Companion</at> help <at>Companion</at>"
    payload["entities"][0]["text"] = "<at>Companion</at>"
    assert parse_json(payload).text == "help"


def test_mention_of_someone_else_is_kept_as_their_name() -> None:
    payload = load("teams_message_channel_mention")
    payload["text"] = "<at>Alex</at> hello"
    payload["entities"][0] = {
        "type": "mention",
        "mentioned": {"id": "29:alex", "name": "Alex"},
        "text": "<at>Alex</at>",
    }
    assert parse_json(payload).text == "Alex hello"


# --- properties and conversation reference -----------------------------------------------


@pytest.mark.parametrize(
    ("value", "text", "choice", "command_text"),
    [
        ({"choice": "both"}, "", "both", ""),
        ({"choice": ""}, "hi", None, "hi"),
        ({"command": "pause"}, "", None, "pause"),
        ({"command": 3}, "typed", None, "typed"),
        ({}, "help me", None, "help me"),
    ],
)
def test_choice_and_command_text(value: dict[str, Any], text: str, choice: str | None, command_text: str) -> None:
    user = UserInput(kind="card_submit", text=text, value=value)
    assert (user.choice, user.command_text) == (choice, command_text)


def test_conversation_ref_fields_build_a_conversation_ref() -> None:
    user = parse_fixture("teams_message_personal")
    ref = ConversationRef(participant_id=7, **conversation_ref_fields(user))
    assert ref == ConversationRef(
        participant_id=7,
        channel_id="msteams",
        service_url=SERVICE_URL,
        conversation_id=PERSONAL_CONVERSATION,
        user_id=USER_ID,
        bot_id=BOT_ID,
        bot_name="PLP Companion",
        tenant_id=TENANT,
        conversation_type="personal",
    )


def test_tenant_falls_back_to_conversation_tenant_id() -> None:
    payload = load("teams_message_personal")
    del payload["channelData"]
    assert parse_json(payload).tenant_id == TENANT


def test_locale_falls_back_to_client_info_entity() -> None:
    payload = load("teams_message_personal")
    del payload["locale"]
    payload["entities"][0]["locale"] = "en-GB"
    assert parse_json(payload).locale == "en-GB"


# --- odd and empty input -----------------------------------------------------------------


def test_empty_activity_parses_to_other_with_empty_fields() -> None:
    assert parse(Activity()) == UserInput(kind="other")
    assert parse_json({}) == UserInput(kind="other")


def test_message_missing_from_conversation_and_recipient() -> None:
    user = parse_json({"type": "message", "text": " hi "})
    assert user == UserInput(kind="message", text="hi")
    assert conversation_ref_fields(user)["conversation_type"] == "personal"


@pytest.mark.parametrize(
    "activity",
    [
        Activity(type="message", text=None, value="not a dict", channel_data="odd"),
        Activity(type="message", entities=[None, "x", Entity(type="mention")], channel_data=[1]),
        Activity(
            type="conversationUpdate",
            recipient=ChannelAccount(id=BOT_ID),
            members_added=[None, "x", ChannelAccount()],
            members_removed="nope",
        ),
        Activity(type="installationUpdate", action=5, conversation=ConversationAccount()),
        Activity(type=7, text=3, from_property="someone", recipient=42, conversation="c"),
    ],
)
def test_odd_activities_never_raise(activity: Activity) -> None:
    user = parse(activity)
    assert user.value == {} and user.user_id == "" and user.conversation_id == ""
    assert user.kind in ("message", "other")


def test_odd_channel_data_still_keeps_other_fields() -> None:
    payload = load("teams_message_personal")
    payload["channelData"] = {"tenant": "not a dict"}
    user = parse_json(payload)
    assert (user.tenant_id, user.text, user.user_id) == (TENANT, "hello", USER_ID)


def test_parse_copies_the_value() -> None:
    activity = Activity().deserialize(load("teams_card_action_submit"))
    user = parse(activity)
    activity.value["ticket"] = 0
    assert user.value["ticket"] == 42


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("one\ntwo\r\n\n  three  ", "one\ntwo\nthree"),
        ("one<br>two<br/>three", "one\ntwo\nthree"),
        ("  spaced   out  ", "spaced out"),
    ],
)
def test_clean_text_keeps_line_breaks_but_tidies_spaces(raw: str, expected: str) -> None:
    assert clean_text(raw, "28:bot", "PLP Companion") == expected
