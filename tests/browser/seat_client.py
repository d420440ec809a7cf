"""A seat's conversation driven over Direct Line without a browser: to set the scene quickly.

It does what Web Chat does (take the page's token, start the conversation, post messages and
card values, read with a watermark), over plain HTTP. Each post returns once the bot's turn is
done, so the replies are already in the transcript when `say` reads them.
"""

from __future__ import annotations

import json
import re
import urllib.request
from typing import Any

Activity = dict[str, Any]


class SeatClient:
    """One seat (partner-a, partner-b, facilitator) talking to the app at `base_url`."""

    def __init__(self, base_url: str, seat: str) -> None:
        self.base_url = base_url
        page = self._request("GET", f"/try/{seat}")
        assert isinstance(page, str)
        found = re.search(r'data-token="([^"]+)"', page)
        assert found, "the chat page carries no token"
        self.token = found[1]
        started = self._request("POST", "/v3/directline/conversations")
        assert isinstance(started, dict)
        self.conversation_id = str(started["conversationId"])
        self.watermark = 0

    def say(self, text: str) -> list[Activity]:
        """Type `text`; returns the bot's activities since the last read."""
        return self._post({"type": "message", "text": text})

    def press(self, value: dict[str, Any]) -> list[Activity]:
        """Press a card button carrying `value` (Action.Submit)."""
        return self._post({"type": "message", "value": value})

    def read(self) -> list[Activity]:
        """The bot's activities since the last read."""
        path = f"/v3/directline/conversations/{self.conversation_id}/activities?watermark={self.watermark}"
        answer = self._request("GET", path)
        assert isinstance(answer, dict)
        self.watermark = int(answer["watermark"])
        return [a for a in answer["activities"] if a["from"].get("role") == "bot"]

    def _post(self, activity: Activity) -> list[Activity]:
        self._request("POST", f"/v3/directline/conversations/{self.conversation_id}/activities", activity)
        return self.read()

    def _request(self, method: str, path: str, body: Activity | None = None) -> dict[str, Any] | str:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base_url + path, data=data, method=method)
        if getattr(self, "token", ""):
            request.add_header("Authorization", f"Bearer {self.token}")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read().decode("utf-8")
        return json.loads(text) if response.headers.get_content_type() == "application/json" else text


def shown_text(activities: list[Activity]) -> str:
    """Every visible string of the activities (text and card content), for assertions."""
    parts = []
    for activity in activities:
        parts.append(activity.get("text") or "")
        parts.extend(json.dumps(a.get("content", {}), ensure_ascii=False) for a in activity.get("attachments") or [])
    return "\n".join(parts)
