"""One Slack message to one person against the fake Slack Web API on loopback: delivered, a DM
opened when there is none yet, 429 as a retry after Retry-After with the workspace held,
unreachable people as 404 (the outbox marks them), a refused token, Slack's other errors, a
dead connection; and Slack's pace on a fake clock."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest

from channels.slack.api import SlackApi
from channels.slack.delivery import SlackDelivery
from channels.slack.pace import SlackPace
from domain.core.model import ConversationRef
from scheduling.retry import UNREACHABLE, Verdict, classify
from tests.fakes.slack import TOKEN, FakeSlack

MESSAGE = {"text": "Hello", "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Hello"}}]}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def time(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def _ref(conversation: str = "DU1", user: str = "U1") -> ConversationRef:
    return ConversationRef(7, "slack", "unused", conversation, f"T1:{user}", "UBOT", "PLP", "T1")


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlack]:
    fake = FakeSlack()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as http:
        yield http


def _delivery(slack: FakeSlack, session: aiohttp.ClientSession, clock: Clock, token: str = TOKEN) -> SlackDelivery:
    return SlackDelivery(SlackApi(session, token, slack.url), SlackPace(time=clock.time, sleep=clock.sleep))


async def test_delivered_to_the_dm_and_a_dm_opened_when_missing(
    slack: FakeSlack, session: aiohttp.ClientSession
) -> None:
    delivery = _delivery(slack, session, Clock())
    sent = await delivery.send(_ref(), MESSAGE)
    assert sent.status == 200 and sent.activity_id.startswith("1700000000.") and not sent.created
    opened = await delivery.send(_ref(conversation=""), MESSAGE)
    assert opened.status == 200 and opened.created and opened.conversation_id == "DU1"
    assert [c.method for c in slack.calls] == ["chat.postMessage", "conversations.open", "chat.postMessage"]
    assert slack.calls[1].args["users"] == "U1"


async def test_a_429_retries_after_its_retry_after_and_holds_the_workspace(
    slack: FakeSlack, session: aiohttp.ClientSession
) -> None:
    clock = Clock()
    delivery = _delivery(slack, session, clock)
    slack.fail("chat.postMessage", "ratelimited", status=429, headers={"Retry-After": "7"})
    throttled = await delivery.send(_ref(), MESSAGE)
    assert (throttled.status, throttled.retry_after, throttled.error) == (503, "7", "slack: ratelimited")
    day = timedelta(hours=24)
    now = datetime(2027, 3, 1, tzinfo=UTC)
    outcome = classify(throttled.status, 1, timedelta(0), day, random.Random(1), now, throttled.retry_after)
    assert outcome.verdict is Verdict.RETRY and outcome.delay == 7.0 and outcome.pause == 0.0  # Teams goes on
    assert delivery.pace.held_for("T1") == 7.0
    again = await delivery.send(_ref(conversation="DU2", user="U2"), MESSAGE)  # another person, same workspace
    assert again.status == 200 and clock.slept == [7.0]


@pytest.mark.parametrize(
    "error", ["account_inactive", "user_not_found", "channel_not_found", "not_in_channel", "is_archived"]
)
async def test_people_slack_cannot_reach_are_unreachable(
    slack: FakeSlack, session: aiohttp.ClientSession, error: str
) -> None:
    slack.fail("chat.postMessage", error)
    result = await _delivery(slack, session, Clock()).send(_ref(), MESSAGE)
    assert result.status in UNREACHABLE and result.error == f"slack: {error}"


async def test_a_deactivated_person_without_a_dm_is_unreachable(
    slack: FakeSlack, session: aiohttp.ClientSession
) -> None:
    slack.deactivate("U1")
    result = await _delivery(slack, session, Clock()).send(_ref(conversation=""), MESSAGE)
    assert result.status == 404 and result.error == "slack: user_disabled"


async def test_token_trouble_slack_trouble_and_bad_messages(slack: FakeSlack, session: aiohttp.ClientSession) -> None:
    refused = await _delivery(slack, session, Clock(), token="xoxb-wrong").send(_ref(), MESSAGE)
    assert refused.status == 401  # retried (a token may be rotated), logged for the operator
    slack.fail("chat.postMessage", "internal_error", status=500)
    assert (await _delivery(slack, session, Clock()).send(_ref(), MESSAGE)).status == 500
    invalid = await _delivery(slack, session, Clock()).send(_ref(), {"text": "x", "blocks": [{"type": "nonsense"}]})
    assert (invalid.status, invalid.error) == (400, "slack: invalid_blocks")
    slack.refused.clear()


async def test_a_sent_message_is_redrawn_in_place_and_a_refusal_is_reported(
    slack: FakeSlack, session: aiohttp.ClientSession
) -> None:
    clock = Clock()
    delivery = _delivery(slack, session, clock)
    sent = await delivery.send(_ref(), MESSAGE)
    redrawn = {"text": "Answered", "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Answered"}}]}
    updated = await delivery.update(_ref(), sent.activity_id, redrawn)
    assert (updated.status, updated.activity_id) == (200, sent.activity_id)
    [call] = slack.of("chat.update")
    assert (call.args["channel"], call.args["ts"]) == ("DU1", sent.activity_id)
    assert slack.shown[("DU1", sent.activity_id)]["blocks"] == redrawn["blocks"]
    missing = await delivery.update(_ref(), "1.2", redrawn)  # a ts Slack does not know
    assert (missing.status, missing.error) == (400, "slack: message_not_found")
    slack.fail("chat.update", "ratelimited", status=429, headers={"Retry-After": "3"})
    throttled = await delivery.update(_ref(), sent.activity_id, redrawn)
    assert throttled.status == 503 and delivery.pace.held_for("T1") == 3.0  # the workspace's hold counts here too


async def test_a_dead_connection_is_a_transport_error(session: aiohttp.ClientSession) -> None:
    fake = FakeSlack()
    await fake.start()
    await fake.stop()  # nothing listens there any more
    result = await _delivery(fake, session, Clock()).send(_ref(), MESSAGE)
    assert result.status == 0 and result.error.startswith("slack: ")


async def test_the_pace_is_about_one_a_second_per_channel_with_short_bursts() -> None:
    clock = Clock()
    pace = SlackPace(per_channel=1.0, burst=3.0, time=clock.time, sleep=clock.sleep)
    for _ in range(5):
        await pace.turn("D1", "T1")
    assert clock.slept == [1.0, 1.0]  # three at once, then one a second
    await pace.turn("D2", "T1")  # another channel does not wait behind D1
    assert clock.slept == [1.0, 1.0]
    clock.now += 10
    await pace.turn("D1", "T1")
    assert clock.slept == [1.0, 1.0]  # idle long enough: the burst is back
    pace.hold("T1", 5)
    pace.hold("T1", 2)  # a shorter hold never shortens the first
    await pace.turn("D3", "T1")
    await pace.turn("D9", "T2")  # another workspace is not held
    assert clock.slept == [1.0, 1.0, 5.0]
