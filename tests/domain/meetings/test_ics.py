"""Calendar files read back with the real `icalendar` parser: methods, instants, escaping,
folding at 75 octets (UTF-8 aware) and stable UIDs across reschedules."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar, Component

from domain.meetings.ics import CalendarError, calendar_file, escape_text, fold_line, organizer_address
from domain.meetings.model import Meeting, MeetingFormat, MeetingStatus

UTC = UTC
NOW = datetime(2027, 3, 1, 8, 30, 15, tzinfo=UTC)
START = datetime(2027, 3, 9, 14, 0, tzinfo=UTC)


def meeting(**changes: object) -> Meeting:
    """A confirmed 45-minute Teams meeting; keyword arguments override fields."""
    base = Meeting(
        id=7,
        partnership_id=3,
        proposed_by=11,
        status=MeetingStatus.CONFIRMED,
        options=[START],
        start_at=START,
        duration_minutes=45,
        format=MeetingFormat.TEAMS,
        uid="a1b2c3",
        sequence=2,
    )
    return dataclasses.replace(base, **changes)


def parse(text: str) -> tuple[Calendar, Component]:
    """The calendar and its single event, as a real calendar library reads them."""
    calendar = Calendar.from_ical(text)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return calendar, events[0]


def test_confirmed_meeting_is_published_by_the_companion_with_utc_instants() -> None:
    calendar, event = parse(calendar_file(meeting(), "Learning partners", "Agenda", NOW, "noreply@plp.nhs.test"))
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]) == "-//PLP Companion//EN"
    assert str(calendar["CALSCALE"]) == "GREGORIAN"
    # a downloadable file is a publication (RFC 5546): PUBLISH, an ORGANIZER, and no ATTENDEE
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(event["ORGANIZER"]) == "mailto:noreply@plp.nhs.test"
    assert event["ORGANIZER"].params["CN"] == "PLP Companion"
    assert "ATTENDEE" not in event
    assert str(event["UID"]) == "a1b2c3@plp-companion"
    assert event.decoded("SEQUENCE") == 2
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["TRANSP"]) == "OPAQUE"
    assert event.decoded("DTSTART") == START and event.decoded("DTSTART").utcoffset() == timedelta(0)
    assert event.decoded("DTEND") == START + timedelta(minutes=45)
    assert event.decoded("DTSTAMP") == NOW


def test_cancelled_meeting_is_a_cancel_with_the_same_uid() -> None:
    calendar, event = parse(calendar_file(meeting(status=MeetingStatus.CANCELLED, sequence=3), "S", "D", NOW))
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(event["ORGANIZER"]) == "mailto:noreply@plp-companion.invalid"  # the same organizer cancels
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == "a1b2c3@plp-companion"
    assert event.decoded("SEQUENCE") == 3


def test_times_in_another_zone_are_written_as_the_same_utc_instant() -> None:
    london_summer = datetime(2027, 7, 6, 15, 30, tzinfo=ZoneInfo("Europe/London"))  # 14:30 UTC (BST)
    text = calendar_file(
        meeting(start_at=london_summer, duration_minutes=60), "S", "D", NOW.astimezone(ZoneInfo("Asia/Kolkata"))
    )
    assert "DTSTART:20270706T143000Z\r\n" in text
    assert "DTEND:20270706T153000Z\r\n" in text
    assert "DTSTAMP:20270301T083015Z\r\n" in text
    assert parse(text)[1].decoded("DTSTART") == london_summer


def test_reschedule_keeps_the_uid_and_raises_the_sequence() -> None:
    first = parse(calendar_file(meeting(sequence=1), "S", "D", NOW))[1]
    moved = parse(calendar_file(meeting(sequence=2, start_at=START + timedelta(days=2)), "S", "D", NOW))[1]
    assert str(first["UID"]) == str(moved["UID"])
    assert moved.decoded("SEQUENCE") > first.decoded("SEQUENCE")
    assert moved.decoded("DTSTART") - first.decoded("DTSTART") == timedelta(days=2)


TEXTS = [
    ("commas and semicolons", "Catch-up, plans; next steps", "Catch-up, plans; next steps"),
    ("backslashes", r"C:\notes\new; really", r"C:\notes\new; really"),
    ("unix newlines", "line one\nline two", "line one\nline two"),
    ("windows and old mac newlines", "a\r\nb\rc", "a\nb\nc"),
    ("accents", "Réunion à Zürich – café crème", "Réunion à Zürich – café crème"),
    ("emoji", "Coffee ☕ and a chat 👩🏽‍⚕️🤝👨‍⚕️", "Coffee ☕ and a chat 👩🏽‍⚕️🤝👨‍⚕️"),
    ("control characters dropped", "tab\tstays, bell\x07 and nul\x00 go", "tab\tstays, bell and nul go"),
    ("looks like a property", "x\nEND:VEVENT\nBEGIN:VEVENT", "x\nEND:VEVENT\nBEGIN:VEVENT"),
    ("long multi-byte text", "日本語のテキスト、" * 20 + "é😀" * 30, "日本語のテキスト、" * 20 + "é😀" * 30),
]


@pytest.mark.parametrize(("case", "written", "read"), TEXTS, ids=[case for case, _, _ in TEXTS])
def test_text_values_round_trip(case: str, written: str, read: str) -> None:
    m = meeting(format=MeetingFormat.IN_PERSON, place=written)
    _, event = parse(calendar_file(m, written, written, NOW))
    assert str(event["SUMMARY"]) == read
    assert str(event["DESCRIPTION"]) == read
    assert str(event["LOCATION"]) == read


def test_a_newline_in_text_cannot_inject_a_property() -> None:
    text = calendar_file(meeting(), "x\r\nORGANIZER:mailto:evil@example.com", "D", NOW)
    _, event = parse(text)
    assert str(event["ORGANIZER"]) == "mailto:noreply@plp-companion.invalid" and "ATTENDEE" not in event
    assert "\r\nORGANIZER:mailto:evil" not in text


def test_lone_surrogates_do_not_break_the_file() -> None:
    _, event = parse(calendar_file(meeting(), "broken \ud83d text", "D", NOW))
    assert str(event["SUMMARY"]) == "broken ? text"


# Spaces and escapes (",", "\n") land on fold boundaries too; unfolding must restore them exactly.
@pytest.mark.parametrize("fill", ["a", "é", "日", "😀", "a😀é", "a ", "é\n,;"])
def test_physical_lines_are_at_most_75_octets_crlf_and_whole_characters(fill: str) -> None:
    long_text = fill * 200
    text = calendar_file(meeting(place=long_text), long_text, long_text + "\n" + long_text, NOW)
    raw = text.encode("utf-8")
    assert raw.endswith(b"\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"") and b"\r" not in raw.replace(b"\r\n", b"")
    for physical in raw.split(b"\r\n")[:-1]:
        assert len(physical) <= 75
        physical.decode("utf-8")  # strict: a split multi-byte character would raise here
    assert str(parse(text)[1]["SUMMARY"]) == long_text


def test_folding_boundaries() -> None:
    assert fold_line("x" * 75) == "x" * 75
    assert fold_line("x" * 76) == "x" * 75 + "\r\n x"
    # A 4-octet emoji that would straddle octet 75 moves whole to the continuation line.
    assert fold_line("x" * 73 + "😀") == "x" * 73 + "\r\n 😀"
    # Continuation lines hold 74 octets after their leading space.
    assert fold_line("y" * (75 + 74 + 1)) == "y" * 75 + "\r\n " + "y" * 74 + "\r\n y"


def test_escape_text_order() -> None:
    assert escape_text("a\\,b;c\nd") == "a\\\\\\,b\\;c\\nd"


@pytest.mark.parametrize(
    ("fmt", "place", "expected"),
    [
        (MeetingFormat.TEAMS, "", "Microsoft Teams"),
        (MeetingFormat.PHONE, "", "Phone"),
        (MeetingFormat.IN_PERSON, "", "In person"),
        (MeetingFormat.IN_PERSON, "  Library, level 2  ", "Library, level 2"),
    ],
)
def test_location(fmt: MeetingFormat, place: str, expected: str) -> None:
    assert str(parse(calendar_file(meeting(format=fmt, place=place), "S", "D", NOW))[1]["LOCATION"]) == expected


def test_no_ones_email_address_is_written_only_the_companions_no_reply() -> None:
    text = calendar_file(meeting(), "S", "D", NOW, "noreply@plp.nhs.test")
    assert "ATTENDEE" not in text and text.count("mailto:") == 1 and "mailto:noreply@plp.nhs.test" in text


@pytest.mark.parametrize(
    "bad",
    [
        meeting(status=MeetingStatus.PROPOSED),
        meeting(status=MeetingStatus.DECLINED),
        meeting(start_at=None),
        meeting(uid=""),
        meeting(duration_minutes=0),
        meeting(start_at=datetime(2027, 3, 9, 14, 0)),  # naive
    ],
    ids=["proposed", "declined", "no start", "no uid", "no duration", "naive start"],
)
def test_meetings_without_a_calendar_file_are_refused(bad: Meeting) -> None:
    with pytest.raises(CalendarError):
        calendar_file(bad, "S", "D", NOW)


def test_naive_now_is_refused() -> None:
    with pytest.raises(CalendarError):
        calendar_file(meeting(), "S", "D", datetime(2027, 3, 1, 8, 30))


@pytest.mark.parametrize(
    ("public_url", "address"),
    [
        ("https://plp.example.nhs.uk", "noreply@plp.example.nhs.uk"),
        ("https://plp.example.nhs.uk:8443/bot/", "noreply@plp.example.nhs.uk"),
        ("http://localhost:3978", "noreply@localhost"),
        ("not a url", "noreply@plp-companion.invalid"),
    ],
)
def test_the_organizer_is_the_companions_no_reply_address_on_its_public_host(public_url: str, address: str) -> None:
    assert organizer_address(public_url) == address


def test_an_odd_organizer_address_cannot_break_the_line() -> None:
    text = calendar_file(meeting(), "S", "D", NOW, "x@y.org\r\nATTENDEE:mailto:evil@example.com")
    _, event = parse(text)
    assert str(event["ORGANIZER"]) == "mailto:noreply@plp-companion.invalid" and "ATTENDEE" not in event
