"""The App Home tab: published with views.publish whenever a person opens it.

The person is registered first (so the companion can reach them, as on any first contact),
then the channel-neutral home summary (domain/home) is rendered as Block Kit, up to the Home
tab's 100 blocks. Its buttons arrive as ordinary button presses and are answered in the DM.
"""

from __future__ import annotations

import logging

from channels.slack.api import SlackApi
from channels.slack.blocks import TooBig, reply_blocks
from channels.slack.inbound import SLACK, SlackTurn
from channels.slack.mrkdwn import mrkdwn, shorten
from channels.slack.users import SlackUsers
from channels.text import marked_text
from dialogs.common import Services
from domain.core.identity import Identity, register
from domain.core.model import ConversationRef
from domain.home.service import home_for
from domain.home.wording import home_reply

log = logging.getLogger(__name__)
HOME_BLOCKS = 100


class SlackHome:
    """Publishes each person's Home tab."""

    def __init__(self, api: SlackApi, users: SlackUsers, services: Services, api_url: str) -> None:
        self._api, self._users, self._services, self._api_url = api, users, services, api_url

    async def publish(self, turn: SlackTurn) -> None:
        """Register the person (their DM is where replies go), then publish their home."""
        services, now = self._services, self._services.clock.now()
        profile = await self._users.profile(turn.slack_user_id)
        ref = None
        if turn.channel:
            ref = ConversationRef(0, SLACK, self._api_url, turn.channel, turn.person_key, "", "PLP", turn.workspace)
        await register(services.store, Identity(SLACK, turn.person_key, profile.name), ref, now)
        view = await home_for(services.store, SLACK, turn.person_key, services.guide, services.facilitators, now)
        reply = home_reply(view)
        try:
            blocks = reply_blocks(reply, HOME_BLOCKS)
        except TooBig:
            text = shorten(mrkdwn(marked_text(reply)), 3000)
            blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]
        answer = await self._api.publish_home(turn.slack_user_id, {"type": "home", "blocks": blocks})
        if not answer.ok:
            log.warning("Slack Home tab not published (%s)", answer.error)
