"""Typed text reaches Slack as text: no verbatim marks, no links or mentions, no Teams backslashes."""

from __future__ import annotations

import json

from channels.slack.blocks import fallback_message, slack_message
from domain.core.reply import VERBATIM_END, VERBATIM_START, Fact, Input, Reply, verbatim

HOSTILE = "[click](https://evil.example) <!channel> <https://evil.example|here> **bold** a_b"


def test_marked_text_is_escaped_for_slack_and_the_marks_never_leave() -> None:
    reply = Reply(
        title=f"Meet {verbatim('Ada <b>')}",
        text=f"In their words: {verbatim(HOSTILE)}",
        facts=(Fact(verbatim("What do you hope to learn?"), verbatim(HOSTILE)),),
        inputs=(Input("answer", "Your answer", value=verbatim("kept *as* typed")),),
    )
    message = json.dumps([slack_message(reply), fallback_message(reply)])
    assert VERBATIM_START not in message and VERBATIM_END not in message
    assert "<!channel>" not in message and "<https://evil.example|here>" not in message
    assert "&lt;!channel&gt;" in message
    assert "\\\\[click\\\\]" not in message  # no Teams Markdown backslashes shown to Slack users
    assert "[click](https://evil.example)" in message
    assert "kept *as* typed" in message
