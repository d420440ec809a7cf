"""Neutral replies as Slack Block Kit: every part of a Reply, mrkdwn escaping, Slack's limits
(shortened labels, split text, a drop-down past five choices) and the numbered plain-text
fallback past them; every rendered message passes the Block Kit checker the fake Slack uses."""

from __future__ import annotations

import json
from typing import Any

import pytest

from channels.slack.actions import FORM_VALUE, SUBMIT, form_values, pressed_value
from channels.slack.blocks import MAX_BLOCKS, reply_blocks, slack_message, updated_message
from channels.text import NUMBER_HINT
from domain.core import wording
from domain.core.reply import Action, Choice, Fact, Input, Reply, Section
from tests.fakes.block_kit import problems

RICH = Reply(
    title="Welcome to PLP",
    text="Hello **there**.\n\nLet us get you started.",
    facts=(Fact("Cohort", "Spring 2027"), Fact("Phase", "Getting to know each other")),
    sections=(Section("Your partner", "Works in finance.", (Fact("Site", "North"),)),),
    choices=(Choice("senior", "Senior leader"), Choice("both", "Both")),
    actions=(
        Action("Read the guide", "open_url", url="https://example.org/guide"),
        Action("Help", data={"command": "help"}),
    ),
)


def _mrkdwn(node: Any) -> list[str]:
    """Every mrkdwn text in a block tree."""
    if isinstance(node, list):
        return [text for item in node for text in _mrkdwn(item)]
    if not isinstance(node, dict):
        return []
    own = [node["text"]] if node.get("type") == "mrkdwn" else []
    return own + [text for value in node.values() for text in _mrkdwn(value)]


def _elements(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]


def test_a_rich_reply_in_order_title_text_facts_sections_buttons() -> None:
    message = slack_message(RICH)
    assert message["text"] == "Welcome to PLP"  # the notification line
    assert [b["type"] for b in message["blocks"]] == [
        "header", "section", "section", "section", "divider", "section", "section", "section", "actions",
    ]  # fmt: skip
    assert message["blocks"][1]["text"] == {"type": "mrkdwn", "text": "Hello *there*."}
    assert message["blocks"][3]["fields"][0] == {"type": "mrkdwn", "text": "*Cohort*\nSpring 2027"}
    buttons = _elements(message)
    assert [b["text"]["text"] for b in buttons] == ["Senior leader", "Both", "Read the guide", "Help"]
    assert json.loads(buttons[0]["value"]) == {"choice": "senior"}
    assert buttons[2]["url"] == "https://example.org/guide" and "value" not in buttons[2]
    assert json.loads(buttons[3]["value"]) == {"command": "help"}
    assert problems(message["blocks"]) == []


def test_plain_text_is_an_ordinary_message() -> None:
    assert slack_message(Reply(text="Saved **now**.")) == {"text": "Saved *now*."}


def test_what_people_typed_is_escaped_everywhere() -> None:
    sneaky = "<https://evil.example|your partner> & <!channel>"
    reply = Reply(
        title=sneaky,
        text=sneaky,
        facts=(Fact(sneaky, sneaky),),
        sections=(Section(sneaky, sneaky),),
        choices=(Choice("x", sneaky),),
    )
    message = slack_message(reply)
    marked_up = [message["text"], *_mrkdwn(message["blocks"])]  # what Slack parses for links and mentions
    assert len(marked_up) == 5
    for text in marked_up:
        assert "<" not in text and ">" not in text and "&lt;https://evil.example|your partner&gt;" in text
    # plain_text objects (header, buttons) are never parsed for markup: shown as typed
    assert message["blocks"][0]["text"] == {"type": "plain_text", "text": sneaky}


def test_more_than_five_choices_become_one_drop_down() -> None:
    six = tuple(Choice(f"v{n}", f"Option {n}") for n in range(6))
    [select] = _elements(slack_message(Reply(text="Pick", choices=six)))
    assert select["type"] == "static_select" and len(select["options"]) == 6
    assert pressed_value({"action_id": select["action_id"], "selected_option": select["options"][4]}, {}) == {
        "choice": "v4"
    }


def test_past_slack_limits_the_reply_falls_back_to_numbered_text() -> None:
    many = tuple(Choice(f"v{n}", f"Option {n}") for n in range(101))
    message = slack_message(Reply(text="Pick one", choices=many))
    assert set(message) == {"text"} and "101. Option 100" in message["text"] and NUMBER_HINT in message["text"]
    tall = Reply(title="Long", sections=tuple(Section(f"Part {n}", "text") for n in range(30)))
    assert set(slack_message(tall)) == {"text"}
    assert len(reply_blocks(Reply(title="t", sections=(Section("h", "x"),) * 15))) <= MAX_BLOCKS


def test_long_texts_are_split_or_shortened_within_the_limits() -> None:
    words = "word " * 1500  # 7,500 characters in one paragraph
    long_title = "T" * 200
    reply = Reply(
        title=long_title,
        text=words,
        facts=tuple(Fact(f"F{n}", "v" * 2500) for n in range(12)),
        choices=(Choice("a", "A very long button title " * 5),),
    )
    message = slack_message(reply)
    assert problems(message["blocks"]) == []
    assert message["blocks"][0]["type"] == "section"  # a title past 150 characters is bold text instead
    sections = [b for b in message["blocks"] if b["type"] == "section" and "text" in b][1:]
    assert len(sections) == 3 and " ".join(s["text"]["text"] for s in sections).split() == words.split()
    assert [len(b["fields"]) for b in message["blocks"] if "fields" in b] == [10, 2]
    assert _elements(message)[0]["text"]["text"].endswith("…")


