"""`GET /calendar/{token}.ics`: one participant's calendar file for one meeting.

The signed token is the only permission (calendar apps fetch without logging in), so every
refusal looks the same: 404 JSON, whether the token is forged or expired (some days after
the meeting), the meeting is unknown, or the person is not one of the pair. Nothing is
logged about the token or the meeting text.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

from domain.core.clock import Clock
from domain.core.links import CALENDAR
from domain.core.ports import Store
from domain.core.signing import LinkSigner, parse_id_pair
from domain.meetings import service as meetings
from domain.meetings.ics import DEFAULT_ORGANIZER, CalendarError, calendar_file
from domain.meetings.model import Meeting, MeetingStatus
from domain.meetings.wording import calendar_description, calendar_summary
from web.logsafe import error_summary

log = logging.getLogger(__name__)

# Any text before ".ics" reaches the handler (aiohttp's default pattern would refuse "{", "}" and "/" with
# its own plain-text 404), so every refusal is the same JSON 404.
CALENDAR_PATH = "/calendar/{token:.*}.ics"
Loaded = tuple[Meeting, tuple[int, int], tuple[str, str], str]  # meeting, pair, their names, description
Loader = Callable[[int], Awaitable[Loaded | None]]
Handler = Callable[[web.Request], Awaitable[web.Response]]

_HEADERS = {
    "Content-Disposition": 'attachment; filename="plp-meeting.ics"',
    # The file changes on every reschedule and names a private meeting: no caches on the way.
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
}
_SHAREABLE = (MeetingStatus.CONFIRMED, MeetingStatus.CANCELLED)


def not_found() -> web.Response:
    """The single answer for every link that does not lead to a calendar file."""
    return web.json_response({"error": "this calendar link is not valid"}, status=404)


def stored_meetings(store: Store) -> Loader:
    """A `load` for `calendar_handler` that reads the meeting and its partners from the store."""

    async def load(meeting_id: int) -> Loaded | None:
        """The meeting, its two partners and their names, and the description (None when unknown)."""
        entry = await meetings.calendar_entry(store, meeting_id)
        if entry is None:
            return None
        return entry.meeting, entry.partners, entry.names, calendar_description(entry.meeting)

    return load


def calendar_handler(load: Loader, signer: LinkSigner, clock: Clock, organizer: str = DEFAULT_ORGANIZER) -> Handler:
    """aiohttp handler for CALENDAR_PATH; `load(meeting_id)` -> (meeting, pair, names, description) or None.
    The file is published by `organizer` (the companion's address) and its title names the other partner."""

    async def handler(request: web.Request) -> web.Response:
        """Check the token, load the meeting, answer the .ics or 404."""
        ids = parse_id_pair(signer.open(CALENDAR, request.match_info.get("token", ""), clock.now()))
        if ids is None:
            return not_found()
        meeting_id, participant_id = ids
        try:
            loaded = await load(meeting_id)
        except Exception as exc:
            log.error("calendar file could not be loaded: %s", error_summary(exc))
            return web.json_response({"error": "calendar files are unavailable, please try again later"}, status=503)
        text = _file_for(loaded, participant_id, clock, organizer)
        if text is None:
            return not_found()
        return web.Response(text=text, content_type="text/calendar", charset="utf-8", headers=_HEADERS)

    return handler


def _file_for(loaded: Loaded | None, participant_id: int, clock: Clock, organizer: str) -> str | None:
    """The .ics text, or None when this participant may not have it (or it cannot exist)."""
    if loaded is None:
        return None
    meeting, pair, names, description = loaded
    if participant_id not in pair or meeting.status not in _SHAREABLE:
        return None
    partner = names[1] if participant_id == pair[0] else names[0]
    try:
        return calendar_file(meeting, calendar_summary(partner), description, clock.now(), organizer)
    except CalendarError:
        return None
