"""Teams member lookups (who is this person's email?) over our own HTTP client.

`GET {serviceUrl}v3/conversations/{id}/members/{userId}` is what botbuilder's
`TeamsInfo.get_member` asks in a personal chat; asking it here keeps the call off msrest's
thread pool and inside the shared rate budget (as an ordinary send, behind replies).
"""

from __future__ import annotations

from urllib.parse import quote

from scheduling.ratelimit import RateLimiter
from scheduling.sender import BotConnectorSender

LOOKUP_TIMEOUT_SECONDS = 10.0


class MemberEmails:
    """The email (or user principal name) Teams holds for a conversation member."""

    def __init__(self, connector: BotConnectorSender, limiter: RateLimiter) -> None:
        self._connector, self._limiter = connector, limiter

    def looks_up(self, channel_id: str) -> bool:
        """Only Teams answers member lookups."""
        return channel_id == "msteams"

    async def email(self, channel_id: str, service_url: str, conversation_id: str, user_id: str) -> str:
        """Lower-cased email, or '' when Teams does not say (or cannot be reached)."""
        await self._limiter.acquire(conversation_id)
        path = f"v3/conversations/{quote(conversation_id, safe='')}/members/{quote(user_id, safe='')}"
        answer = await self._connector.request("GET", service_url, path, within=LOOKUP_TIMEOUT_SECONDS)
        found = answer.body.get("email") or answer.body.get("userPrincipalName") or ""
        return found.strip().lower() if isinstance(found, str) else ""
