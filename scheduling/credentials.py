"""Bot credentials done once: a memoised credentials factory and an async token cache.

Stock botbuilder 4.17.1 builds new `MicrosoftAppCredentials` (a new MSAL app with an
empty token cache, then a blocking token fetch) for every turn and proactive message;
one process managed about 5 proactive sends a second that way. `CachedCredentialFactory`
keeps one credentials object per key for the adapter; `TokenProvider` gives our own
sender a bearer token fetched off the event loop and reused until shortly before expiry.
"""

from __future__ import annotations

import asyncio
import time as _time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from botframework.connector.auth import MicrosoftAppCredentials, PasswordServiceClientCredentialFactory
from msal import ConfidentialClientApplication
from msrest.authentication import Authentication

CredentialKey = tuple[str, str, str, bool]
# Refresh this long before the token expires so an in-flight request never carries a dead token.
REFRESH_MARGIN_SECONDS = 300.0


class TokenError(RuntimeError):
    """The identity platform refused or failed to issue a token (message holds no secret)."""


@dataclass(frozen=True)
class TokenGrant:
    """An access token and its lifetime in seconds from when it was issued."""

    access_token: str
    expires_in: float


class CachedCredentialFactory(PasswordServiceClientCredentialFactory):
    """`PasswordServiceClientCredentialFactory` whose credentials are built once per key."""

    def __init__(
        self, app_id: str | None = None, password: str | None = None, tenant_id: str | None = None, **kwargs: Any
    ) -> None:
        super().__init__(app_id, password, tenant_id, **kwargs)
        self._cache: dict[CredentialKey, Authentication] = {}

    async def create_credentials(
        self, app_id: str, oauth_scope: str, login_endpoint: str, validate_authority: bool
    ) -> Authentication:
        """The credentials for this key, built by botbuilder the first time only."""
        key = (app_id or "", oauth_scope or "", login_endpoint or "", bool(validate_authority))
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        created = await super().create_credentials(app_id, oauth_scope, login_endpoint, validate_authority)
        # Two concurrent first calls may both build; keep the first so every caller shares one.
        return self._cache.setdefault(key, created)


class TokenProvider:
    """Bearer tokens for outbound Bot Connector calls; None in local development (no app id)."""

    def __init__(
        self,
        app_id: str,
        password: str,
        tenant_id: str = "",
        *,
        fetch: Callable[[], TokenGrant] | None = None,
        time: Callable[[], float] = _time.monotonic,
        refresh_margin: float = REFRESH_MARGIN_SECONDS,
    ) -> None:
        self._app_id = app_id
        self._fetch = fetch or _MsalFetcher(app_id, password, tenant_id)
        self._time = time
        self._margin = refresh_margin
        self._token: str | None = None
        self._refresh_at = float("-inf")
        self._lock = asyncio.Lock()

    async def token(self) -> str | None:
        """A valid access token, fetched in a worker thread only when the cached one is due."""
        if not self._app_id:
            return None
        if self._token is not None and self._time() < self._refresh_at:
            return self._token
        async with self._lock:  # one fetch at a time; later callers reuse its result
            if self._token is None or self._time() >= self._refresh_at:
                grant = await asyncio.to_thread(self._fetch)
                self._token = grant.access_token
                self._refresh_at = self._time() + max(0.0, grant.expires_in - self._margin)
            return self._token

    def invalidate(self) -> None:
        """Forget the cached token (after a 401) so the next call fetches a fresh one."""
        self._token = None


class _MsalFetcher:
    """Client-credentials token from Microsoft Entra ID via MSAL (blocking: run in a thread)."""

    def __init__(self, app_id: str, password: str, tenant_id: str) -> None:
        # Reuse botbuilder's rules for authority and scope so both paths ask for the same token.
        self._credentials = MicrosoftAppCredentials(app_id, password, tenant_id or None)
        self._app: Any = None

    def __call__(self) -> TokenGrant:
        if self._app is None:
            self._app = ConfidentialClientApplication(
                client_id=self._credentials.microsoft_app_id,
                client_credential=self._credentials.microsoft_app_password,
                authority=self._credentials.oauth_endpoint,
            )
        scope = self._credentials.oauth_scope
        scopes = [scope if scope.endswith("/.default") else f"{scope}/.default"]
        result = self._app.acquire_token_for_client(scopes=scopes)
        if "access_token" not in result:
            raise TokenError(f"token request failed: {result.get('error', 'unknown error')}")
        return TokenGrant(result["access_token"], float(result.get("expires_in", 3600)))
