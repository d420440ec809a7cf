"""botbuilder's per-turn clients, built once per bot identity instead of on every turn.

Stock botbuilder 4.17.1 builds a new `ConnectorClient` and a new `UserTokenClient` for every
inbound activity, and each one builds an msrest retry policy whose construction alone costs
about 6 ms of CPU (a 999 x 500 list scan): 12 ms of every turn, before the bot runs, on the
one thread that serves every conversation. Our turns reply through `ReplyPoster` and never
sign anyone in, so both clients are rarely used at all; they are kept for what botbuilder
still does with them (traces to the Emulator, an OAuth prompt if one is ever added).

The clients depend only on the bot's app id (from the request's claims), the service URL
and the audience, so one client per such key serves every turn; the number of keys is
small (a bot has one app id, Teams a handful of service URLs) and capped anyway.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from botbuilder.integration.aiohttp import ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import (
    AuthenticateRequestResult,
    AuthenticationConstants,
    ClaimsIdentity,
    ConnectorFactory,
    UserTokenClient,
)

# More keys than a deployment meets (one app id, a few Teams regions); the oldest goes first.
MAX_CLIENTS = 64


class _Recent(OrderedDict[tuple[str, ...], Any]):
    """At most MAX_CLIENTS entries; adding one more drops the oldest."""

    def keep(self, key: tuple[str, ...], value: Any) -> Any:
        found = self.setdefault(key, value)  # two concurrent first turns may both build: all share one
        while len(self) > MAX_CLIENTS:
            self.popitem(last=False)
        return found


class ReusedClientsAuthentication(ConfigurationBotFrameworkAuthentication):
    """`ConfigurationBotFrameworkAuthentication` whose connector and user-token clients are reused."""

    def __init__(self, configuration: Any, **kwargs: Any) -> None:
        super().__init__(configuration, **kwargs)
        self._connectors = _Recent()
        self._token_clients = _Recent()

    async def authenticate_request(self, activity: Activity, auth_header: str) -> AuthenticateRequestResult:
        """botbuilder's check, unchanged; the result's connector factory reuses clients."""
        result = await super().authenticate_request(activity, auth_header)
        if result.connector_factory is not None:
            result.connector_factory = _ReusedConnectors(
                result.connector_factory, _app_id(result.claims_identity), self._connectors
            )
        return result

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        """For proactive turns (continue_conversation), reusing clients the same way."""
        factory = super().create_connector_factory(claims_identity)
        return _ReusedConnectors(factory, _app_id(claims_identity), self._connectors)

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        """One user-token client per app id."""
        key = (_app_id(claims_identity),)
        found = self._token_clients.get(key)
        if found is None:
            found = self._token_clients.keep(key, await super().create_user_token_client(claims_identity))
        return found


class _ReusedConnectors(ConnectorFactory):
    """A connector factory that hands out the client it built before for the same key."""

    def __init__(self, inner: ConnectorFactory, app_id: str, clients: _Recent) -> None:
        self._inner, self._app_id, self._clients = inner, app_id, clients

    async def create(self, service_url: str, audience: str | None = None) -> ConnectorClient:
        key = (self._app_id, service_url or "", audience or "")
        found = self._clients.get(key)
        if found is None:
            found = self._clients.keep(key, await self._inner.create(service_url, audience))
        return found


def _app_id(claims_identity: ClaimsIdentity | None) -> str:
    """The bot's app id as botbuilder reads it: the audience claim, else the appid claim ('' anonymous)."""
    if claims_identity is None:
        return ""
    found = claims_identity.get_claim_value(AuthenticationConstants.AUDIENCE_CLAIM)
    if found is None:
        found = claims_identity.get_claim_value(AuthenticationConstants.APP_ID_CLAIM)
    return str(found or "")
