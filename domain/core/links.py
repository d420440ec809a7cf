"""The links the bot hands out: signed calendar (.ics), export and `my data` addresses, and the
Teams "new meeting" deep link. Pure: no web framework (the signer is in domain/core/signing.py).

A signed link is opened without any login, so its token is the permission: it names its
purpose and subject and expires (calendar links some days after the meeting has passed,
exports and `my data` after 24 hours).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol
from urllib.parse import quote, urlencode

from domain.core.clock import Clock
from domain.core.signing import LinkSigner, id_pair

TEAMS_NEW_MEETING = "https://teams.microsoft.com/l/meeting/new"
CALENDAR = "calendar"  # purposes: each inside the MAC, so one kind of token never opens another kind of link
POLL_EXPORT = "poll-export"
MY_DATA = "my-data"
CALENDAR_MARGIN = timedelta(days=7)  # a calendar link works until the meeting has passed plus this
EXPORT_LIFETIME = timedelta(hours=24)  # poll exports and `my data` pages


def calendar_url(base_url: str, signer: LinkSigner, meeting_id: int, participant_id: int, expires_at: datetime) -> str:
    """The public address of one participant's .ics file for one meeting, valid until `expires_at`."""
    token = signer.sign(CALENDAR, id_pair(meeting_id, participant_id), expires_at)
    return f"{base_url.rstrip('/')}/calendar/{token}.ics"


class Links(Protocol):
    """Per-person calendar (.ics) links, so the domain needs no web code; "" means no link."""

    def calendar_url(self, meeting_id: int, participant_id: int, ends_at: datetime) -> str:
        """A link that works until some days after `ends_at` (the meeting's end)."""
        ...


class NoLinks:
    """Calendar links for tests and tools that serve no HTTP: an empty link means no button."""

    def calendar_url(self, meeting_id: int, participant_id: int, ends_at: datetime) -> str:
        return ""


@dataclass(frozen=True)
class CalendarLinks:
    """The `Links` the meeting services need: signed .ics addresses under the public base URL."""

    base_url: str
    signer: LinkSigner
    margin: timedelta = CALENDAR_MARGIN

    def calendar_url(self, meeting_id: int, participant_id: int, ends_at: datetime) -> str:
        """One participant's calendar file for one meeting, until the meeting has passed plus the margin."""
        return calendar_url(self.base_url, self.signer, meeting_id, participant_id, ends_at + self.margin)


@dataclass(frozen=True)
class ShortLinks:
    """Signed addresses that expire EXPORT_LIFETIME after they are made (exports, `my data`)."""

    base_url: str
    signer: LinkSigner
    clock: Clock

    def url(self, purpose: str, prefix: str, subject: str, suffix: str = "") -> str:
        """`{base}/{prefix}/{token}{suffix}`, the token valid for EXPORT_LIFETIME from now."""
        token = self.signer.sign(purpose, subject, self.clock.now() + EXPORT_LIFETIME)
        return f"{self.base_url.rstrip('/')}/{prefix}/{token}{suffix}"


class DataLinks(Protocol):
    """A person's own `my data` page; "" when no page is served (tests, tools)."""

    def my_data_url(self, participant_id: int) -> str: ...


class NoDataLinks:
    """No HTTP server: no link."""

    def my_data_url(self, participant_id: int) -> str:
        return ""


@dataclass(frozen=True)
class MyDataLinks:
    """Signed `/my-data/{token}` addresses, valid for 24 hours."""

    links: ShortLinks

    def my_data_url(self, participant_id: int) -> str:
        """The page showing everything held about this person."""
        return self.links.url(MY_DATA, "my-data", str(participant_id))


def teams_meeting_link(
    subject: str, start: datetime, end: datetime, attendee_email: str = "", content: str = ""
) -> str:
    """Deep link that opens Teams' "new meeting" form, pre-filled; every value url-encoded."""
    params = {"subject": subject, "startTime": _iso_utc(start), "endTime": _iso_utc(end)}
    if attendee_email.strip():
        params["attendees"] = attendee_email.strip()
    if content:
        params["content"] = content
    # quote, not quote_plus: spaces become "%20" as in Microsoft's documented examples, never "+".
    return f"{TEAMS_NEW_MEETING}?{urlencode(params, quote_via=quote, safe='')}"


def _iso_utc(at: datetime) -> str:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("meeting times must be timezone-aware")
    return at.astimezone(UTC).replace(microsecond=0).isoformat()
