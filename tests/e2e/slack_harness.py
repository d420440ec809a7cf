"""End-to-end harness for Slack: the real app on loopback with Slack switched on, a fake Slack
Web API beside the fake Bot Connector, and Slack people who type in their DM, press buttons,
pick from selects, submit forms and open the Home tab, every request signed as Slack signs it.

Slack turns run after the acknowledgement, so each act waits for the app's Slack turns to
finish (`settle`, event-driven) before reading what the bot posted to the fake Slack.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode

from bot import CLOCK, SLACK_TURNS
from channels.slack.pace import SlackPace
from config import Settings
from domain.core.clock import Clock
from tests.e2e.harness import Harness, running
from tests.fakes.slack import SECRET, TOKEN, Call, FakeSlack, sign

TEAM = "T0TEST"
_ids = itertools.count(1)


@dataclass
class Both:
    """The running app with its fake Teams (`teams`) and fake Slack (`slack`)."""

    teams: Harness
    slack: FakeSlack

    @property
    def base(self) -> str:
        return self.teams.bot_url.rsplit("/api/", 1)[0]

    def now(self) -> int:
        return int(self.teams.app[CLOCK].now().timestamp())

    async def post(
        self,
        path: str,
        body: bytes,
        content_type: str,
        *,
        timestamp: int | None = None,
        headers: dict[str, str] | None = None,
        secret: str = SECRET,
    ) -> tuple[int, Any]:
        """POST a body to /slack/..., signed for `timestamp` (default: the app's now)."""
        signed = sign(body, self.now() if timestamp is None else timestamp, secret)
        sent = {"Content-Type": content_type, **signed, **(headers or {})}
        async with self.teams.http.post(self.base + path, data=body, headers=sent) as response:
            text = await response.text()
            try:
                return response.status, json.loads(text) if text else None
            except ValueError:
                return response.status, text

    async def event(
        self, event: dict[str, Any], *, event_id: str = "", team: str = TEAM, **options: Any
    ) -> tuple[int, Any]:
        envelope = {
            "token": "unused",
            "team_id": team,
            "api_app_id": "A0PLP",
            "event": event,
            "type": "event_callback",
            "event_id": event_id or f"Ev{next(_ids):08d}",
            "event_time": self.now(),
            "authorizations": [{"team_id": team, "user_id": "UBOT", "is_bot": True, "is_enterprise_install": False}],
        }
        return await self.post("/slack/events", json.dumps(envelope).encode(), "application/json", **options)

    async def interaction(self, payload: dict[str, Any], **options: Any) -> tuple[int, Any]:
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return await self.post("/slack/interactivity", body, "application/x-www-form-urlencoded", **options)

    async def settle(self) -> None:
        """Wait until every Slack turn the app accepted has finished."""
        await self.teams.app[SLACK_TURNS].idle()

    def person(self, name: str, user_id: str, email: str = "") -> SlackUser:
        self.slack.add_user(user_id, name, email)
        return SlackUser(self, name, user_id)


@dataclass
class SlackUser:
    """One person's side of their DM with the app (channel D<user id>) and their Home tab."""

    both: Both
    name: str
    user_id: str
    seen: int = field(default=0)

    @property
    def channel(self) -> str:
        return f"D{self.user_id}"

    @property
    def key(self) -> str:
        """Our participant user id for this person."""
        return f"{TEAM}:{self.user_id}"

    async def open_messages(self) -> list[dict[str, Any]]:
        """The person opens the app's Messages tab (the first time: the welcome)."""
        return await self._event(
            {"type": "app_home_opened", "user": self.user_id, "channel": self.channel, "tab": "messages"}
        )

    async def open_home(self) -> dict[str, Any]:
        """The person opens the Home tab; returns the view the app published."""
        before = len(self.both.slack.of("views.publish"))
        await self._event({"type": "app_home_opened", "user": self.user_id, "channel": self.channel, "tab": "home"})
        published = self.both.slack.of("views.publish")[before:]
        assert published, "no Home view was published"
        view = published[-1].args["view"]
        return json.loads(view) if isinstance(view, str) else view

    async def say(self, text: str) -> list[dict[str, Any]]:
        """Type a message in the DM; returns the bot's new messages to this person."""
        escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return await self._event(
            {
                "type": "message",
                "channel_type": "im",
                "user": self.user_id,
                "channel": self.channel,
                "text": escaped,
                "ts": f"{next(_ids)}.0001",
            }
        )

    async def press(
        self, title: str, state: dict[str, Any] | None = None, where: str = "message"
    ) -> list[dict[str, Any]]:
        """Press the newest button with this title (in the DM, or on the Home tab with where="home")."""
        return await self.press_where(lambda e: e["text"]["text"] == title, state, where)

    async def press_where(
        self, wanted: Any, state: dict[str, Any] | None = None, where: str = "message"
    ) -> list[dict[str, Any]]:
        """Press the newest button for which `wanted(button)` holds."""
        button, ts = self._find(lambda e: e.get("type") == "button" and wanted(e), where)
        action = {"type": "button", "action_id": button["action_id"], "block_id": "b", "action_ts": f"{next(_ids)}.5"}
        if "value" in button:
            action["value"] = button["value"]
        return await self._interact(action, state or {}, where, ts)

    async def choose(self, option_title: str) -> list[dict[str, Any]]:
        """Pick an option from the newest choice drop-down offering it."""
        select, ts = self._find(
            lambda e: e.get("type") == "static_select" and any(o["text"]["text"] == option_title for o in e["options"]),
            "message",
        )
        option = next(o for o in select["options"] if o["text"]["text"] == option_title)
        action = {
            "type": "static_select",
            "action_id": select["action_id"],
            "block_id": "c",
            "selected_option": option,
            "action_ts": f"{next(_ids)}.5",
        }
        return await self._interact(action, {}, "message", ts)

    async def submit(self, answers: dict[str, Any]) -> list[dict[str, Any]]:
        """Fill in the newest form's inputs (by input id) and press its Submit button."""
        message = next(m for m in reversed(self.messages()) if any(b["type"] == "input" for b in m.get("blocks", [])))
        values: dict[str, Any] = {}
        for block in (b for b in message["blocks"] if b["type"] == "input"):
            element = block["element"]
            values[block["block_id"]] = {element["action_id"]: _state(element, answers.get(element["action_id"]))}
        return await self.press("Submit", {"values": values})

    def messages(self) -> list[dict[str, Any]]:
        """Every message the bot posted to this person (chat.postMessage arguments, blocks parsed, "_ts")."""
        return [_parsed(call) for call in self.both.slack.posts_to(self.channel)]

    def updates(self) -> list[dict[str, Any]]:
        """Every message the bot redrew for this person (chat.update arguments, blocks parsed), in order."""
        return [_parsed(call) for call in self.both.slack.updates_to(self.channel)]

    def new_messages(self) -> list[dict[str, Any]]:
        mine = self.messages()
        fresh, self.seen = mine[self.seen :], len(mine)
        return fresh

    async def _event(self, event: dict[str, Any]) -> list[dict[str, Any]]:
        status, _ = await self.both.event(event)
        assert status == 200, f"the app answered {status}"
        await self.both.settle()
        return self.new_messages()

    async def _interact(
        self, action: dict[str, Any], state: dict[str, Any], where: str, ts: str = ""
    ) -> list[dict[str, Any]]:
        payload: dict[str, Any] = {
            "type": "block_actions",
            "user": {"id": self.user_id, "team_id": TEAM, "name": self.name.lower()},
            "team": {"id": TEAM, "domain": "trust"},
            "api_app_id": "A0PLP",
            "trigger_id": f"{next(_ids)}.trigger",
            "actions": [action],
            "state": state,
        }
        if where == "message":
            payload["container"] = {
                "type": "message",
                "channel_id": self.channel,
                "message_ts": ts,  # the message holding the button
                "is_ephemeral": False,
            }
            payload["channel"] = {"id": self.channel, "name": "directmessage"}
        else:
            payload["container"] = {"type": "view", "view_id": "V1"}
        status, _ = await self.both.interaction(payload)
        assert status == 200, f"the app answered {status}"
        await self.both.settle()
        return self.new_messages()

    def _find(self, wanted: Any, where: str) -> tuple[dict[str, Any], str]:
        """The newest element for which `wanted` holds, and the ts of the message holding it ("" on Home)."""
        if where == "home":
            views = [
                c.args["view"] for c in self.both.slack.of("views.publish") if c.args.get("user_id") == self.user_id
            ]
            sources = [json.loads(v) if isinstance(v, str) else v for v in views]
        else:
            sources = self.messages()
        for message in reversed(sources):
            for block in message.get("blocks", []):
                for element in block.get("elements", []) if block["type"] == "actions" else []:
                    if wanted(element):
                        return dict(element), str(message.get("_ts") or "")
        raise AssertionError("no such button or select in the person's messages")


def slack_text(message: dict[str, Any]) -> str:
    """Every visible string in a posted message (text and blocks), for assertions."""
    return "\n".join([message.get("text") or "", json.dumps(message.get("blocks", []), ensure_ascii=False)])


def _parsed(call: Call) -> dict[str, Any]:
    args = dict(call.args)
    if isinstance(args.get("blocks"), str):
        args["blocks"] = json.loads(args["blocks"])
    return args


def _state(element: dict[str, Any], answer: Any) -> dict[str, Any]:
    """What Slack reports in state.values for one input element holding `answer`."""
    kind = element["type"]
    if kind == "datepicker":
        return {"type": kind, "selected_date": answer}
    if kind == "timepicker":
        return {"type": kind, "selected_time": answer}
    if kind in ("checkboxes", "multi_static_select"):
        wanted = set(answer or [])
        return {"type": kind, "selected_options": [o for o in element["options"] if o["value"] in wanted]}
    if kind == "static_select":
        chosen = next((o for o in element["options"] if o["value"] == answer), None)
        return {"type": kind, "selected_option": chosen}
    return {"type": kind, "value": None if answer is None else str(answer)}


def slack_settings(settings: Settings, slack: FakeSlack, **overrides: Any) -> Settings:
    """Settings with Slack switched on against the fake Web API."""
    slack_on = {"slack_bot_token": TOKEN, "slack_signing_secret": SECRET, "slack_api_url": slack.url}
    return replace(settings, **{**slack_on, **overrides})


@asynccontextmanager
async def running_both(
    settings: Settings, clock: Clock | None = None, pace: SlackPace | None = None, **overrides: Any
) -> AsyncIterator[Both]:
    """The real app serving Teams and Slack, with both fakes on loopback."""
    slack = FakeSlack(TOKEN, TEAM)
    await slack.start()
    try:
        quick = pace or SlackPace(per_channel=1000.0, burst=1000.0)  # Slack's own pace is tested on a fake clock
        async with running(slack_settings(settings, slack, **overrides), clock, slack_pace=quick) as teams:
            yield Both(teams, slack)
        assert slack.refused == [], f"Slack would refuse these blocks: {slack.refused}"
    finally:
        await slack.stop()
