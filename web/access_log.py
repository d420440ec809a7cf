"""The HTTP access log without secrets: signed link tokens and query strings never reach it.

A signed path (`/calendar/{token}.ics`, `/exports/{token}.csv`, `/my-data/{token}`, the
dashboard's single-use `/dashboard/sign-in/{token}`) is a bearer permission: written to a log,
it would let anyone who reads the log open a person's calendar, a poll export, everything held
about someone or (within minutes) the dashboard. So each line
keeps the route's shape and drops the token (and any query string).
"""

from __future__ import annotations

import logging
import re

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger

SIGNED_PREFIXES = ("calendar", "exports", "my-data", "dashboard/sign-in")
REDACTED = "[redacted]"
_SIGNED = re.compile(rf"^/({'|'.join(SIGNED_PREFIXES)})/[^/]*?(\.ics|\.csv|\.json|\.html)?$")


def redact(path: str) -> str:
    """The path as it may be logged: a signed link's token replaced, the query string dropped."""
    bare = path.split("?", 1)[0]
    match = _SIGNED.match(bare)
    if match is not None:
        return f"/{match.group(1)}/{REDACTED}{match.group(2) or ''}"
    # Any other path under a signed prefix (extra slashes, odd suffixes) loses everything after it.
    for prefix in SIGNED_PREFIXES:
        if bare.startswith(f"/{prefix}/"):
            return f"/{prefix}/{REDACTED}"
    return bare


class RedactingAccessLogger(AbstractAccessLogger):
    """aiohttp's access log line (client, request line, status, size, seconds) with the path redacted."""

    @property
    def enabled(self) -> bool:
        """aiohttp skips building the line when INFO is off."""
        return self.logger.isEnabledFor(logging.INFO)

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        """One line per request; the raw path and query string are never written."""
        self.logger.info(
            '%s "%s %s HTTP/%d.%d" %d %s %.3fs',
            request.remote or "-",
            request.method,
            redact(request.raw_path),
            request.version.major,
            request.version.minor,
            response.status,
            response.body_length,
            time,
        )
