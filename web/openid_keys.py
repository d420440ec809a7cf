"""The Bot Framework's token signing keys, fetched off the event loop, with a timeout, and cached.

botbuilder 4.17.1 fetches OpenID metadata (then the keys it points to) with a blocking
`requests.get` and no timeout, inside the event loop, the first time it checks a token and
daily after: a slow metadata endpoint froze every request of the bot, `/healthz` included.
Its extractor looks metadata up in a class-level cache keyed by URL, so `install` puts this
module's objects in that cache; botbuilder then calls their `get(key_id)` as before.

- The first fetch for a URL runs in a worker thread with a timeout; tokens checked meanwhile
  wait for it without blocking anything else, and share one fetch.
- Keys older than a day are served while a fresh copy is fetched in the background.
- An unknown key id (Microsoft rotated its keys) triggers one refetch an hour at most.
A failed fetch fails only the token checks that needed it (a 401, so Teams retries).
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import requests
from botframework.connector.auth import JwtTokenExtractor
from jwt.algorithms import RSAAlgorithm

log = logging.getLogger(__name__)
FETCH_TIMEOUT_SECONDS = 10.0
REFRESH_AFTER_SECONDS = 24 * 3600.0
UNKNOWN_KEY_REFETCH_SECONDS = 3600.0


@dataclass(frozen=True)
class SigningKey:
    """What botbuilder reads from a key: the public key and the channels it is endorsed for."""

    public_key: Any
    endorsements: list[str]


class OpenIdKeys:
    """Signing keys published through one OpenID metadata URL."""

    def __init__(self, url: str, timeout: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.url, self._timeout, self._clock = url, timeout, clock
        self._keys: list[dict[str, Any]] = []
        self._fetched_at: float | None = None
        self._lock = threading.Lock()
        self._fetching: Future[None] | None = None
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="openid-keys")

    async def get(self, key_id: str) -> SigningKey | None:
        """The key with this id (as botbuilder's `_OpenIdMetadata.get`), None when unknown."""
        if self._fetched_at is None:
            await asyncio.wrap_future(self._fetch())
        elif self._age() > REFRESH_AFTER_SECONDS:
            self._fetch()  # serve what we have; the fresh copy replaces it when it arrives
        found = self._find(key_id)
        if found is None and self._age() > UNKNOWN_KEY_REFETCH_SECONDS:
            await asyncio.wrap_future(self._fetch())
            found = self._find(key_id)
        return found

    def _age(self) -> float:
        return self._clock() - self._fetched_at if self._fetched_at is not None else float("inf")

    def _fetch(self) -> Future[None]:
        """The fetch under way, or a new one: concurrent callers share a single request."""
        with self._lock:
            if self._fetching is None or self._fetching.done():
                self._fetching = self._pool.submit(self._download)
                self._fetching.add_done_callback(_log_failure)
            return self._fetching

    def _download(self) -> None:
        """In the worker thread: the metadata document, then the keys it points to."""
        metadata = requests.get(self.url, timeout=self._timeout)
        metadata.raise_for_status()
        keys = requests.get(metadata.json()["jwks_uri"], timeout=self._timeout)
        keys.raise_for_status()
        self._keys, self._fetched_at = list(keys.json()["keys"]), self._clock()

    def _find(self, key_id: str) -> SigningKey | None:
        key = next((k for k in self._keys if k.get("kid") == key_id), None)
        if key is None:
            return None
        return SigningKey(RSAAlgorithm.from_jwk(json.dumps(key)), list(key.get("endorsements", [])))


def _log_failure(fetch: Future[None]) -> None:
    if not fetch.cancelled() and fetch.exception() is not None:
        log.warning("could not fetch the Bot Framework signing keys: %s", type(fetch.exception()).__name__)


class _KeysByUrl(dict[str, Any]):
    """botbuilder's metadata cache, answering every URL with an `OpenIdKeys` (made on first use)."""

    def __init__(self, timeout: float) -> None:
        super().__init__()
        self.timeout = timeout

    def get(self, url: str, default: Any = None) -> Any:  # botbuilder passes None as the default
        found = super().get(url)
        if found is None:
            found = self.setdefault(url, OpenIdKeys(url, self.timeout))
        return found


def install(timeout: float = FETCH_TIMEOUT_SECONDS) -> None:
    """Make botbuilder fetch signing keys through `OpenIdKeys` (idempotent; process-wide, as its cache is)."""
    if not isinstance(JwtTokenExtractor.metadataCache, _KeysByUrl):
        JwtTokenExtractor.metadataCache = _KeysByUrl(timeout)
