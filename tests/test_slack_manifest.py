"""slack_app/manifest.yml asks for exactly the scopes the code uses: each Web API method the
companion calls and each event it subscribes to, mapped to the scope Slack requires for it."""

from __future__ import annotations

import ast
from pathlib import Path

import yaml

from channels.slack.endpoint import EVENTS_PATH, INTERACTIVITY_PATH

ROOT = Path(__file__).resolve().parents[1]
# Slack's documented requirement for each bot-token method and event we use.
METHOD_SCOPES = {
    "chat_postMessage": {"chat:write"},
    "chat_update": {"chat:write"},  # an answered card redrawn read-only
    "conversations_open": {"im:write"},
    "users_info": {"users:read", "users:read.email"},  # the email needs its own scope
    "views_publish": set(),
    "auth_test": set(),
}
EVENT_SCOPES = {"message.im": {"im:history"}, "app_home_opened": set()}


def _methods_called() -> set[str]:
    """Every `self.client.<method>(...)` in the Slack Web API wrapper."""
    tree = ast.parse((ROOT / "channels/slack/api.py").read_text())
    return {
        node.func.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Attribute)
        and node.func.value.attr == "client"
    }


def test_the_manifest_asks_for_exactly_the_scopes_used() -> None:
    manifest = yaml.safe_load((ROOT / "slack_app/manifest.yml").read_text())
    called = _methods_called()
    assert called == set(METHOD_SCOPES)  # a new method needs its scope written down here first
    events = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    assert events == set(EVENT_SCOPES)
    needed = set().union(*(METHOD_SCOPES[m] for m in called), *(EVENT_SCOPES[e] for e in events))
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == needed


def test_the_manifest_points_at_our_routes_and_the_home_tab() -> None:
    manifest = yaml.safe_load((ROOT / "slack_app/manifest.yml").read_text())
    settings = manifest["settings"]
    assert settings["event_subscriptions"]["request_url"].endswith(EVENTS_PATH)
    assert settings["interactivity"]["request_url"].endswith(INTERACTIVITY_PATH)
    assert settings["interactivity"]["is_enabled"] is True
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert manifest["features"]["app_home"]["messages_tab_enabled"] is True
