"""Slack's settings: read from the environment, Slack switched on by a bot token with a signing
secret (HTTP) or an app token (Socket Mode), half-configured Slack refused, production needing
ALLOWED_SLACK_TEAM_IDS, and a Slack-only production bot serving no unauthenticated Teams route."""

from __future__ import annotations

import pytest
from aiohttp import web

from bot import create_app
from config import SLACK_API_URL, ConfigError, Settings

SLACK = {"SLACK_BOT_TOKEN": " xoxb-1 ", "SLACK_SIGNING_SECRET": " s3cret "}


def _from(environ: dict[str, str]) -> Settings:
    return Settings.from_env(environ, env_file=None)


def test_slack_is_off_by_default_and_teams_serves_as_before() -> None:
    settings = _from({})
    assert not settings.slack_enabled and settings.teams_enabled and settings.slack_api_url == SLACK_API_URL


def test_a_bot_token_and_signing_secret_alone_switch_slack_on_in_development() -> None:
    settings = _from({**SLACK, "SLACK_API_URL": "http://127.0.0.1:9000/api", "ALLOWED_SLACK_TEAM_IDS": "t01, T02"})
    assert settings.slack_enabled and not settings.slack_socket_mode
    assert (settings.slack_bot_token, settings.slack_signing_secret) == ("xoxb-1", "s3cret")
    assert settings.slack_api_url == "http://127.0.0.1:9000/api/"
    assert settings.allowed_slack_team_ids == frozenset({"T01", "T02"})


def test_an_app_token_means_socket_mode() -> None:
    settings = _from({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1-abc"})
    assert settings.slack_enabled and settings.slack_socket_mode


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"),
        ({"SLACK_SIGNING_SECRET": "s"}, "SLACK_BOT_TOKEN"),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xoxb-2"}, "xapp-"),
        ({**SLACK, "SLACK_API_URL": "ftp://x"}, "SLACK_API_URL"),
        ({**SLACK, "PLP_ENV": "production"}, "ALLOWED_SLACK_TEAM_IDS"),
    ],
)
def test_half_configured_or_open_slack_is_refused(environ: dict[str, str], named: str) -> None:
    with pytest.raises(ConfigError, match=named):
        _from(environ)


def test_production_may_run_slack_alone_without_the_unauthenticated_teams_route() -> None:
    settings = _from({**SLACK, "PLP_ENV": "production", "ALLOWED_SLACK_TEAM_IDS": "T01"})
    assert settings.slack_enabled and not settings.teams_enabled
    routes = {(r.method, r.resource.canonical) for r in create_app(settings).router.routes() if r.resource}
    assert ("POST", "/slack/events") in routes and ("POST", "/slack/interactivity") in routes
    assert ("POST", "/api/messages") not in routes
    assert ("GET", "/healthz") in routes


def test_development_serves_teams_and_slack_on_one_port() -> None:
    app: web.Application = create_app(_from(SLACK))
    paths = {r.resource.canonical for r in app.router.routes() if r.resource}
    assert {"/api/messages", "/slack/events", "/slack/interactivity", "/healthz"} <= paths
