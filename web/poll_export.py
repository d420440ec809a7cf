"""`GET /exports/{token}.csv`: a poll's responses as CSV for the facilitator the link was made for.

The signed token (poll, facilitator) is the permission, so every refusal looks the same: 404
JSON, whether the token is forged or expired (links last 24 hours), the poll unknown, the
person no longer a facilitator, or fewer than 5 responses. Nothing about the token, the poll or any answer is logged.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

from domain.core.clock import Clock
from domain.core.links import POLL_EXPORT
from domain.core.signing import LinkSigner, parse_id_pair
from web.logsafe import error_summary

log = logging.getLogger(__name__)

# Any text before ".csv" reaches the handler, so odd characters get the same JSON 404, not aiohttp's own.
EXPORT_PATH = "/exports/{token:.*}.csv"
Loader = Callable[[int, int], Awaitable[str | None]]
Handler = Callable[[web.Request], Awaitable[web.Response]]

_HEADERS = {
    "Content-Disposition": 'attachment; filename="plp-poll.csv"',
    # Survey answers: never kept by a cache on the way.
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
}


def not_found() -> web.Response:
    """The single answer for every link that does not lead to an export."""
    return web.json_response({"error": "this export link is not valid"}, status=404)


def poll_export_handler(load: Loader, signer: LinkSigner, clock: Clock) -> Handler:
    """aiohttp handler for EXPORT_PATH; `load(poll_id, facilitator_id)` -> CSV text or None."""

    async def handler(request: web.Request) -> web.Response:
        """Check the token, load the CSV, answer it or 404."""
        ids = parse_id_pair(signer.open(POLL_EXPORT, request.match_info.get("token", ""), clock.now()))
        if ids is None:
            return not_found()
        try:
            text = await load(*ids)
        except Exception as exc:
            log.error("poll export could not be loaded: %s", error_summary(exc))
            return web.json_response({"error": "exports are unavailable, please try again later"}, status=503)
        if text is None:
            return not_found()
        return web.Response(text=text, content_type="text/csv", charset="utf-8", headers=_HEADERS)

    return handler
