"""`GET /exports/{token}.csv` over real loopback HTTP, loading from the real database: the signed
facilitator gets the CSV of a closed poll; every other request (a poll still open included) gets the
same JSON 404 (503 if storage fails), never a 500."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import aiohttp
import pytest
from multidict import CIMultiDictProxy
from sqlalchemy.ext.asyncio import AsyncEngine
from yarl import URL

from domain.core.clock import FixedClock
from domain.core.links import CALENDAR, POLL_EXPORT, ShortLinks
from domain.core.signing import LinkSigner
from domain.polls import service as polls
from domain.polls.results import PollExportLinks
from domain.polls.service import export_csv
from storage.store import SqlStore
from tests.domain.poll_fixtures import DELIVERY, FACILITATORS, NOW, Cohort, answer, make_cohort, make_poll
from tests.web.serve import serving
from web.poll_export import EXPORT_PATH, poll_export_handler

SIGNER = LinkSigner.of(b"export route key, thirty-two bytes")
CLOCK = FixedClock(NOW)


def token(poll_id: int, facilitator_id: int, purpose: str = POLL_EXPORT, hours: float = 24) -> str:
    """A signed export token, valid for `hours` from NOW."""
    return SIGNER.sign(purpose, f"{poll_id}-{facilitator_id}", NOW + timedelta(hours=hours))


def _flip_last(text: str) -> str:
    return text[:-1] + ("B" if text[-1] != "B" else "C")


@dataclass
class Server:
    base_url: str
    http: aiohttp.ClientSession
    cohort: Cohort
    poll: int
    small_poll: int
    open_poll: int

    async def get(self, path: str) -> tuple[int, str, CIMultiDictProxy[str]]:
        async with self.http.get(URL(self.base_url + path, encoded=True), allow_redirects=False) as response:
            return response.status, await response.text(), response.headers


@pytest.fixture
async def server(engine: AsyncEngine) -> AsyncIterator[Server]:
    """The export route on an ephemeral port; closed poll 1 has 5 responses, closed poll 2 only 1, and
    poll 3 has 5 but is still open."""
    store = SqlStore(engine)
    cohort = await make_cohort(store, 5)
    poll, small, still_open = [await make_poll(store, cohort) for _ in range(3)]
    for n, person in enumerate(cohort.people):
        await answer(store, poll, person, {"met": "2", "comments": f"=note {n}"})
        await answer(store, still_open, person, {"met": "2"})
    await answer(store, small, cohort.people[0], {"met": "1"})
    for closing in (poll, small):
        await polls.close_poll(store, closing.id, NOW, DELIVERY)
    handler = poll_export_handler(lambda poll_id, fac: export_csv(store, poll_id, fac, FACILITATORS), SIGNER, CLOCK)
    async with serving(EXPORT_PATH, handler) as (base, http):
        yield Server(base, http, cohort, poll.id, small.id, still_open.id)


async def test_the_facilitator_downloads_the_csv(server: Server) -> None:
    url = PollExportLinks(ShortLinks(server.base_url, SIGNER, CLOCK)).export_url(server.poll, server.cohort.facilitator)
    async with server.http.get(url) as response:
        status, headers, body = response.status, response.headers, await response.text()
    assert status == 200
    assert headers["Content-Type"] == "text/csv; charset=utf-8"
    assert headers["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["question", "answer", "count", "percent"]
    assert ["How many times have you met in the last three months?", "2", "5", "100%"] in rows
    assert [r[2] for r in rows if r[1] == "comment"] == [f"'=note {n}" for n in range(5)]  # formula-safe


async def test_every_other_request_is_the_same_404(server: Server) -> None:
    fac, person = server.cohort.facilitator, server.cohort.people[0]
    paths = [
        f"/exports/{token(server.poll, person)}.csv",  # signed, but not a facilitator
        f"/exports/{token(server.small_poll, fac)}.csv",  # fewer than 5 responses
        f"/exports/{token(server.open_poll, fac)}.csv",  # still open: no results yet
        f"/exports/{token(server.poll + 40, fac)}.csv",  # unknown poll
        f"/exports/{token(server.poll, fac, purpose=CALENDAR)}.csv",  # a calendar token
        f"/exports/{token(server.poll, fac, hours=0)}.csv",  # expired (made 24 hours ago)
        f"/exports/{_flip_last(token(server.poll, fac))}.csv",  # forged signature
        "/exports/%7Bnot-a-token%7D.csv",
        "/exports/a/b.csv",
        "/exports/.csv",
    ]
    for path in paths:
        status, body, _ = await server.get(path)
        assert (status, body) == (404, '{"error": "this export link is not valid"}'), path


async def test_a_storage_failure_is_503_without_details() -> None:
    async def broken(poll_id: int, facilitator_id: int) -> str | None:
        raise ConnectionError("database at 10.0.0.5 unreachable")

    async with (
        serving(EXPORT_PATH, poll_export_handler(broken, SIGNER, CLOCK)) as (base, http),
        http.get(f"{base}/exports/{token(1, 2)}.csv") as response,
    ):
        assert response.status == 503
        assert "10.0.0.5" not in await response.text()
