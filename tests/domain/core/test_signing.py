"""The generic link signer: round trips, expiry, purposes, key ids and rotation, tampering
(every single-character change), odd input that must be refused without raising."""

from __future__ import annotations

import string
from datetime import UTC, datetime, timedelta

import pytest

from domain.core.signing import LinkSigner, id_pair, key_id, parse_id, parse_id_pair, random_key

KEY = b"k" * 32
OLD_KEY = b"o" * 40
NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=24)
SIGNER = LinkSigner.of(KEY)


def test_round_trip_until_the_expiry() -> None:
    token = SIGNER.sign("my-data", "42", LATER)
    assert SIGNER.open("my-data", token, NOW) == "42"
    assert SIGNER.open("my-data", token, LATER - timedelta(seconds=1)) == "42"


@pytest.mark.parametrize("after", [timedelta(0), timedelta(seconds=1), timedelta(days=400)])
def test_an_expired_token_is_refused(after: timedelta) -> None:
    assert SIGNER.open("my-data", SIGNER.sign("my-data", "42", LATER), LATER + after) is None


def test_the_token_carries_the_key_id_and_expiry_in_the_clear() -> None:
    kid, expires, subject, mac = SIGNER.sign("calendar", "12-34", LATER).split(".")
    assert (kid, int(expires), subject, len(mac)) == (key_id(KEY), int(LATER.timestamp()), "12-34", 43)


def test_the_purpose_is_inside_the_mac() -> None:
    token = SIGNER.sign("calendar", "12-34", LATER)
    assert SIGNER.open("poll-export", token, NOW) is None
    assert SIGNER.open("calendar", token, NOW) == "12-34"


def test_a_different_key_refuses_the_token() -> None:
    other = LinkSigner.of(b"x" * 32)
    assert other.open("my-data", SIGNER.sign("my-data", "7", LATER), NOW) is None


def test_a_forged_key_id_does_not_help() -> None:
    """Relabelling a token with another key's id (the MAC covers the id) or an unknown id fails."""
    both = LinkSigner.of(KEY, OLD_KEY)
    _, rest = both.sign("my-data", "7", LATER).split(".", 1)
    assert both.open("my-data", f"{key_id(OLD_KEY)}.{rest}", NOW) is None
    assert both.open("my-data", f"unknownk.{rest}", NOW) is None


def test_rotation_old_tokens_keep_working_new_ones_use_the_new_key() -> None:
    old = LinkSigner.of(OLD_KEY)
    token = old.sign("calendar", "1-2", LATER)
    rotated = LinkSigner.of(KEY, OLD_KEY)
    assert rotated.open("calendar", token, NOW) == "1-2"
    assert rotated.sign("calendar", "1-2", LATER).startswith(key_id(KEY) + ".")
    assert LinkSigner.of(KEY).open("calendar", token, NOW) is None  # once the old key is dropped, so are its links


def test_key_ids_are_short_public_fingerprints() -> None:
    assert key_id(KEY) == key_id(bytes(KEY)) and len(key_id(KEY)) == 8
    assert key_id(KEY) != key_id(OLD_KEY)


def _changed(token: str, index: int) -> list[str]:
    """Every way of changing one character of `token` at `index` within its alphabet (and a few beyond)."""
    alphabet = string.ascii_letters + string.digits + "-_." + "=+/ é"
    return [token[:index] + c + token[index + 1 :] for c in alphabet if c != token[index]]


def test_every_single_character_change_is_refused() -> None:
    token = SIGNER.sign("my-data", "42", LATER)
    for index in range(len(token)):
        for altered in _changed(token, index):
            assert SIGNER.open("my-data", altered, NOW) is None, (index, altered)


def test_adding_or_removing_a_character_is_refused() -> None:
    token = SIGNER.sign("my-data", "42", LATER)
    variants = [token[:i] + token[i + 1 :] for i in range(len(token))]
    variants += [token[:i] + "A" + token[i:] for i in range(len(token) + 1)]
    assert all(SIGNER.open("my-data", v, NOW) is None for v in variants if v != token)


ODD = [
    "",
    ".",
    "...",
    "....",
    "a.b.c.d",
    "x" * 100_000,
    "../../etc/passwd",
    "%2e%2e%2f",
    "\x00" * 40,
    "😀.😀.😀.😀",
    f"{key_id(KEY)}.0.42.{'A' * 43}",
    f"{key_id(KEY)}.01.42.{'A' * 43}",
    f"{key_id(KEY)}.-5.42.{'A' * 43}",
    f"{key_id(KEY)}.{'9' * 40}.42.{'A' * 43}",
    f"{key_id(KEY)}.１２３.42.{'A' * 43}",
]


@pytest.mark.parametrize("token", ODD, ids=range(len(ODD)))
def test_odd_strings_are_refused_without_raising(token: str) -> None:
    assert SIGNER.open("my-data", token, NOW) is None


@pytest.mark.parametrize("value", [None, 12, 1.5, b"a.b.c.d", ["x"], {"a": 1}])
def test_non_strings_are_refused_without_raising(value: object) -> None:
    assert SIGNER.open("my-data", value, NOW) is None


@pytest.mark.parametrize("key", [b"", b"short", b"k" * 31])
def test_keys_shorter_than_32_bytes_are_refused(key: bytes) -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        LinkSigner.of(key)


def test_the_current_key_must_be_listed() -> None:
    with pytest.raises(ValueError):
        LinkSigner({"a": KEY}, "b")


@pytest.mark.parametrize(
    ("purpose", "subject"), [("", "1"), ("Calendar", "1"), ("a|b", "1"), ("calendar", ""), ("calendar", "a.b")]
)
def test_malformed_purposes_and_subjects_cannot_be_signed(purpose: str, subject: str) -> None:
    with pytest.raises(ValueError):
        SIGNER.sign(purpose, subject, LATER)


def test_expiry_must_be_timezone_aware() -> None:
    with pytest.raises(ValueError):
        SIGNER.sign("my-data", "1", datetime(2027, 3, 2, 9, 0))


def test_random_keys_are_long_enough_and_differ() -> None:
    first, second = random_key(), random_key()
    assert len(first) == 32 and first != second
    assert LinkSigner.of(first).open("x", LinkSigner.of(first).sign("x", "1", LATER), NOW) == "1"


def test_id_subjects() -> None:
    assert parse_id_pair(id_pair(12, 34)) == (12, 34)
    assert parse_id_pair("012-34") is None and parse_id_pair("1-2-3") is None and parse_id_pair(None) is None
    assert parse_id("42") == 42 and parse_id("0") is None and parse_id("4a") is None
    with pytest.raises(ValueError):
        id_pair(0, 1)
    with pytest.raises(ValueError):
        id_pair(True, 1)  # type: ignore[arg-type]
