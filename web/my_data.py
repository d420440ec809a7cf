"""`GET /my-data/{token}`: everything held about one person, as a readable page, or as JSON with
`.json` on the address (or `?format=json`).

The signed token (purpose `my-data`, 24 hours) is the only permission, so every refusal looks
the same: 404 JSON, whether the token is altered, expired, for another purpose, or the person
has since been erased. Nothing about the token or the page is logged.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

from domain.core.clock import Clock
from domain.core.links import MY_DATA
from domain.core.signing import LinkSigner, parse_id
from domain.privacy.model import MyData
from web.logsafe import error_summary
from web.my_data_page import page

log = logging.getLogger(__name__)

MY_DATA_PATH = "/my-data/{token:.*}"
Loader = Callable[[int], Awaitable[MyData | None]]
Handler = Callable[[web.Request], Awaitable[web.Response]]

_HEADERS = {
    # Someone's whole record: never kept by a cache, never framed, no script, no outside requests,
    # and the address (the token) is not sent on as a referrer.
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def not_found() -> web.Response:
    """The single answer for every link that does not lead to someone's data."""
    return web.json_response({"error": "this link is not valid; type my data in the chat for a new one"}, status=404)


def my_data_handler(load: Loader, signer: LinkSigner, clock: Clock) -> Handler:
    """aiohttp handler for MY_DATA_PATH; `load(participant id)` -> MyData or None."""

    async def handler(request: web.Request) -> web.Response:
        """Check the token, load the data, answer HTML or JSON (or 404)."""
        token = request.match_info.get("token", "")
        as_json = token.endswith(".json") or request.query.get("format") == "json"
        token = token.removesuffix(".json")
        participant_id = parse_id(signer.open(MY_DATA, token, clock.now()))
        if participant_id is None:
            return not_found()
        try:
            data = await load(participant_id)
        except Exception as exc:
            log.error("personal data could not be loaded: %s", error_summary(exc))
            return web.json_response({"error": "this page is unavailable, please try again later"}, status=503)
        if data is None:
            return not_found()
        if as_json:
            return web.json_response(data.to_dict(), headers=_HEADERS, dumps=_dumps)
        json_url = f"{token}.json"  # relative: the same signed address, as JSON
        return web.Response(text=page(data, json_url), content_type="text/html", charset="utf-8", headers=_HEADERS)

    return handler


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)
