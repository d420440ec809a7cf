"""Who one can be in the browser chat (Partner A, Partner B, Facilitator) and the tokens a page holds.

Each seat is one person with one conversation; all three share the demo cohort. A token names
a seat and an expiry, signed with a key of this process: it lets a page read and write its own
conversation only, and a page on another site cannot obtain one. Tokens mean nothing outside
local development (try-it is never served in production).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass

TOKEN_SECONDS = 3600
_PURPOSE = b"plp-try-it-seat:"
_TOKEN = re.compile(r"^([a-z-]{1,20})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$")
BOT_ID = "plp-companion"
BOT_NAME = "PLP Companion"


@dataclass(frozen=True)
class Seat:
    """One person in the browser chat."""

    key: str
    name: str
    summary: str

    @property
    def user_id(self) -> str:
        return f"try-it-{self.key}"

    @property
    def conversation_id(self) -> str:
        return f"try-it-{self.key}"

    @property
    def is_partner(self) -> bool:
        return self.key.startswith("partner")


SEATS = (
    Seat(
        "partner-a",
        "Partner A",
        "Join the demo cohort, answer a few questions about yourself and see what a partner sees.",
    ),
    Seat(
        "partner-b",
        "Partner B",
        "Enrol as the second partner, so the facilitator can pair you with Partner A as equals.",
    ),
    Seat(
        "facilitator",
        "Facilitator",
        "Pair the two partners, send a broadcast or open a poll, as the programme team does.",
    ),
)
SEAT_BY_KEY = {seat.key: seat for seat in SEATS}
# The facilitator seat is a facilitator (added to FACILITATORS while try-it runs).
FACILITATOR_USER_ID = SEAT_BY_KEY["facilitator"].user_id
SEAT_BY_CONVERSATION = {seat.conversation_id: seat for seat in SEATS}


class SeatTokens:
    """Issues and checks the signed tokens naming a seat."""

    def __init__(self, key: bytes) -> None:
        if not key:
            raise ValueError("the try-it token key must not be empty")
        self._key = key

    def issue(self, seat: Seat, now: float) -> str:
        """A token for `seat`, good for TOKEN_SECONDS from `now` (seconds since the epoch)."""
        body = f"{seat.key}.{int(now) + TOKEN_SECONDS}"
        return f"{body}.{self._signature(body)}"

    def check(self, token: object, now: float) -> Seat | None:
        """The seat a genuine, unexpired token names; None for anything else (never raises)."""
        if not isinstance(token, str):
            return None
        match = _TOKEN.fullmatch(token)
        if match is None:
            return None
        key, expires, signature = match.groups()
        if not hmac.compare_digest(signature, self._signature(f"{key}.{expires}")):
            return None
        if int(expires) <= now:
            return None
        return SEAT_BY_KEY.get(key)

    def _signature(self, body: str) -> str:
        digest = hmac.new(self._key, _PURPOSE + body.encode("ascii"), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")
