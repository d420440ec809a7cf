"""Rendering a neutral Reply: Adaptive Card 1.5 JSON, plain text, channel choice, size limit."""

from __future__ import annotations

import re
from typing import Any

import pytest
from botbuilder.schema import Activity

from channels.render import CARD_CHANNELS, CARD_CONTENT_TYPE, MAX_CARD_BYTES, card_size_bytes, render
from channels.teams_card import adaptive_card
from channels.text import NUMBER_HINT, plain_text, text_options
from domain.core.reply import Action, Choice, Fact, Input, Reply, Section, verbatim
from tests.channels.card_schema import assert_valid_card, card_types

GROUPS = (Choice("senior", "Senior leader"), Choice("bme", "BME colleague"), Choice("both", "Both"))
SIX = tuple(Choice(f"v{n}", f"Option {n}") for n in range(1, 7))
RICH = Reply(
    title="Welcome to PLP",
    text="Hello there.\n\nLet us get you started.",
    facts=(Fact("Cohort", "Spring 2027"), Fact("Phase", "Getting to know each other")),
    sections=(Section("Your partner", "Works in finance.", (Fact("Site", "North"),)),),
    choices=GROUPS,
    actions=(
        Action("Read the guide", "open_url", url="https://example.org/guide"),
        Action("Help", data={"command": "help"}),
        Action("Not now", data={"snooze": "1"}),
    ),
)


def card_of(reply: Reply) -> dict[str, Any]:
    """The Adaptive Card built for `reply` (what Teams gets for any reply beyond plain text)."""
    return adaptive_card(reply)


# --- channel choice and envelope ---------------------------------------------------------


@pytest.mark.parametrize("channel", ["msteams", "webchat", "emulator", "directline", "MSTeams"])
def test_card_channels_get_one_adaptive_card_attachment(channel: str) -> None:
    reply = Reply(title="Hi", text="There")
    activity = render(reply, channel)
    assert activity == {
        "type": "message",
        "summary": "Hi",
        "attachments": [{"contentType": CARD_CONTENT_TYPE, "content": adaptive_card(reply)}],
    }


@pytest.mark.parametrize("channel", ["msteams", "emulator"])
def test_text_only_replies_are_ordinary_messages_even_on_card_channels(channel: str) -> None:
    reply = Reply(text="Saved. Your profile is up to date.")
    assert render(reply, channel) == {"type": "message", "text": plain_text(reply), "textFormat": "markdown"}


@pytest.mark.parametrize("channel", ["slack", "telegram", "sms", "test", ""])
def test_other_channels_get_plain_text(channel: str) -> None:
    assert render(RICH, channel) == {"type": "message", "text": plain_text(RICH), "textFormat": "markdown"}


def test_card_channels_constant_lists_the_four_card_channels() -> None:
    assert {"msteams", "webchat", "emulator", "directline"} == CARD_CHANNELS
    assert CARD_CONTENT_TYPE == "application/vnd.microsoft.card.adaptive"


def test_card_root_has_schema_version_and_full_width() -> None:
    card = card_of(Reply(text="Hi"))
    assert {k: v for k, v in card.items() if k not in ("body", "actions")} == {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": "1.5",
        "msteams": {"width": "Full"},
    }


@pytest.mark.parametrize(
    ("reply", "summary"),
    [
        (Reply(title="Meeting booked", text="Tuesday"), "Meeting booked"),
        (Reply(text="\n  First line  \nsecond line", facts=(Fact("A", "b"),)), "First line"),
        (Reply(title="x" * 200), "x" * 119 + "…"),
    ],
)
def test_summary_is_title_or_first_line_shortened(reply: Reply, summary: str) -> None:
    assert render(reply, "msteams")["summary"] == summary


def test_card_without_title_or_text_has_no_summary() -> None:
    assert "summary" not in render(Reply(facts=(Fact("A", "b"),)), "msteams")


# --- card body ---------------------------------------------------------------------------


def test_title_is_a_medium_bolder_wrapping_text_block() -> None:
    assert card_of(Reply(title="Welcome"))["body"] == [
        {"type": "TextBlock", "text": "Welcome", "wrap": True, "size": "Medium", "weight": "Bolder"}
    ]


