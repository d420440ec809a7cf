"""No signed link's token reaches the access log: the redaction itself, and the real app over
loopback HTTP with the access logger `python bot.py` uses."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest

from bot import SIGNER
from domain.core.links import CALENDAR, MY_DATA, POLL_EXPORT
from tests.e2e.harness import running, settings_for
from web.access_log import REDACTED, redact


@pytest.mark.parametrize(
    ("path", "logged"),
    [
        ("/calendar/abc.123.4-5.XYZ.ics", f"/calendar/{REDACTED}.ics"),
        ("/exports/abc.123.4-5.XYZ.csv", f"/exports/{REDACTED}.csv"),
        ("/my-data/abc.123.45.XYZ", f"/my-data/{REDACTED}"),
        ("/my-data/abc.123.45.XYZ.json", f"/my-data/{REDACTED}.json"),
        ("/my-data/abc.123.45.XYZ?format=json", f"/my-data/{REDACTED}"),
        ("/dashboard/sign-in/k1.123.4-ab.XYZ", f"/dashboard/sign-in/{REDACTED}"),
        ("/dashboard/sign-in/k1.123.4-ab.XYZ/extra", f"/dashboard/sign-in/{REDACTED}"),
        ("/dashboard/partnerships?q=Ayesha", "/dashboard/partnerships"),
        ("/calendar/a/b/c.ics", f"/calendar/{REDACTED}"),
        ("/exports/%2E%2E/secret", f"/exports/{REDACTED}"),
        ("/healthz?token=abc", "/healthz"),
        ("/api/messages", "/api/messages"),
    ],
)
def test_signed_paths_and_query_strings_are_redacted(path: str, logged: str) -> None:
    assert redact(path) == logged


async def test_the_running_app_logs_requests_without_their_tokens(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="aiohttp.access")
    async with running(settings_for(database_url)) as h:
        until = datetime.now(UTC) + timedelta(days=1)
        tokens = [
            h.app[SIGNER].sign(CALENDAR, "1-2", until),
            h.app[SIGNER].sign(POLL_EXPORT, "1-2", until),
            h.app[SIGNER].sign(MY_DATA, "2", until),
        ]
        base = h.bot_url.removesuffix("/api/messages")
        paths = [f"/calendar/{tokens[0]}.ics", f"/exports/{tokens[1]}.csv", f"/my-data/{tokens[2]}?format=json"]
        for path in [*paths, "/healthz?secret=query-secret"]:
            async with h.http.get(base + path) as response:
                assert response.status in (200, 404)
    lines = [r.getMessage() for r in caplog.records if r.name == "aiohttp.access"]
    assert len(lines) == 4
    assert all(token not in line for token in tokens for line in lines)
    assert not any("query-secret" in line for line in lines)
    assert f"GET /calendar/{REDACTED}.ics" in lines[0] and f"GET /exports/{REDACTED}.csv" in lines[1]
