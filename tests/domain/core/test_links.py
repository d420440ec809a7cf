"""Signed calendar tokens (round trip, tampering, other keys, odd input), the signing key
choice, calendar URLs and the Teams "new meeting" deep link."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest

from domain.core.links import CalendarLinks, LinkSigner, calendar_url, signing_key, teams_meeting_link

KEY = b"k" * 32
SIGNER = LinkSigner(KEY)


@pytest.mark.parametrize(("meeting_id", "participant_id"), [(1, 1), (42, 7), (7, 42), (10**17, 999_999_999)])
def test_round_trip(meeting_id: int, participant_id: int) -> None:
    token = SIGNER.token(meeting_id, participant_id)
    assert re.fullmatch(rf"m{meeting_id}\.p{participant_id}\.[A-Za-z0-9_-]{{32}}", token)
    assert SIGNER.verify(token) == (meeting_id, participant_id)


def test_each_participant_gets_a_different_signature() -> None:
    assert SIGNER.token(5, 1).rsplit(".", 1)[1] != SIGNER.token(5, 2).rsplit(".", 1)[1]
    assert SIGNER.token(5, 1).rsplit(".", 1)[1] != SIGNER.token(1, 5).rsplit(".", 1)[1]


def _flip(char: str) -> str:
    return "B" if char != "B" else "C"


def tampered() -> list[tuple[str, str]]:
    """(case, token) pairs derived from a genuine token for meeting 12, participant 34."""
    genuine = SIGNER.token(12, 34)
    body, signature = genuine.rsplit(".", 1)
    other_signature = SIGNER.token(12, 35).rsplit(".", 1)[1]
    return [
        ("last signature char changed", f"{body}.{signature[:-1]}{_flip(signature[-1])}"),
        ("first signature char changed", f"{body}.{_flip(signature[0])}{signature[1:]}"),
        ("meeting id changed", f"m13.p34.{signature}"),
        ("participant id changed", f"m12.p35.{signature}"),
        ("ids swapped", f"m34.p12.{signature}"),
        ("another person's signature", f"{body}.{other_signature}"),
        ("signature truncated", f"{body}.{signature[:-1]}"),
        ("signature extended", f"{body}.{signature}A"),
        ("leading zero", f"m012.p34.{signature}"),
        ("plus sign", f"m+12.p34.{signature}"),
        ("upper case prefix", f"M12.P34.{signature}"),
        ("padding added", f"{body}.{signature[:-1]}="),
        ("trailing newline", genuine + "\n"),
        ("leading space", " " + genuine),
    ]


@pytest.mark.parametrize(("case", "token"), tampered(), ids=[case for case, _ in tampered()])
def test_tampered_tokens_are_refused(case: str, token: str) -> None:
    assert SIGNER.verify(token) is None


def test_different_keys_refuse_each_others_tokens() -> None:
    other = LinkSigner(b"another key entirely")
    assert other.verify(SIGNER.token(3, 4)) is None
    assert SIGNER.verify(other.token(3, 4)) is None
    assert other.verify(other.token(3, 4)) == (3, 4)


ODD = [
    "",
    ".",
    "..",
    "m1.p2",
    "m1.p2.",
    "m.p.",
    "m1.p2.short",
    "m0.p1." + "A" * 32,
    "m1.p0." + "A" * 32,
    "m-1.p2." + "A" * 32,
    "m١.p٢." + "A" * 32,
    "m1.p2." + "é" * 32,
    "m1.p2." + "😀" * 32,
    "m1.p2." + "A" * 10_000,
    "x" * 100_000,
    "../../etc/passwd",
    "..%2F..%2Fetc%2Fpasswd",
    "m1.p2.%00" + "A" * 29,
    "m" + "9" * 30 + ".p1." + "A" * 32,
    "\x00" * 40,
    "m1.p2." + "A" * 31 + "\u0301",
]


@pytest.mark.parametrize("token", ODD, ids=range(len(ODD)))
def test_odd_strings_are_refused_without_raising(token: str) -> None:
    assert SIGNER.verify(token) is None


@pytest.mark.parametrize("value", [None, 12, 1.5, b"m1.p2.AAAA", ["m1"], {"m": 1}])
def test_non_strings_are_refused_without_raising(value: object) -> None:
    assert SIGNER.verify(value) is None


@pytest.mark.parametrize(("meeting_id", "participant_id"), [(0, 1), (1, 0), (-3, 1), (True, 1), (1, 2.0)])
def test_token_needs_positive_integer_ids(meeting_id: object, participant_id: object) -> None:
    with pytest.raises(ValueError):
        SIGNER.token(meeting_id, participant_id)


@pytest.mark.parametrize("key", [b"", "text key"])
def test_signer_needs_non_empty_bytes(key: object) -> None:
    with pytest.raises(ValueError):
        LinkSigner(key)


@pytest.mark.parametrize(
    "base", ["https://plp.example.nhs.uk", "https://plp.example.nhs.uk/", "https://plp.example.nhs.uk//"]
)
def test_calendar_url(base: str) -> None:
    url = calendar_url(base, SIGNER, 9, 4)
    assert url == f"https://plp.example.nhs.uk/calendar/{SIGNER.token(9, 4)}.ics"
    token = urlsplit(url).path.removeprefix("/calendar/").removesuffix(".ics")
    assert SIGNER.verify(token) == (9, 4)


def test_calendar_links_match_calendar_url() -> None:
    links = CalendarLinks("https://plp.example.nhs.uk/", SIGNER)
    assert links.calendar_url(9, 4) == calendar_url("https://plp.example.nhs.uk", SIGNER, 9, 4)
    assert links.calendar_url(9, 4) != links.calendar_url(9, 5)


def test_signing_key_prefers_the_configured_key() -> None:
    assert signing_key("  configured secret  ", "app password") == (b"configured secret", True)


def test_signing_key_is_derived_from_the_app_password_stably() -> None:
    key, durable = signing_key("", "app password")
    assert durable and len(key) == 32
    assert key == signing_key("   ", "app password")[0]  # same after a restart
    assert key != b"app password" and b"app password" not in key
    assert key != signing_key("", "another password")[0]
    assert LinkSigner(key).verify(LinkSigner(signing_key("", "app password")[0]).token(1, 2)) == (1, 2)


def test_signing_key_without_any_secret_is_random_and_not_durable() -> None:
    first, durable = signing_key("", "")
    second, _ = signing_key("", "")
    assert durable is False and len(first) == 32 and first != second


def test_teams_link_encodes_every_value() -> None:
    start = datetime(2027, 7, 6, 15, 30, tzinfo=ZoneInfo("Europe/London"))  # 14:30 UTC
    end = datetime(2027, 7, 6, 14, 15, 0, 123456, tzinfo=UTC)
    subject = "Ann & Bob: plans = 100% #1 café 😀"
    link = teams_meeting_link(subject, start, end, "bob+plp@example.nhs.uk", "Agenda, line 1\nline 2")
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "teams.microsoft.com", "/l/meeting/new")
    assert " " not in link and "+" not in parts.query and "#" not in link
    query = parse_qs(parts.query, strict_parsing=True)
    assert query == {
        "subject": [subject],
        "startTime": ["2027-07-06T14:30:00+00:00"],
        "endTime": ["2027-07-06T14:15:00+00:00"],
        "attendees": ["bob+plp@example.nhs.uk"],
        "content": ["Agenda, line 1\nline 2"],
    }


def test_teams_link_leaves_out_empty_attendees_and_content() -> None:
    start = datetime(2027, 3, 9, 14, tzinfo=UTC)
    query = parse_qs(urlsplit(teams_meeting_link("Catch-up", start, start, "  ")).query)
    assert set(query) == {"subject", "startTime", "endTime"}


def test_teams_link_refuses_naive_times() -> None:
    with pytest.raises(ValueError):
        teams_meeting_link("S", datetime(2027, 3, 9, 14), datetime(2027, 3, 9, 15, tzinfo=UTC))