def test_text_becomes_one_text_block_per_paragraph() -> None:
    body = card_of(Reply(text="One\nstill one\n\nTwo\n  \n\nThree\n"))["body"]
    assert body == [{"type": "TextBlock", "text": t, "wrap": True} for t in ("One\n\nstill one", "Two", "Three")]


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        # Teams' Markdown runs lines split by one "\n" together: each line break is sent as "\n\n".
        ("Dear all,\nthe launch is on Monday.\nFran", "Dear all,\n\nthe launch is on Monday.\n\nFran"),
        # List items keep one "\n" (two would indent the next item); the line after a list is its own line.
        ("Bring:\n- a pen\n- a question\nThanks", "Bring:\n- a pen\n- a question\n\nThanks"),
        ("Agenda\n1. Hello\n2) Plans", "Agenda\n1. Hello\n2) Plans"),
        # A person's typed "- x" is escaped, so it is a line, not a list item.
        (verbatim("one\n- two"), "one\n\n\\- two"),
    ],
)
def test_each_line_break_shows_in_teams(text: str, shown: str) -> None:
    assert card_of(Reply(title="T", text=text))["body"][1]["text"] == shown


def test_facts_become_a_fact_set() -> None:
    assert card_of(Reply(facts=(Fact("Cohort", "Spring 2027"), Fact("Group", "Both"))))["body"] == [
        {"type": "FactSet", "facts": [{"title": "Cohort", "value": "Spring 2027"}, {"title": "Group", "value": "Both"}]}
    ]


def test_section_is_a_separated_container_with_heading_text_and_facts() -> None:
    section = Section("Your partner", "Para one\n\nPara two", (Fact("Site", "North"),))
    assert card_of(Reply(sections=(section,)))["body"] == [
        {
            "type": "Container",
            "separator": True,
            "spacing": "Medium",
            "items": [
                {"type": "TextBlock", "text": "Your partner", "wrap": True, "weight": "Bolder"},
                {"type": "TextBlock", "text": "Para one", "wrap": True},
                {"type": "TextBlock", "text": "Para two", "wrap": True},
                {"type": "FactSet", "facts": [{"title": "Site", "value": "North"}]},
            ],
        }
    ]


def test_body_order_is_title_text_facts_sections_inputs() -> None:
    reply = Reply(title="T", text="x", facts=(Fact("a", "b"),), sections=(Section("S"),), inputs=(Input("q", "Q"),))
    assert [e["type"] for e in card_of(reply)["body"]] == [
        "TextBlock",
        "TextBlock",
        "FactSet",
        "Container",
        "Input.Text",
    ]


# --- inputs ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("item", "element"),
    [
        (Input("name", "Your name"), {"type": "Input.Text", "id": "name", "label": "Your name", "isRequired": False}),
        (
            Input("hopes", "Your hopes", "multiline", placeholder="A few lines", required=True),
            {
                "type": "Input.Text",
                "id": "hopes",
                "label": "Your hopes",
                "isRequired": True,
                "errorMessage": "Please answer: Your hopes",
                "placeholder": "A few lines",
                "isMultiline": True,
            },
        ),
        (
            Input("day", "Day", "date", value="2027-03-01"),
            {"type": "Input.Date", "id": "day", "label": "Day", "isRequired": False, "value": "2027-03-01"},
        ),
        (
            Input("at", "Time", "time", value="09:30", required=True),
            {
                "type": "Input.Time",
                "id": "at",
                "label": "Time",
                "isRequired": True,
                "errorMessage": "Please answer: Time",
                "value": "09:30",
            },
        ),
        (
            Input("n", "How many", "number", value="3"),
            {"type": "Input.Number", "id": "n", "label": "How many", "isRequired": False, "value": 3},
        ),
        (
            Input("n", "Hours", "number", value="2.5"),
            {"type": "Input.Number", "id": "n", "label": "Hours", "isRequired": False, "value": 2.5},
        ),
        (
            Input("n", "Hours", "number", value="soon"),
            {"type": "Input.Number", "id": "n", "label": "Hours", "isRequired": False},
        ),
        (
            Input("grp", "Group", "choice", placeholder="Pick", value="both", choices=GROUPS),
            {
                "type": "Input.ChoiceSet",
                "id": "grp",
                "label": "Group",
                "isRequired": False,
                "placeholder": "Pick",
                "style": "compact",
                "value": "both",
                "choices": [
                    {"title": "Senior leader", "value": "senior"},
                    {"title": "BME colleague", "value": "bme"},
                    {"title": "Both", "value": "both"},
                ],
            },
        ),
    ],
)
def test_each_input_kind_renders_its_element(item: Input, element: dict[str, Any]) -> None:
    card = card_of(Reply(inputs=(item,)))
    assert card["body"] == [element]
    assert_valid_card(card)


