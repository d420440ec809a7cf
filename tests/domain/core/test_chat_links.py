"""Chat links by identity: a Teams chat for Teams people, a Slack DM for Slack people in the same
workspace, and nothing across platforms or workspaces (neither could open the other's)."""

from __future__ import annotations

from domain.core.identity import chat_link
from domain.core.model import Participant


def _teams(email: str = "", aad: str = "") -> Participant:
    return Participant(id=1, channel_id="msteams", user_id="29:x", email=email, aad_object_id=aad)


def _slack(key: str) -> Participant:
    return Participant(id=2, channel_id="slack", user_id=key)


def test_a_slack_partner_in_the_same_workspace_gets_a_slack_dm_link() -> None:
    assert chat_link(_slack("T01:U02"), _slack("T01:U03")) == "https://slack.com/app_redirect?team=T01&channel=U02"


def test_no_link_across_workspaces_or_platforms() -> None:
    assert chat_link(_slack("T01:U02"), _slack("T09:U03")) == ""
    assert chat_link(_slack("T01:U02"), _teams(email="a@nhs.example")) == ""
    assert chat_link(_teams(email="a@nhs.example"), _slack("T01:U03")) == ""


def test_teams_links_are_unchanged_between_teams_people() -> None:
    assert (
        chat_link(_teams(email="a@nhs.example"), _teams())
        == "https://teams.microsoft.com/l/chat/0/0?users=a%40nhs.example"
    )
    assert chat_link(_teams(aad="aad-1")) == "https://teams.microsoft.com/l/chat/0/0?users=8%3Aorgid%3Aaad-1"
    assert chat_link(_slack("not-a-key")) == ""
