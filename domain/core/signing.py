"""Signed, expiring links: one generic signer for every kind of link the bot hands out.

A link opened without logging in (a calendar app fetching an .ics file, a browser opening an
export) carries its own permission: a token naming what it is for (the purpose), what it
opens (the subject), when it stops working, and the id of the key that signed it, with an
HMAC over all four. Old keys can stay listed for rotation: tokens they signed keep working
until they expire. Pure: no web framework.

Token: `{key id}.{expires, unix seconds}.{subject}.{HMAC-SHA256, base64url}`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from collections.abc import Mapping
from datetime import datetime

MIN_KEY_BYTES = 32
MAX_TOKEN_CHARS = 200
_LABEL = b"plp-companion/signed-link/v2|"
_KEY_ID_LABEL = b"plp-companion/key-id/v1|"
_MAC_CHARS = 43  # the whole 256-bit HMAC in unpadded base64url
_KEY_ID = re.compile(r"[A-Za-z0-9_-]{1,16}")
_PURPOSE = re.compile(r"[a-z][a-z0-9-]{0,31}")
_SUBJECT = re.compile(r"[A-Za-z0-9_-]{1,64}")
# Canonical seconds only (ASCII digits, no sign, no leading zero), so each link has one token.
_EXPIRES = re.compile(r"[1-9][0-9]{0,11}")
_MAC = re.compile(rf"[A-Za-z0-9_-]{{{_MAC_CHARS}}}")


def key_id(key: bytes) -> str:
    """A short public fingerprint of a key (8 base64url characters): the id tokens carry."""
    digest = hashlib.sha256(_KEY_ID_LABEL + key).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii")[:8]


def random_key() -> bytes:
    """A fresh key for development without PLP_SIGNING_KEY (links stop working after a restart)."""
    return secrets.token_bytes(MIN_KEY_BYTES)


class LinkSigner:
    """Makes and opens tokens; `keys` maps key id -> key, `current` names the one that signs."""

    def __init__(self, keys: Mapping[str, bytes], current: str) -> None:
        if current not in keys:
            raise ValueError("the current signing key must be one of the keys")
        for kid, key in keys.items():
            if not isinstance(kid, str) or not _KEY_ID.fullmatch(kid):
                raise ValueError("a key id is 1-16 letters, digits, '-' or '_'")
            if not isinstance(key, bytes) or len(key) < MIN_KEY_BYTES:
                raise ValueError(f"a link signing key must be at least {MIN_KEY_BYTES} bytes")
        self._keys = dict(keys)
        self._current = current

    @classmethod
    def of(cls, key: bytes, *old: bytes) -> LinkSigner:
        """A signer for `key`, still opening tokens signed with the `old` keys; ids are fingerprints."""
        keys = {key_id(k): k for k in old}
        keys[key_id(key)] = key
        return cls(keys, key_id(key))

    def sign(self, purpose: str, subject: str, expires_at: datetime) -> str:
        """A token for `subject`, valid for `purpose` until `expires_at` (timezone-aware)."""
        _check(_PURPOSE, purpose, "purpose")
        _check(_SUBJECT, subject, "subject")
        if expires_at.tzinfo is None or expires_at.utcoffset() is None:
            raise ValueError("expiry times must be timezone-aware")
        expires = str(int(expires_at.timestamp()))
        if not _EXPIRES.fullmatch(expires):
            raise ValueError("expiry time out of range")
        body = f"{self._current}.{expires}.{subject}"
        return f"{body}.{self._mac(self._keys[self._current], purpose, body)}"

    def open(self, purpose: str, token: object, now: datetime) -> str | None:
        """The subject of a genuine, unexpired token for `purpose`; None for anything else, never raises."""
        _check(_PURPOSE, purpose, "purpose")
        if not isinstance(token, str) or len(token) > MAX_TOKEN_CHARS:
            return None
        parts = token.split(".")
        if len(parts) != 4:
            return None
        kid, expires, subject, mac = parts
        key = self._keys.get(kid)
        if key is None or not (_EXPIRES.fullmatch(expires) and _SUBJECT.fullmatch(subject) and _MAC.fullmatch(mac)):
            return None
        expected = self._mac(key, purpose, f"{kid}.{expires}.{subject}")
        if not hmac.compare_digest(mac.encode("ascii"), expected.encode("ascii")):
            return None
        if now.timestamp() >= int(expires):
            return None
        return subject

    @staticmethod
    def _mac(key: bytes, purpose: str, body: str) -> str:
        message = _LABEL + purpose.encode("ascii") + b"|" + body.encode("ascii")
        digest = hmac.new(key, message, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode("ascii")[:_MAC_CHARS]


def _check(pattern: re.Pattern[str], value: object, what: str) -> None:
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise ValueError(f"a link {what} must match {pattern.pattern}")


def id_pair(first: int, second: int) -> str:
    """A subject naming two positive ids (e.g. meeting and participant): '12-34'."""
    for value in (first, second):
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise ValueError("ids in a link must be positive integers")
    return f"{first}-{second}"


_PAIR = re.compile(r"([1-9][0-9]{0,17})-([1-9][0-9]{0,17})")


def parse_id_pair(subject: str | None) -> tuple[int, int] | None:
    """The two ids of an `id_pair` subject; None for anything else."""
    match = _PAIR.fullmatch(subject or "")
    return (int(match.group(1)), int(match.group(2))) if match else None


def parse_id(subject: str | None) -> int | None:
    """One positive id from a subject like '42'; None for anything else."""
    return int(subject) if subject and re.fullmatch(r"[1-9][0-9]{0,17}", subject) else None