def test_inputs_add_one_submit_with_form_data_and_detach_other_buttons() -> None:
    reply = Reply(
        inputs=(Input("a", "A", required=True), Input("b", "B")),
        choices=GROUPS[:1],
        actions=(Action("Not now", data={"skip": "1"}), Action("Guide", "open_url", url="https://example.org")),
    )
    assert card_of(reply)["actions"] == [
        {"type": "Action.Submit", "title": "Submit", "data": {"form": "1"}},
        {"type": "Action.Submit", "title": "Senior leader", "data": {"choice": "senior"}, "associatedInputs": "none"},
        {"type": "Action.Submit", "title": "Not now", "data": {"skip": "1"}, "associatedInputs": "none"},
        {"type": "Action.OpenUrl", "title": "Guide", "url": "https://example.org"},
    ]


# --- choices and actions -----------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 3, 5])
def test_up_to_five_choices_are_buttons(count: int) -> None:
    card = card_of(Reply(text="Pick", choices=SIX[:count]))
    assert card["actions"] == [
        {"type": "Action.Submit", "title": c.title, "data": {"choice": c.value}} for c in SIX[:count]
    ]
    assert "Input.ChoiceSet" not in card_types(card)


def test_more_than_five_choices_become_a_compact_choice_set_and_choose_button() -> None:
    card = card_of(Reply(text="Pick", choices=SIX))
    assert card["body"][-1] == {
        "type": "Input.ChoiceSet",
        "id": "choice",
        "style": "compact",
        "label": "Choose one",
        "isRequired": True,
        "errorMessage": "Please choose one option.",
        "choices": [{"title": c.title, "value": c.value} for c in SIX],
    }
    assert card["actions"] == [{"type": "Action.Submit", "title": "Choose"}]


def test_actions_render_as_submit_and_open_url() -> None:
    reply = Reply(
        actions=(
            Action("Pause", data={"command": "pause", "weeks": 2}),
            Action("Guide", "open_url", url="https://example.org/g"),
        )
    )
    assert card_of(reply)["actions"] == [
        {"type": "Action.Submit", "title": "Pause", "data": {"command": "pause", "weeks": 2}},
        {"type": "Action.OpenUrl", "title": "Guide", "url": "https://example.org/g"},
    ]


def test_card_data_is_a_copy_not_the_replys_dict() -> None:
    data = {"command": "help"}
    card = card_of(Reply(actions=(Action("Help", data=data),)))
    card["actions"][0]["data"]["command"] = "changed"
    assert data == {"command": "help"}


@pytest.mark.parametrize(
    "reply",
    [
        RICH,
        Reply(),
        Reply(text="x", choices=SIX, inputs=(Input("n", "N", "number"),)),
        Reply(
            inputs=tuple(
                Input(f"i{k}", k, k, choices=GROUPS) for k in ("text", "multiline", "date", "time", "number", "choice")
            )
        ),
    ],
)
def test_rendered_cards_use_only_adaptive_card_1_5(reply: Reply) -> None:
    assert_valid_card(card_of(reply))


def test_outbox_round_trip_renders_the_same_card() -> None:
    assert card_of(Reply.from_dict(RICH.to_dict())) == card_of(RICH)


# --- size limit --------------------------------------------------------------------------


def test_card_size_counts_utf8_bytes_of_compact_json() -> None:
    assert card_size_bytes({"text": "e"}) == len('{"text":"e"}')
    assert card_size_bytes({"text": "é"}) == len('{"text":"e"}') + 1


def test_card_at_the_limit_stays_a_card_and_one_byte_over_falls_back_to_text() -> None:
    base = card_size_bytes(render(Reply(title="Big", text="a"), "msteams"))
    pad = MAX_CARD_BYTES - base
    at_limit = render(Reply(title="Big", text="a" * (1 + pad)), "msteams")
    assert card_size_bytes(at_limit) == MAX_CARD_BYTES
    assert "attachments" in at_limit
    over = Reply(title="Big", text="a" * (2 + pad))
    assert render(over, "msteams") == {"type": "message", "text": plain_text(over), "textFormat": "markdown"}


# --- plain text --------------------------------------------------------------------------


