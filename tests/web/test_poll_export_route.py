"""`GET /exports/{token}.csv` over real loopback HTTP, loading from the real database: the signed
facilitator gets the CSV of a closed poll; every other request (a poll still open included) gets the
same JSON 404 (503 if storage fails), never a 500."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from dataclasses import dataclass

import aiohttp
import pytest
from multidict import CIMultiDictProxy
from sqlalchemy.ext.asyncio import AsyncEngine
from yarl import URL

from domain.core.links import LinkSigner
from domain.polls import service as polls
from domain.polls.results import PollExportLinks, export_signer
from domain.polls.service import export_csv
from storage.store import SqlStore
from tests.domain.poll_fixtures import DELIVERY, FACILITATORS, NOW, Cohort, answer, make_cohort, make_poll
from tests.web.serve import serving
from web.poll_export import EXPORT_PATH, poll_export_handler

KEY = b"export route key"
SIGNER = export_signer(KEY)


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
    handler = poll_export_handler(lambda poll_id, fac: export_csv(store, poll_id, fac, FACILITATORS), SIGNER)
    async with serving(EXPORT_PATH, handler) as (base, http):
        yield Server(base, http, cohort, poll.id, small.id, still_open.id)


async def test_the_facilitator_downloads_the_csv(server: Server) -> None:
    url = PollExportLinks(server.base_url, SIGNER).export_url(server.poll, server.cohort.facilitator)
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
        f"/exports/{SIGNER.token(server.poll, person)}.csv",  # signed, but not a facilitator
        f"/exports/{SIGNER.token(server.small_poll, fac)}.csv",  # fewer than 5 responses
        f"/exports/{SIGNER.token(server.open_poll, fac)}.csv",  # still open: no results yet
        f"/exports/{SIGNER.token(server.poll + 40, fac)}.csv",  # unknown poll
        f"/exports/{LinkSigner(KEY).token(server.poll, fac)}.csv",  # a calendar-style token
        f"/exports/{SIGNER.token(server.poll, fac)[:-1]}A.csv",  # forged signature
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
        serving(EXPORT_PATH, poll_export_handler(broken, SIGNER)) as (base, http),
        http.get(f"{base}/exports/{SIGNER.token(1, 2)}.csv") as response,
    ):
        assert response.status == 503
        assert "10.0.0.5" not in await response.text()
