"""Signed calendar, export and `my data` links (their lifetimes) and the Teams "new meeting"
deep link; the signer itself is tested in test_signing.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest

from domain.core.clock import FixedClock
from domain.core.links import (
    CALENDAR,
    CALENDAR_MARGIN,
    EXPORT_LIFETIME,
    MY_DATA,
    CalendarLinks,
    MyDataLinks,
    ShortLinks,
    calendar_url,
    teams_meeting_link,
)
from domain.core.signing import LinkSigner

SIGNER = LinkSigner.of(b"k" * 32)
NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(days=30)


@pytest.mark.parametrize(
    "base", ["https://plp.example.nhs.uk", "https://plp.example.nhs.uk/", "https://plp.example.nhs.uk//"]
)
def test_calendar_url(base: str) -> None:
    url = calendar_url(base, SIGNER, 9, 4, LATER)
    assert url.startswith("https://plp.example.nhs.uk/calendar/") and url.endswith(".ics")
    token = urlsplit(url).path.removeprefix("/calendar/").removesuffix(".ics")
    assert SIGNER.open(CALENDAR, token, NOW) == "9-4"


def test_calendar_links_last_until_the_meeting_has_passed_plus_a_margin() -> None:
    links = CalendarLinks("https://plp.example.nhs.uk/", SIGNER)
    ends = datetime(2027, 3, 9, 15, 0, tzinfo=UTC)
    token = urlsplit(links.calendar_url(9, 4, ends)).path.removeprefix("/calendar/").removesuffix(".ics")
    assert SIGNER.open(CALENDAR, token, ends + CALENDAR_MARGIN - timedelta(seconds=1)) == "9-4"
    assert SIGNER.open(CALENDAR, token, ends + CALENDAR_MARGIN) is None
    assert links.calendar_url(9, 4, ends) != links.calendar_url(9, 5, ends)


def test_short_links_expire_after_24_hours() -> None:
    links = ShortLinks("https://plp.example.nhs.uk", SIGNER, FixedClock(NOW))
    url = MyDataLinks(links).my_data_url(42)
    token = url.removeprefix("https://plp.example.nhs.uk/my-data/")
    assert SIGNER.open(MY_DATA, token, NOW + EXPORT_LIFETIME - timedelta(seconds=1)) == "42"
    assert SIGNER.open(MY_DATA, token, NOW + EXPORT_LIFETIME) is None
    assert SIGNER.open(CALENDAR, token, NOW) is None


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
