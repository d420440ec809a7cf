"""Credentials are built once per key; tokens are fetched off the loop and reused until due."""

from __future__ import annotations

import asyncio
import threading

import pytest
from botframework.connector.auth import AuthenticationConstants, MicrosoftAppCredentials

from scheduling.credentials import CachedCredentialFactory, TokenGrant, TokenProvider

APP_ID = "00000000-0000-4000-8000-00000000b071"
LOGIN = AuthenticationConstants.TO_CHANNEL_FROM_BOT_LOGIN_URL_PREFIX + "botframework.com"
SCOPE = AuthenticationConstants.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE


class TokenEndpoint:
    """Stands in for the identity platform (an outer seam): counts fetches and their threads."""

    def __init__(self, expires_in: float = 3600.0) -> None:
        self.expires_in = expires_in
        self.calls = 0
        self.threads: set[int] = set()

    def __call__(self) -> TokenGrant:
        self.calls += 1
        self.threads.add(threading.get_ident())
        return TokenGrant(f"token-{self.calls}", self.expires_in)


async def test_factory_returns_the_same_credentials_for_the_same_key() -> None:
    factory = CachedCredentialFactory(APP_ID, "secret")
    first = await factory.create_credentials(APP_ID, SCOPE, LOGIN, True)
    again = await factory.create_credentials(APP_ID, SCOPE, LOGIN, True)
    other_scope = await factory.create_credentials(APP_ID, "https://other.example", LOGIN, True)
    assert isinstance(first, MicrosoftAppCredentials)
    assert again is first
    assert other_scope is not first


async def test_factory_shares_one_credentials_object_between_concurrent_first_calls() -> None:
    factory = CachedCredentialFactory(APP_ID, "secret")
    results = await asyncio.gather(*(factory.create_credentials(APP_ID, SCOPE, LOGIN, True) for _ in range(5)))
    assert len({id(r) for r in results}) == 1


async def test_factory_keeps_botbuilder_checks() -> None:
    factory = CachedCredentialFactory(APP_ID, "secret")
    with pytest.raises(Exception, match="Invalid app_id"):
        await factory.create_credentials("someone-else", SCOPE, LOGIN, True)
    anonymous = await CachedCredentialFactory().create_credentials("", SCOPE, LOGIN, True)
    assert anonymous.microsoft_app_id == ""


async def test_no_app_id_means_no_token_and_no_fetch() -> None:
    endpoint = TokenEndpoint()
    assert await TokenProvider("", "", fetch=endpoint).token() is None
    assert endpoint.calls == 0


async def test_token_is_fetched_in_a_worker_thread_and_reused() -> None:
    endpoint = TokenEndpoint()
    provider = TokenProvider(APP_ID, "secret", fetch=endpoint, time=lambda: 0.0)
    assert [await provider.token() for _ in range(3)] == ["token-1"] * 3
    assert endpoint.calls == 1
    assert threading.get_ident() not in endpoint.threads


async def test_token_is_refreshed_shortly_before_expiry() -> None:
    now = [0.0]
    endpoint = TokenEndpoint(expires_in=3600.0)
    provider = TokenProvider(APP_ID, "secret", fetch=endpoint, time=lambda: now[0], refresh_margin=300.0)
    await provider.token()
    now[0] = 3299.0
    assert await provider.token() == "token-1"
    now[0] = 3300.0
    assert await provider.token() == "token-2"


async def test_concurrent_callers_share_one_fetch() -> None:
    endpoint = TokenEndpoint()
    provider = TokenProvider(APP_ID, "secret", fetch=endpoint, time=lambda: 0.0)
    tokens = await asyncio.gather(*(provider.token() for _ in range(10)))
    assert set(tokens) == {"token-1"} and endpoint.calls == 1


async def test_invalidate_forces_a_fresh_token() -> None:
    endpoint = TokenEndpoint()
    provider = TokenProvider(APP_ID, "secret", fetch=endpoint, time=lambda: 0.0)
    await provider.token()
    provider.invalidate()
    assert await provider.token() == "token-2"
