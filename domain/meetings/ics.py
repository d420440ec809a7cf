"""iCalendar (RFC 5545) files for booked meetings, written by hand: no library at runtime.

One VEVENT per file. A downloadable file is a publication, not an invitation (RFC 5546): a
confirmed meeting is METHOD:PUBLISH with the companion as ORGANIZER and no ATTENDEE; a cancelled
one is METHOD:CANCEL from the same organizer with STATUS:CANCELLED and the same UID, so calendar
apps update or remove the event they already hold (they keep the copy with the highest SEQUENCE).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import urlsplit

from domain.meetings.model import Meeting, MeetingFormat, MeetingStatus

PRODID = "-//PLP Companion//EN"
UID_DOMAIN = "plp-companion"
ORGANIZER_NAME = "PLP Companion"
DEFAULT_ORGANIZER = "noreply@plp-companion.invalid"
MAX_LINE_OCTETS = 75

_LOCATIONS = {
    MeetingFormat.TEAMS: "Microsoft Teams",
    MeetingFormat.PHONE: "Phone",
    MeetingFormat.IN_PERSON: "In person",
}
# RFC 5545 TEXT allows no control characters except HTAB; newlines are escaped separately.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_NEWLINE = re.compile(r"\r\n|\r|\n")
_HOST = re.compile(r"[A-Za-z0-9.-]{1,253}")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}")


class CalendarError(ValueError):
    """The meeting cannot be written as a calendar file (not booked, no start, no uid)."""


def calendar_file(
    meeting: Meeting, summary: str, description: str, now: datetime, organizer: str = DEFAULT_ORGANIZER
) -> str:
    """The .ics text for a confirmed (PUBLISH) or cancelled (CANCEL) meeting, from `organizer` (an email
    address): CRLF, folded, escaped."""
    start, end = _times(meeting)
    cancelled = meeting.status is MeetingStatus.CANCELLED
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"METHOD:{'CANCEL' if cancelled else 'PUBLISH'}",
        "BEGIN:VEVENT",
        f"UID:{escape_text(event_uid(meeting))}",
        f"DTSTAMP:{utc_stamp(now)}",
        f"DTSTART:{utc_stamp(start)}",
        f"DTEND:{utc_stamp(end)}",
        f"SEQUENCE:{max(meeting.sequence, 0)}",
        f"ORGANIZER;CN={ORGANIZER_NAME}:mailto:{_address(organizer)}",
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
        f"SUMMARY:{escape_text(summary)}",
        f"DESCRIPTION:{escape_text(description)}",
        f"LOCATION:{escape_text(location(meeting))}",
        "TRANSP:OPAQUE",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(fold_line(line) + "\r\n" for line in lines)


def event_uid(meeting: Meeting) -> str:
    """The UID calendars key the event on; stable across reschedules because meeting.uid is."""
    if not meeting.uid.strip():
        raise CalendarError("the meeting has no calendar uid")
    return f"{meeting.uid}@{UID_DOMAIN}"


def organizer_address(public_url: str) -> str:
    """The companion's no-reply address on its public host ("noreply@plp.example.nhs.uk")."""
    host = urlsplit(public_url).hostname or ""
    return f"noreply@{host}" if _HOST.fullmatch(host) else DEFAULT_ORGANIZER


def _address(email: str) -> str:
    """An email address safe inside a content line (anything odd falls back to the default)."""
    return email if _EMAIL.fullmatch(email) else DEFAULT_ORGANIZER


def location(meeting: Meeting) -> str:
    """The place typed by the partners, else a word for the format."""
    return meeting.place.strip() or _LOCATIONS.get(meeting.format, "")


def utc_stamp(at: datetime) -> str:
    """RFC 5545 UTC DATE-TIME in basic format, e.g. 20270309T140000Z."""
    if at.tzinfo is None or at.utcoffset() is None:
        # A naive time would silently be read as the server's local time: refuse it.
        raise CalendarError("calendar times must be timezone-aware")
    return at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def escape_text(value: str) -> str:
    """Escape a TEXT value: backslash, semicolon, comma and newlines; drop other control characters."""
    # Lone surrogates (possible in JSON from a chat client) cannot be written as UTF-8.
    clean = value.encode("utf-8", "replace").decode("utf-8")
    clean = _CONTROL.sub("", _NEWLINE.sub("\n", clean))
    clean = clean.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return clean.replace("\n", "\\n")


def fold_line(line: str) -> str:
    """Fold a content line so each physical line is at most 75 octets, never splitting a character."""
    pieces: list[str] = []
    current: list[str] = []
    size, limit = 0, MAX_LINE_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append("".join(current))
            # Continuation lines start with one space, which counts towards their 75 octets.
            current, size, limit = [], 0, MAX_LINE_OCTETS - 1
        current.append(char)
        size += width
    pieces.append("".join(current))
    return "\r\n ".join(pieces)


def _times(meeting: Meeting) -> tuple[datetime, datetime]:
    if meeting.status not in (MeetingStatus.CONFIRMED, MeetingStatus.CANCELLED):
        raise CalendarError("only confirmed or cancelled meetings have a calendar file")
    if meeting.start_at is None or meeting.end_at is None:
        raise CalendarError("the meeting has no agreed start time")
    if meeting.duration_minutes <= 0:
        raise CalendarError("the meeting has no positive duration")
    return meeting.start_at, meeting.end_at
