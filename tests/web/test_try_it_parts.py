"""Try-it's parts on their own: the in-memory transcripts, seat tokens, who may use the connector,
the calendar's wording, the start-up banner and the quiet access log."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import make_mocked_request

from web.tryit import pages
from web.tryit.app import QuietPolls
from web.tryit.connector import _from_this_machine
from web.tryit.conversations import Conversations
from web.tryit.pages import banner
from web.tryit.programme_clock import _ahead
from web.tryit.seats import SEAT_BY_KEY, TOKEN_SECONDS, Seat, SeatTokens

NOW = 1_800_000_000.0


def _at() -> datetime:
    return datetime(2027, 3, 1, 10, 0, tzinfo=UTC)


def test_a_transcript_numbers_activities_and_answers_from_a_watermark() -> None:
    store = Conversations(now=_at)
    assert store.open("c", "u", "Partner A") is True
    assert store.open("c", "u", "Partner A") is False  # opened once: the bot greets once
    first = store.append("c", {"type": "message", "text": "one"})
    assert first["id"] == store.since("c", 0)[0][0]["id"]
    assert store.next_id("c") != first["id"]
    second = store.append("c", {"type": "message", "text": "two"})
    assert first["timestamp"] == "2027-03-01T10:00:00Z" and first["conversation"] == {"id": "c"}
    assert store.since("c", 1) == ([second], 2)
    assert store.since("c", 2) == ([], 2)
    assert store.since("c", 99) == ([], 2)  # a page from before a restart simply catches up


def test_activity_ids_differ_between_runs_so_the_bot_never_takes_a_new_message_for_a_repeat() -> None:
    ids = set()
    for _ in range(2):
        store = Conversations(now=_at)
        store.ensure("c", "u", "A")
        ids.add(store.append("c", {"type": "message"})["id"])
    assert len(ids) == 2


def test_a_transcript_keeps_the_newest_activities_and_the_most_recent_conversations() -> None:
    store = Conversations(keep=3, max_conversations=2, now=_at)
    store.ensure("a", "ua", "A")
    for n in range(5):
        store.append("a", {"text": str(n)})
    kept, watermark = store.since("a", 0)
    assert [a["text"] for a in kept] == ["2", "3", "4"] and watermark == 5
    assert [a["text"] for a in store.since("a", 3)[0]] == ["3", "4"]
    store.ensure("b", "ub", "B")
    assert store.get("a") is not None  # touched: now the most recent
    store.ensure("c", "uc", "C")
    assert (store.get("a") is not None, store.get("b"), store.get("c") is not None) == (True, None, True)


def test_a_seat_token_is_good_for_its_seat_for_an_hour_and_cannot_be_forged() -> None:
    tokens = SeatTokens(b"k" * 32)
    seat = SEAT_BY_KEY["partner-b"]
    token = tokens.issue(seat, NOW)
    assert tokens.check(token, NOW) == seat
    assert tokens.check(token, NOW + TOKEN_SECONDS - 1) == seat
    assert tokens.check(token, NOW + TOKEN_SECONDS) is None
    assert SeatTokens(b"other key").check(token, NOW) is None
    key, expires, signature = token.split(".")
    assert tokens.check(f"partner-a.{expires}.{signature}", NOW) is None
    assert tokens.check(f"{key}.{int(expires) + 3600}.{signature}", NOW) is None
    assert tokens.check(tokens.issue(Seat("mentor", "Mentor", ""), NOW), NOW) is None  # no such seat
    for junk in (None, 42, "", "a.b.c", token + "x", token.replace(".", "..")):
        assert tokens.check(junk, NOW) is None
    with pytest.raises(ValueError):
        SeatTokens(b"")


class _Transport:
    def __init__(self, peer: str, own: str) -> None:
        self.extra = {"peername": (peer, 50000), "sockname": (own, 3978)}

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return self.extra.get(name, default)

    def is_closing(self) -> bool:
        return False


@pytest.mark.parametrize(
    ("peer", "own", "allowed"),
    [
        ("127.0.0.1", "127.0.0.1", True),
        ("::1", "::1", True),
        ("192.168.1.20", "192.168.1.20", True),  # the bot calling the address it was reached on
        ("192.168.1.30", "192.168.1.20", False),  # another machine on the network
        ("not an address", "127.0.0.1", False),
    ],
)
def test_only_this_machine_may_post_to_the_connector(peer: str, own: str, allowed: bool) -> None:
    request = make_mocked_request(
        "POST", "/try/connector/v3/conversations/x/activities", transport=_Transport(peer, own)
    )
    assert _from_this_machine(request) is allowed


@pytest.mark.parametrize(
    ("days", "wording"),
    [
        (0, "(today's date)"),
        (1, "(1 day ahead of today)"),
        (7, "(1 week ahead of today)"),
        (9, "(1 week and 2 days ahead of today)"),
        (14, "(2 weeks ahead of today)"),
    ],
)
def test_the_calendar_says_how_far_ahead_it_is(days: int, wording: str) -> None:
    assert _ahead(timedelta(days=days)) == wording


@pytest.mark.parametrize(
    ("host", "url"),
    [("0.0.0.0", "http://localhost:3978/"), ("127.0.0.1", "http://127.0.0.1:3978/"), ("::1", "http://[::1]:3978/")],
)
def test_the_banner_names_the_page_to_open(host: str, url: str) -> None:
    assert f"Try it in your browser: open {url}\n" in banner(host, 3978)


def test_web_chat_polls_stay_out_of_the_access_log_and_everything_else_stays_in() -> None:
    def record(message: str) -> logging.LogRecord:
        return logging.LogRecord("aiohttp.access", logging.INFO, __file__, 1, message, None, None)

    quiet = QuietPolls()
    assert not quiet.filter(
        record('127.0.0.1 "GET /v3/directline/conversations/c/activities?watermark=3 HTTP/1.1" 200')
    )
    assert quiet.filter(record('127.0.0.1 "POST /v3/directline/conversations/c/activities HTTP/1.1" 200'))
    assert quiet.filter(record('127.0.0.1 "GET / HTTP/1.1" 200'))


def test_the_chat_page_loads_web_chat_locally_when_fetched_and_from_the_cdn_otherwise(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pages, "WEBCHAT_LOCAL", tmp_path / "webchat.js")
    assert pages.webchat_source() == "https://cdn.botframework.com/botframework-webchat/4.18.1/webchat.js"
    assert "Microsoft's CDN" in pages.banner("0.0.0.0", 3978)
    (tmp_path / "webchat.js").write_text("window.WebChat = {};")
    assert pages.webchat_source() == "/try/static/vendor/webchat.js"
    assert "a local copy" in pages.banner("0.0.0.0", 3978)
