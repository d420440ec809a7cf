"""Odd but possible input reaches a clear answer: deeply nested JSON, odd display names and
absurd ids get a 400 or are tidied, never a 500 or a person locked out."""

from __future__ import annotations

import json

import pytest

from bot import STORE
from tests.e2e.harness import running, settings_for


@pytest.mark.parametrize("depth", [100_000, 2_000])
async def test_deeply_nested_json_is_a_400(database_url: str, depth: int) -> None:
    inner = "[" * depth + "]" * depth
    raw = ('{"type": "message", "text": "hi", "value": ' + inner + "}").encode()
    async with running(settings_for(database_url, max_request_bytes=1_000_000)) as h:
        status, body = await h.post(None, raw=raw)
        assert status == 400
        assert isinstance(body, dict) and "nested" in body["error"]
        assert "Traceback" not in json.dumps(body)


ODD_NAMES = [
    ("Ada\x00 Lovelace", "Ada Lovelace"),
    ("Ben \ud800Okafor", "Ben \ufffdOkafor"),
    ("Cy\n\n# Heading\tPatel", "Cy # Heading Patel"),
    ("D" * 300, "D" * 200),
]


@pytest.mark.parametrize(("raw_name", "kept"), ODD_NAMES, ids=["nul", "lone-surrogate", "line-breaks", "300-chars"])
async def test_an_odd_display_name_is_tidied_and_the_person_still_gets_replies(
    database_url: str, raw_name: str, kept: str
) -> None:
    async with running(settings_for(database_url)) as h:
        person = h.person("Odd Name")
        for text in ("help", "profile"):
            activity = person._activity("teams_message_personal.json", text=text)
            activity["from"]["name"] = raw_name
            status, _ = await h.post(activity)
            assert status == 201
            assert len(person.new_messages()) == 1, f"no reply to {text!r}"
        async with h.app[STORE].transaction() as uow:
            stored = await uow.participants.find_by_user("msteams", person.user_id)
        assert stored is not None and stored.name == kept


LONG_IDS = [
    ("from.id", "29:" + "x" * 400, "sender id"),
    ("conversation.id", "a:" + "c" * 600, "conversation id"),
    ("id", "act-" + "9" * 300, "activity id"),
    ("channelId", "msteams" + "m" * 100, "channel id"),
    ("serviceUrl", "https://smba.example/" + "s" * 600, "service URL"),
    ("recipient.id", "28:" + "b" * 400, "bot id"),
    ("conversation.tenantId", "t" * 100, "tenant id"),
    ("channelData.tenant.id", "t" * 100, "tenant id"),
    ("from.aadObjectId", "a" * 100, "AAD object id"),
]


@pytest.mark.parametrize(("where", "value", "words"), [pytest.param(*case, id=case[0]) for case in LONG_IDS])
async def test_an_absurdly_long_id_gets_a_clear_400(database_url: str, where: str, value: str, words: str) -> None:
    async with running(settings_for(database_url)) as h:
        person = h.person("Long Id")
        activity = person._activity("teams_message_personal.json", text="help")
        target = activity
        *parents, leaf = where.split(".")
        for key in parents:
            target = target.setdefault(key, {})
        target[leaf] = value
        status, body = await h.post(activity)
        assert status == 400 and words in body["error"]
        assert h.connector.requests == []


async def test_a_long_but_allowed_activity_id_is_deduplicated(database_url: str) -> None:
    async with running(settings_for(database_url)) as h:
        person = h.person("Long Activity")
        activity = person._activity("teams_message_personal.json", text="help")
        activity["conversation"]["id"] = "a:" + "c" * 480
        activity["id"] = "1:" + "9" * 250
        person.conversation_id = activity["conversation"]["id"]
        assert (await h.post(activity))[0] == 201
        assert (await h.post(activity))[0] == 201
        assert len(person.new_messages()) == 1
