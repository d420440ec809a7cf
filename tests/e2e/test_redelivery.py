"""An activity Teams redelivers after the bot crashed mid-turn is handled, once; one redelivered
while its turn is still running is asked to come back later.

The bot runs as a real process on a real SQLite file. Its reply to the first delivery is
held by the fake Bot Connector, so the turn is certainly under way, and then the process is
killed. A new process gets the same activity again (as Teams redelivers an unanswered one)
and must answer it; a further redelivery after that finished turn is a duplicate.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import shutil
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from tests.e2e.harness import card_text, fixture, running, settings_for
from tests.e2e.process import bot_environment, started
from tests.fakes.connector import FakeConnector
from tests.fakes.recorded import Recorded

CONVERSATION = "a:personal-crash"


def _help_message(service_url: str) -> dict[str, Any]:
    activity = copy.deepcopy(fixture("teams_message_personal.json"))
    activity.update(id="act-crash-1", serviceUrl=service_url, text="help")
    activity["from"] = {"id": "29:crash", "name": "Casey", "aadObjectId": "aad-crash"}
    activity["conversation"] = {"id": CONVERSATION, "conversationType": "personal"}
    return activity


class HoldFirstReply:
    """Holds the bot's first reply to the conversation (never answering it) and says when it came."""

    def __init__(self) -> None:
        self.arrived = asyncio.Event()
        self.released = asyncio.Event()

    async def __call__(self, recorded: Recorded) -> web.StreamResponse | None:
        if not recorded.is_activity or recorded.conversation_id != CONVERSATION or self.arrived.is_set():
            return None
        self.arrived.set()
        await self.released.wait()  # the bot is killed meanwhile: nobody reads this answer
        return web.json_response({}, status=503)


async def _post(http: aiohttp.ClientSession, url: str, activity: dict[str, Any]) -> int:
    async with http.post(f"{url}/api/messages", json=activity) as response:
        return response.status


async def test_an_activity_redelivered_after_a_crash_mid_turn_is_answered_once(
    sqlite_template: Path, tmp_path: Path
) -> None:
    database = tmp_path / "plp.db"
    shutil.copyfile(sqlite_template, database)
    env = bot_environment(f"sqlite+aiosqlite:///{database}")
    connector, hold = FakeConnector(), HoldFirstReply()
    connector.respond_with(hold)
    await connector.start()
    activity = _help_message(connector.url)
    try:
        async with aiohttp.ClientSession() as http:
            async with started(env) as first:
                turn = asyncio.create_task(_post(http, first.url, activity))
                await hold.arrived.wait()  # mid-turn: the reply is on its way
                first.kill()
                await first.process.wait()
                with contextlib.suppress(aiohttp.ClientError):
                    await turn
            hold.released.set()
            async with started(env) as second:
                assert await _post(http, second.url, activity) == 201
                replies = connector.activities_to(CONVERSATION)
                assert len(replies) == 2, "the redelivered activity was dropped as a duplicate"
                assert "Here's what I can do" in card_text(replies[-1].body)
                assert await _post(http, second.url, activity) == 201
                assert len(connector.activities_to(CONVERSATION)) == 2, "a finished turn ran twice"
    finally:
        hold.released.set()
        await connector.stop()


async def test_a_redelivery_while_the_turn_still_runs_is_told_to_come_back(database_url: str) -> None:
    hold = HoldFirstReply()
    async with running(settings_for(database_url)) as h:
        h.connector.respond_with(hold)
        activity = _help_message(h.connector.url)
        first = asyncio.create_task(h.post(activity))
        await hold.arrived.wait()  # the first turn is under way
        async with h.http.post(h.bot_url, json=activity) as response:
            assert response.status == 503 and response.headers["Retry-After"].isdigit()
        hold.released.set()  # the held reply gets a 503; the turn retries it and finishes
        assert (await first)[0] == 201
        posted = len(h.connector.activities_to(CONVERSATION))
        assert (await h.post(activity))[0] == 201
        assert len(h.connector.activities_to(CONVERSATION)) == posted, "a finished turn ran twice"


async def test_a_redelivered_card_invoke_gets_the_same_200_and_runs_once(database_url: str) -> None:
    async with running(settings_for(database_url)) as h:
        sam = h.person("Sam")
        invoke = sam._activity("teams_invoke_adaptive_card_action.json")
        invoke["value"]["action"]["data"] = {"command": "help"}
        first, again = await h.post(invoke), await h.post(invoke)
        assert first == again and first[0] == 200 and first[1]["statusCode"] == 200
        assert len(sam.new_messages()) == 1
