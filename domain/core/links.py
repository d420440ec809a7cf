"""Signed calendar links and the Teams "new meeting" deep link. Pure: no web framework.

A calendar link is opened by a calendar app or a browser without any login, so the token
itself is the permission: it names one meeting and one participant and carries an HMAC
that only this server can produce.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol
from urllib.parse import quote, urlencode

SIGNATURE_CHARS = 32  # 32 base64url characters = 192 bits of the HMAC-SHA256
TEAMS_NEW_MEETING = "https://teams.microsoft.com/l/meeting/new"
_MAX_TOKEN_CHARS = 100
# Purpose label inside the MAC, so a key reused for another kind of link cannot mint these.
_PURPOSE = b"plp-companion/calendar-link/v1|"
_DERIVE_LABEL = b"plp-companion/calendar-link-key/v1|"
# Canonical form only: ASCII digits, no leading zeros, no sign, so each pair has one token.
_TOKEN = re.compile(rf"m([1-9][0-9]{{0,17}})\.p([1-9][0-9]{{0,17}})\.([A-Za-z0-9_-]{{{SIGNATURE_CHARS}}})")


class LinkSigner:
    """Makes and checks unguessable tokens naming (meeting, participant)."""

    def __init__(self, key: bytes) -> None:
        if not isinstance(key, bytes) or not key:
            raise ValueError("the link signing key must be non-empty bytes")
        self._key = key

    def token(self, meeting_id: int, participant_id: int) -> str:
        """'m{meeting}.p{participant}.{signature}' for positive ids."""
        for value in (meeting_id, participant_id):
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise ValueError("meeting and participant ids must be positive integers")
        body = f"m{meeting_id}.p{participant_id}"
        return f"{body}.{self._signature(body)}"

    def verify(self, token: object) -> tuple[int, int] | None:
        """(meeting_id, participant_id) for a genuine token; None for anything else, never raises."""
        if not isinstance(token, str) or len(token) > _MAX_TOKEN_CHARS:
            return None
        match = _TOKEN.fullmatch(token)
        if match is None:
            return None
        meeting_id, participant_id, signature = match.groups()
        expected = self._signature(f"m{meeting_id}.p{participant_id}")
        if not hmac.compare_digest(signature.encode("ascii"), expected.encode("ascii")):
            return None
        return int(meeting_id), int(participant_id)

    def _signature(self, body: str) -> str:
        digest = hmac.new(self._key, _PURPOSE + body.encode("ascii"), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode("ascii")[:SIGNATURE_CHARS]


def calendar_url(base_url: str, signer: LinkSigner, meeting_id: int, participant_id: int) -> str:
    """The public address of one participant's .ics file for one meeting."""
    return f"{base_url.rstrip('/')}/calendar/{signer.token(meeting_id, participant_id)}.ics"


class Links(Protocol):
    """Per-person calendar (.ics) links, so the domain needs no web code; "" means no link."""

    def calendar_url(self, meeting_id: int, participant_id: int) -> str: ...


class NoLinks:
    """Calendar links for tests and tools that serve no HTTP: an empty link means no button."""

    def calendar_url(self, meeting_id: int, participant_id: int) -> str:
        return ""


@dataclass(frozen=True)
class CalendarLinks:
    """The `Links` the meeting services need: signed .ics addresses under the public base URL."""

    base_url: str
    signer: LinkSigner

    def calendar_url(self, meeting_id: int, participant_id: int) -> str:
        """One participant's calendar file for one meeting."""
        return calendar_url(self.base_url, self.signer, meeting_id, participant_id)


def signing_key(configured: str, app_password: str) -> tuple[bytes, bool]:
    """(key, durable): PLP_SIGNING_KEY, else derived from the app password, else random (not durable)."""
    if configured.strip():
        return configured.strip().encode("utf-8"), True
    if app_password:
        # A labelled hash: the password itself never becomes the key, and the key is stable across restarts.
        return hashlib.sha256(_DERIVE_LABEL + app_password.encode("utf-8")).digest(), True
    # Links made now stop working after a restart; the caller logs a warning.
    return secrets.token_bytes(32), False


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
