"""Who a Slack person is: their name (for the participant record) and email (facilitators may be
configured by email), from `users.info`, asked once per person per process and kept a while."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from channels.slack.api import SlackApi
from channels.slack.delivery import slack_user
from channels.slack.inbound import SLACK

KEEP = 2048  # recent profiles kept in memory (bounded)


@dataclass(frozen=True)
class Profile:
    name: str = ""
    email: str = ""


class SlackUsers:
    """Names and emails from users.info; also the Slack side of the member directory."""

    def __init__(self, api: SlackApi) -> None:
        self._api = api
        self._known: OrderedDict[str, Profile] = OrderedDict()

    async def profile(self, slack_user_id: str) -> Profile:
        """The person's name and lower-cased email ('' when Slack does not say)."""
        known = self._known.get(slack_user_id)
        if known is not None:
            self._known.move_to_end(slack_user_id)
            return known
        answer = await self._api.user_info(slack_user_id)
        if not answer.ok:
            return Profile()  # not kept: the next turn asks again
        found = _profile(answer.data.get("user"))
        self._known[slack_user_id] = found
        if len(self._known) > KEEP:
            self._known.popitem(last=False)
        return found

    def looks_up(self, channel_id: str) -> bool:
        """Slack people only."""
        return channel_id == SLACK

    async def email(self, channel_id: str, service_url: str, conversation_id: str, user_id: str) -> str:
        """The email Slack holds for our person key "<workspace>:<user>"."""
        return (await self.profile(slack_user(user_id))).email


def _profile(user: Any) -> Profile:
    user = user if isinstance(user, dict) else {}
    details = user.get("profile") if isinstance(user.get("profile"), dict) else {}
    names = (details.get("real_name"), details.get("display_name"), user.get("real_name"), user.get("name"))
    name = next((n.strip() for n in names if isinstance(n, str) and n.strip()), "")
    email = details.get("email")
    return Profile(name[:200], email.strip().lower() if isinstance(email, str) else "")