def test_plain_text_of_a_rich_reply() -> None:
    assert plain_text(RICH) == (
        "**Welcome to PLP**\n\n"
        "Hello there.\n\nLet us get you started.\n\n"
        "Cohort: Spring 2027\nPhase: Getting to know each other\n\n"
        "**Your partner**\nWorks in finance.\nSite: North\n\n"
        "1. Senior leader\n2. BME colleague\n3. Both\n4. Not now\n\n"
        f"{NUMBER_HINT}\n\n"
        "Read the guide: https://example.org/guide\nHelp: type `help`"
    )


def test_text_options_match_the_numbers_shown() -> None:
    assert text_options(RICH) == ({"choice": "senior"}, {"choice": "bme"}, {"choice": "both"}, {"snooze": "1"})


def test_plain_text_choices_only() -> None:
    assert plain_text(Reply(text="Which group?", choices=GROUPS[:2])) == (
        "Which group?\n\n1. Senior leader\n2. BME colleague\n\nReply with a number or type your answer."
    )


def test_plain_text_lists_input_labels_without_a_number_hint() -> None:
    reply = Reply(title="Meeting", inputs=(Input("d", "Date", "date"), Input("t", "Time", "time")))
    assert plain_text(reply) == "**Meeting**\n\nDate\nTime"


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        (Reply(), ""),
        (Reply(text="  just text \n"), "just text"),
        (Reply(actions=(Action("Guide", "open_url", url="https://e.org"),)), "Guide: https://e.org"),
        (Reply(actions=(Action("Stop", data={"command": "stop"}),)), "Stop: type `stop`"),
        (Reply(actions=(Action("Yes", data={"ok": True}),)), f"1. Yes\n\n{NUMBER_HINT}"),
    ],
)
def test_plain_text_small_cases(reply: Reply, expected: str) -> None:
    assert plain_text(reply) == expected


def test_text_rendering_has_no_card_markup() -> None:
    text = render(RICH, "slack")["text"]
    assert "AdaptiveCard" not in text and "{" not in text


# --- the shared card checker must be able to fail ----------------------------------------


def _card(*body: dict[str, Any], version: str = "1.5") -> dict[str, Any]:
    return {"type": "AdaptiveCard", "version": version, "body": list(body), "actions": []}


@pytest.mark.parametrize(
    ("card", "message"),
    [
        (_card(version="1.6"), "not 1.5"),
        (_card({"type": "Carousel", "pages": []}), "not an Adaptive Card 1.5 type"),
        (_card({"type": "Input.Text", "id": "a", "isMultiLine": True}), "outside the schema"),
        (_card({"type": "TextBlock"}), "lacks ['text']"),
        (
            _card(
                {"type": "Container", "items": [{"type": "Input.Text", "id": "a"}]}, {"type": "Input.Date", "id": "a"}
            ),
            "duplicate input ids",
        ),
        (
            _card({"type": "Input.ChoiceSet", "id": "c", "choices": [{"title": "One", "value": 1}]}),
            "string title and value",
        ),
        (
            {"type": "AdaptiveCard", "version": "1.5", "actions": [{"type": "Action.OpenUrl", "title": "Go"}]},
            "lacks ['url']",
        ),
    ],
)
def test_card_checker_rejects_invalid_cards(card: dict[str, Any], message: str) -> None:
    with pytest.raises(AssertionError, match=re.escape(message)):
        assert_valid_card(card)


def test_card_checker_ignores_types_inside_submit_data() -> None:
    card = _card()
    card["actions"] = [{"type": "Action.Submit", "title": "Go", "data": {"type": "anything"}}]
    assert_valid_card(card)


@pytest.mark.parametrize("channel", ["msteams", "slack"])
def test_rendered_activity_deserializes_into_a_botbuilder_activity(channel: str) -> None:
    activity = render(RICH, channel)
    parsed = Activity().deserialize(activity)
    assert parsed.type == "message"
    assert parsed.serialize() == activity


def test_a_multiple_choice_input_becomes_tick_boxes() -> None:
    many = Input("q1", "Which helped?", "choice", choices=GROUPS, multiple=True)
    (element,) = [e for e in card_of(Reply(inputs=(many,)))["body"] if e.get("id") == "q1"]
    assert (element["type"], element["isMultiSelect"], element["style"]) == ("Input.ChoiceSet", True, "expanded")
    assert_valid_card(card_of(Reply(inputs=(many,))))
