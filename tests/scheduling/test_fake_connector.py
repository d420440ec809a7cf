"""The fake Bot Connector itself: routes, recording, scripted answers (other suites rely on it)."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest
from aiohttp import web

from tests.fakes.connector import FakeConnector

CID = "19:abc@thread.tacv2;messageid=17"
ENCODED = "19%3Aabc%40thread.tacv2%3Bmessageid%3D17"


async def test_url_is_a_loopback_service_url_with_trailing_slash(connector: FakeConnector) -> None:
    assert connector.url.startswith("http://127.0.0.1:") and connector.url.endswith("/")


async def test_replies_and_updates_are_recorded_with_decoded_ids(
    connector: FakeConnector, http: aiohttp.ClientSession
) -> None:
    base = f"{connector.url}v3/conversations/{ENCODED}/activities"
    async with http.post(f"{base}/act%3A9", json={"text": "reply"}) as resp:
        assert resp.status == 201
    async with http.put(f"{base}/act%3A9", json={"text": "edited"}) as resp:
        assert (resp.status, await resp.json()) == (200, {"id": "act:9"})
    reply, update = connector.requests
    assert (reply.conversation_id, reply.reply_to_id, reply.body) == (CID, "act:9", {"text": "reply"})
    assert (update.method, update.conversation_id) == ("PUT", CID)
    assert connector.activities_to(CID) == [reply]  # updates are not new activities


async def test_member_lookup_answers_known_people_only(http: aiohttp.ClientSession) -> None:
    fake = FakeConnector(members={"29:u1": {"id": "29:u1", "name": "Sam", "email": "sam@nhs.example"}})
    await fake.start()
    try:
        async with http.get(f"{fake.url}v3/conversations/a%3Ax/members/29%3Au1") as resp:
            assert (resp.status, (await resp.json())["name"]) == (200, "Sam")
        async with http.get(f"{fake.url}v3/conversations/a%3Ax/members/29%3Anobody") as resp:
            assert resp.status == 404
    finally:
        await fake.stop()


async def test_scripted_failures_run_out(connector: FakeConnector, http: aiohttp.ClientSession) -> None:
    connector.fail("a:x", 503, times=2)
    connector.fail("a:x", 429, headers={"Retry-After": "3"})
    answers = []
    for _ in range(4):
        async with http.post(f"{connector.url}v3/conversations/a%3Ax/activities", json={}) as resp:
            answers.append((resp.status, resp.headers.get("Retry-After")))
    assert answers == [(503, None), (503, None), (429, "3"), (201, None)]


async def test_respond_with_overrides_the_default(connector: FakeConnector, http: aiohttp.ClientSession) -> None:
    connector.respond_with(lambda r: web.json_response({"id": "a:custom"}, status=200) if r.is_create else None)
    async with http.post(f"{connector.url}v3/conversations", json={"members": [{"id": "29:u"}]}) as resp:
        assert await resp.json() == {"id": "a:custom"}
    assert len(connector.creates()) == 1


async def test_wait_for_returns_on_a_matching_request_and_times_out_otherwise(
    connector: FakeConnector, http: aiohttp.ClientSession
) -> None:
    waiter = asyncio.create_task(connector.wait_for(lambda requests: len(requests) == 1, within=5))
    async with http.post(f"{connector.url}v3/conversations/a%3Ax/activities", json={}):
        pass
    await waiter
    with pytest.raises(TimeoutError):
        await connector.wait_for(lambda requests: len(requests) == 2, within=0.05)
