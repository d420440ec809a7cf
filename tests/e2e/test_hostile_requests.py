"""Malformed and hostile requests get a clear 4xx (never a 500 or a stack trace);
duplicates run once; card invokes get 200; health probes answer."""

from __future__ import annotations

import base64
import json

import pytest

from tests.e2e.harness import card_text, fixture, running, settings_for

MESSAGE = fixture("teams_message_personal.json")


def _jwt_part(data: dict[str, str]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _unsigned_jwt() -> str:
    return f"{_jwt_part({'alg': 'RS256', 'kid': 'x', 'typ': 'JWT'})}.{_jwt_part({'aud': 'someone'})}.c2lnbmF0dXJl"


@pytest.mark.parametrize(
    ("raw", "headers", "status"),
    [
        (b"{not json", {}, 400),
        (b"[1, 2, 3]", {}, 400),
        (b'"just a string"', {}, 400),
        (b"{}", {}, 400),
        (b'{"type": 7}', {}, 400),
        (b"\xff\xfe\x00", {}, 400),
        (json.dumps(MESSAGE).encode(), {"Content-Type": "text/plain"}, 415),
        (b"{" + b" " * 300_000 + b"}", {}, 413),
        (json.dumps(MESSAGE).encode(), {"Authorization": "Bearer not-a-token"}, 401),
        (json.dumps(MESSAGE).encode(), {"Authorization": f"Bearer {_unsigned_jwt()}"}, 401),
    ],
)
async def test_bad_requests_get_clear_4xx_without_internals(
    database_url: str, raw: bytes, headers: dict[str, str], status: int
) -> None:
    async with running(settings_for(database_url)) as h:
        got, body = await h.post(None, headers=headers, raw=raw)
        assert got == status
        assert isinstance(body, dict) and body["error"]
        assert "Traceback" not in json.dumps(body)
        assert h.connector.requests == []


@pytest.mark.parametrize("authorization", ["", "Bearer not-a-token", f"Bearer {_unsigned_jwt()}"])
async def test_with_credentials_a_missing_or_invalid_token_is_401(database_url: str, authorization: str) -> None:
    settings = settings_for(database_url, app_id="00000000-0000-4000-8000-00000000b071", app_password="secret")
    async with running(settings) as h:
        headers = {"Authorization": authorization} if authorization else {}
        got, body = await h.post(MESSAGE, headers=headers)
        assert got == 401 and "Traceback" not in json.dumps(body)


async def test_get_is_not_allowed_and_probes_answer(database_url: str) -> None:
    async with running(settings_for(database_url)) as h:
        async with h.http.get(h.bot_url) as response:
            assert response.status == 405
        base = h.bot_url.rsplit("/api/", 1)[0]
        async with h.http.get(f"{base}/healthz") as response:
            assert response.status == 200
        async with h.http.get(f"{base}/readyz") as response:
            assert response.status == 200 and (await response.json())["database"] == "ok"


async def test_a_redelivered_activity_is_processed_once(database_url: str) -> None:
    async with running(settings_for(database_url)) as h:
        sam = h.person("Sam")
        activity = sam._activity("teams_message_personal.json", text="help")
        assert (await h.post(activity))[0] == 201
        assert (await h.post(activity))[0] == 201
        assert len(sam.new_messages()) == 1


async def test_adaptive_card_invoke_gets_200_with_a_body(database_url: str) -> None:
    async with running(settings_for(database_url)) as h:
        sam = h.person("Sam")
        invoke = sam._activity("teams_invoke_adaptive_card_action.json")
        invoke["value"]["action"]["data"] = {"command": "help"}
        status, body = await h.post(invoke)
        assert status == 200 and body["statusCode"] == 200
        assert "Here's what I can do" in card_text(sam.new_messages()[-1])


async def test_messages_in_a_team_channel_keep_personal_details_out_of_view(database_url: str) -> None:
    async with running(settings_for(database_url)) as h:
        mention = fixture("teams_message_channel_mention.json")
        mention.update(serviceUrl=h.connector.url, text="<at>PLP Companion</at> join ABC123")
        status, _ = await h.post(mention)
        assert status == 201
        reply = h.connector.sent_activities()[-1].body
        assert "one-to-one chat" in card_text(reply)
