"""`GET /calendar/{token}.ics` over real loopback HTTP: a tiny app with only this route and
an in-memory `load` (the seam the composition root wires to the database)."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest
from icalendar import Calendar
from multidict import CIMultiDictProxy
from yarl import URL

from domain.core.clock import FixedClock
from domain.core.links import CALENDAR, CALENDAR_MARGIN, calendar_url
from domain.core.signing import LinkSigner
from domain.meetings.model import Meeting, MeetingFormat, MeetingStatus
from tests.web.serve import serving
from web.calendar import CALENDAR_PATH, Loaded, calendar_handler

UTC = UTC
NOW = datetime(2027, 3, 1, 8, 30, tzinfo=UTC)
START = datetime(2027, 3, 9, 14, 0, tzinfo=UTC)
SIGNER = LinkSigner.of(b"route test key, thirty-two bytes")
UNTIL = START + CALENDAR_MARGIN  # how long the links of these tests last
PAIR = (21, 22)


def meeting(meeting_id: int, **changes: object) -> Meeting:
    """A confirmed Teams meeting for the pair; keyword arguments override fields."""
    base = Meeting(
        id=meeting_id,
        partnership_id=5,
        proposed_by=21,
        status=MeetingStatus.CONFIRMED,
        options=[START],
        start_at=START,
        duration_minutes=30,
        format=MeetingFormat.TEAMS,
        uid=f"uid-{meeting_id}",
        sequence=1,
    )
    return dataclasses.replace(base, **changes)


@dataclass
class Meetings:
    """In-memory stand-in for the database behind `load`."""

    rows: dict[int, Loaded] = field(default_factory=dict)
    broken: bool = False

    def add(self, m: Meeting, names: tuple[str, str] = ("Ann Lee", "Bob Roy"), description: str = "Agenda") -> None:
        """Store (or replace, like an update) one meeting of the pair (names in PAIR's order)."""
        self.rows[m.id] = (m, PAIR, names, description)

    async def load(self, meeting_id: int) -> Loaded | None:
        """What the database would return; fails like a lost connection when `broken`."""
        if self.broken:
            raise ConnectionError("database unreachable")
        return self.rows.get(meeting_id)


@dataclass
class Server:
    """The running test server, its data and a client."""

    base_url: str
    meetings: Meetings
    http: aiohttp.ClientSession

    async def get(self, path: str) -> tuple[int, CIMultiDictProxy[str], bytes]:
        """GET a raw (already encoded) path; returns status, headers, body."""
        async with self.http.get(URL(self.base_url + path, encoded=True), allow_redirects=False) as response:
            return response.status, response.headers, await response.read()


@pytest.fixture
async def server() -> AsyncIterator[Server]:
    """Only the calendar route, on an ephemeral loopback port."""
    meetings = Meetings()
    handler = calendar_handler(meetings.load, SIGNER, FixedClock(NOW), "noreply@plp.nhs.test")
    async with serving(CALENDAR_PATH, handler) as (base, http):
        yield Server(base, meetings, http)


def path(meeting_id: int, participant_id: int, signer: LinkSigner = SIGNER) -> str:
    """The calendar path for a token made by `signer`."""
    return f"/calendar/{signer.sign(CALENDAR, f'{meeting_id}-{participant_id}', UNTIL)}.ics"


@pytest.mark.parametrize(("participant_id", "partner"), [(21, "Bob Roy"), (22, "Ann Lee")])
async def test_each_partner_gets_the_calendar_file(server: Server, participant_id: int, partner: str) -> None:
    server.meetings.add(meeting(1), description="Plans; goals\nand more")
    url = calendar_url(server.base_url + "/", SIGNER, 1, participant_id, UNTIL)
    async with server.http.get(url) as response:
        status, headers, body = response.status, response.headers, await response.read()
    assert status == 200
    assert headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert headers["Content-Disposition"] == 'attachment; filename="plp-meeting.ics"'
    assert headers["Cache-Control"] == "no-store"
    calendar = Calendar.from_ical(body.decode("utf-8"))
    event = calendar.walk("VEVENT")[0]
    assert str(calendar["METHOD"]) == "PUBLISH" and str(event["ORGANIZER"]) == "mailto:noreply@plp.nhs.test"
    assert str(event["UID"]) == "uid-1@plp-companion"
    assert str(event["SUMMARY"]) == f"PLP meeting with {partner}"  # each sees the other's name
    assert str(event["DESCRIPTION"]) == "Plans; goals\nand more"
    assert event.decoded("DTSTART") == START and event.decoded("DTEND") == START + timedelta(minutes=30)
    assert event.decoded("DTSTAMP") == NOW


async def test_a_cancelled_meeting_serves_a_cancel(server: Server) -> None:
    server.meetings.add(meeting(2, status=MeetingStatus.CANCELLED, sequence=4))
    status, _, body = await server.get(path(2, 22))
    calendar = Calendar.from_ical(body.decode("utf-8"))
    assert status == 200
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(calendar.walk("VEVENT")[0]["STATUS"]) == "CANCELLED"
    assert calendar.walk("VEVENT")[0].decoded("SEQUENCE") == 4


async def test_the_file_follows_a_reschedule(server: Server) -> None:
    server.meetings.add(meeting(3, sequence=1))
    first = Calendar.from_ical((await server.get(path(3, 21)))[2].decode()).walk("VEVENT")[0]
    server.meetings.add(meeting(3, sequence=2, start_at=START + timedelta(days=1)))
    moved = Calendar.from_ical((await server.get(path(3, 21)))[2].decode()).walk("VEVENT")[0]
    assert str(first["UID"]) == str(moved["UID"])
    assert (first.decoded("SEQUENCE"), moved.decoded("SEQUENCE")) == (1, 2)
    assert moved.decoded("DTSTART") == START + timedelta(days=1)


async def assert_not_found(server: Server, raw_path: str) -> None:
    """The one refusal: 404 with a small JSON error body."""
    status, headers, body = await server.get(raw_path)
    assert status == 404
    assert headers["Content-Type"].startswith("application/json")
    assert b"error" in body and b"Traceback" not in body


async def test_unknown_meeting_is_404(server: Server) -> None:
    await assert_not_found(server, path(99, 21))


async def test_someone_outside_the_pair_is_404(server: Server) -> None:
    server.meetings.add(meeting(4))
    await assert_not_found(server, path(4, 23))


@pytest.mark.parametrize("status", [MeetingStatus.PROPOSED, MeetingStatus.DECLINED])
async def test_meetings_not_booked_are_404(server: Server, status: MeetingStatus) -> None:
    server.meetings.add(meeting(5, status=status, start_at=None))
    await assert_not_found(server, path(5, 21))


async def test_a_confirmed_meeting_without_a_start_is_404_not_500(server: Server) -> None:
    server.meetings.add(meeting(6, start_at=None))
    await assert_not_found(server, path(6, 21))


async def test_a_token_from_another_key_is_404(server: Server) -> None:
    server.meetings.add(meeting(7))
    await assert_not_found(server, path(7, 21, LinkSigner.of(b"someone else's key, long enough too")))


async def test_a_tampered_token_is_404(server: Server) -> None:
    server.meetings.add(meeting(8))
    genuine = path(8, 21)
    await assert_not_found(server, genuine.replace(".8-21.", ".9-21."))
    await assert_not_found(server, genuine.replace(".ics", "A.ics"))


async def test_an_expired_link_is_404() -> None:
    """Some days after the meeting the link stops working, though the meeting is still on record."""
    meetings = Meetings()
    meetings.add(meeting(10))
    late = FixedClock(UNTIL)
    async with serving(CALENDAR_PATH, calendar_handler(meetings.load, SIGNER, late)) as (base, http):
        await assert_not_found(Server(base, meetings, http), path(10, 21))


async def test_a_poll_export_token_does_not_open_a_calendar(server: Server) -> None:
    server.meetings.add(meeting(11))
    await assert_not_found(server, f"/calendar/{SIGNER.sign('poll-export', '11-21', UNTIL)}.ics")


GARBAGE = [
    "nope",
    "m1.p21.xxx",
    "m1.p21." + "A" * 32,
    "%C3%BCn%C3%AFc%C3%B8d%C3%A9%F0%9F%98%80",
    "A" * 5000,
    "..%2F..%2Fetc%2Fpasswd",
    "..%5C..%5Cwindows",
    "%00",
    "%FF%FE",
    "m1.p21.%00" + "A" * 29,
    "%25%32%65",
    "m1.p21." + "%E2%80%AE" * 32,
    "%7B%7D",
    "m1%2Ep21%2E" + "A" * 32,
    "..",
    "'%20OR%201=1--",
    "",
    "a/b",
    "m1.p21/" + "A" * 32,
]


@pytest.mark.parametrize("token", GARBAGE, ids=range(len(GARBAGE)))
async def test_garbage_tokens_are_404_json_never_500(server: Server, token: str) -> None:
    server.meetings.add(meeting(1))
    await assert_not_found(server, f"/calendar/{token}.ics")


async def test_a_storage_failure_is_503_json_without_internals(server: Server) -> None:
    server.meetings.add(meeting(9))
    server.meetings.broken = True
    status, headers, body = await server.get(path(9, 21))
    assert status == 503
    assert headers["Content-Type"].startswith("application/json")
    assert b"unreachable" not in body and b"ConnectionError" not in body