@pytest.mark.parametrize(
    ("item", "kind"),
    [
        (Input("a", "Your answer"), "plain_text_input"),
        (Input("a", "Your answer", "multiline"), "plain_text_input"),
        (Input("date", "Date", "date", value="2027-03-02"), "datepicker"),
        (Input("time", "Time", "time", value="14:00"), "timepicker"),
        (Input("n", "0 to 10", "number", value="7"), "number_input"),
        (Input("c", "One", "choice", choices=(Choice("x", "X"), Choice("y", "Y"))), "static_select"),
        (Input("c", "Many", "choice", multiple=True, choices=(Choice("x", "X"), Choice("y", "Y"))), "checkboxes"),
        (
            Input("c", "Many", "choice", multiple=True, choices=tuple(Choice(f"{n}", f"{n}") for n in range(12))),
            "multi_static_select",
        ),
    ],
)
def test_each_input_kind_renders_its_element(item: Input, kind: str) -> None:
    message = slack_message(Reply(text="Form", inputs=(item,)))
    [block] = [b for b in message["blocks"] if b["type"] == "input"]
    assert block["element"]["type"] == kind and block["element"]["action_id"] == item.id
    assert block["optional"] is not item.required
    assert problems(message["blocks"]) == []


def test_initial_values_and_the_submit_button_carry_the_form() -> None:
    inputs = (
        Input("date", "Date", "date", value="2027-03-02"),
        Input("met", "Met?", "choice", value="4+", choices=(Choice("1", "Once"), Choice("4+", "Four or more"))),
        Input("areas", "Areas", "choice", multiple=True, value="a,c", choices=tuple(Choice(v, v) for v in "abc")),
        Input("note", "Note", "multiline", value="so far"),
    )
    message = slack_message(Reply(text="Form", inputs=inputs, actions=(Action("Not now", data={"choice": "no"}),)))
    elements = {b["element"]["action_id"]: b["element"] for b in message["blocks"] if b["type"] == "input"}
    assert elements["date"]["initial_date"] == "2027-03-02"
    assert elements["met"]["initial_option"]["value"] == "4+"
    assert [o["value"] for o in elements["areas"]["initial_options"]] == ["a", "c"]
    assert elements["note"]["initial_value"] == "so far" and elements["note"]["multiline"] is True
    submit, not_now = _elements(message)
    assert submit["action_id"] == SUBMIT and submit["value"] == FORM_VALUE and submit["style"] == "primary"
    state = {
        "values": {
            "plp:input:date": {"date": {"type": "datepicker", "selected_date": "2027-03-09"}},
            "plp:input:met": {"met": {"type": "static_select", "selected_option": {"value": "1"}}},
            "plp:input:areas": {"areas": {"type": "checkboxes", "selected_options": [{"value": "b"}, {"value": "c"}]}},
            "plp:input:note": {"note": {"type": "plain_text_input", "value": None}},
            "someone-else": {"x": {"type": "plain_text_input", "value": "ignored"}},
        }
    }
    assert pressed_value(submit, state) == {"form": "1", "date": "2027-03-09", "met": "1", "areas": "b,c"}
    assert pressed_value(not_now, state) == {"choice": "no"}  # other buttons do not carry the form
    assert form_values({"values": "nonsense"}) == {}


def test_link_buttons_and_foreign_actions_carry_nothing() -> None:
    link = _elements(slack_message(RICH))[2]
    assert pressed_value(link, {}) is None
    assert pressed_value({"action_id": "someone:else", "value": "{}"}, {}) is None
    assert pressed_value({"action_id": "plp:action:0", "value": "not json"}, {}) is None
    assert pressed_value({"action_id": "plp:action:0", "value": "[1]"}, {}) is None


@pytest.mark.parametrize(
    "reply",
    [
        wording.greeting(),
        wording.help_reply(True),
        wording.help_reply(False),
        wording.not_understood(True),
        wording.facilitators_only(),
        wording.facilitator_welcome(),
        wording.cancelled(),
        wording.group_chat_redirect(),
        RICH,
    ],
)
def test_the_companions_fixed_replies_are_valid_block_kit(reply: Reply) -> None:
    message = slack_message(reply)
    assert "blocks" not in message or problems(message["blocks"]) == []
    assert message["text"]


def test_a_redrawn_message_always_carries_blocks_so_no_old_button_stays() -> None:
    question = Reply(text="Send it to 6 people now?", choices=(Choice("yes", "Yes"), Choice("no", "Not now")))
    answered = updated_message(question.answered("Yes"))
    assert answered["text"] == "Send it to 6 people now?\n\nAnswered: *Yes*"
    assert [b["type"] for b in answered["blocks"]] == ["section", "section"] and not problems(answered["blocks"])
    assert _mrkdwn(answered["blocks"]) == ["Send it to 6 people now?", "Answered: *Yes*"]
    too_big = Reply(text="\n\n".join(f"Part {n}" for n in range(MAX_BLOCKS + 1)))
    assert updated_message(too_big)["blocks"] == []  # the text alone, past Slack's block limit
    card = updated_message(RICH.answered("Both"))
    assert card["blocks"] == reply_blocks(RICH.answered("Both")) and "actions" not in {
        b["type"] for b in card["blocks"]
    }
