"""Neutral form inputs as Block Kit input blocks, and choices as select options.

Each input's element carries the input's id as its action id, inside a block whose id marks it
as ours, so the values come back by id with the form's Submit (`channels.slack.actions`).
"""

from __future__ import annotations

import re
from typing import Any

from channels.slack import actions as ids
from channels.slack.mrkdwn import plain
from domain.core.reply import Choice, Input, unmarked

MAX_OPTION_CHARS = 75
MAX_OPTIONS = 100
MAX_CHECKBOXES = 10
MAX_LABEL_CHARS = 2000
MAX_PLACEHOLDER_CHARS = 150

Block = dict[str, Any]


class TooBig(ValueError):
    """The reply does not fit Slack's limits as blocks."""


def option(choice: Choice) -> dict[str, Any]:
    if len(choice.value) > ids.MAX_OPTION_VALUE:
        raise TooBig("option value")
    return {"text": {"type": "plain_text", "text": plain(choice.title, MAX_OPTION_CHARS)}, "value": choice.value}


def input_block(item: Input) -> Block:
    """An input block; its element's action id is the input's id, so the values come back by id."""
    block: Block = {
        "type": "input",
        "block_id": ids.input_block(item.id),
        "label": {"type": "plain_text", "text": plain(item.label or item.id, MAX_LABEL_CHARS)},
        "optional": not item.required,
        "element": _element(item),
    }
    return block


def _element(item: Input) -> Block:
    element: Block = {"type": "plain_text_input", "action_id": item.id}
    if item.kind == "multiline":
        element["multiline"] = True
    elif item.kind == "date":
        element = {"type": "datepicker", "action_id": item.id}
        _initial(element, "initial_date", item.value, r"\d{4}-\d{2}-\d{2}")
    elif item.kind == "time":
        element = {"type": "timepicker", "action_id": item.id}
        _initial(element, "initial_time", item.value, r"\d{2}:\d{2}")
    elif item.kind == "number":
        element = {"type": "number_input", "action_id": item.id, "is_decimal_allowed": True}
        _initial(element, "initial_value", item.value, r"-?\d+(\.\d+)?")
    elif item.kind == "choice":
        return _choice_element(item)
    if element["type"] == "plain_text_input" and item.value:
        element["initial_value"] = unmarked(item.value)
    if item.placeholder:
        element["placeholder"] = {"type": "plain_text", "text": plain(item.placeholder, MAX_PLACEHOLDER_CHARS)}
    return element


def _initial(element: Block, key: str, value: str, pattern: str) -> None:
    if value and re.fullmatch(pattern, value.strip()):
        element[key] = value.strip()


def _choice_element(item: Input) -> Block:
    """Tick boxes for several answers (a multi-select past ten), else a drop-down."""
    if len(item.choices) > MAX_OPTIONS or not item.choices:
        raise TooBig("choice input options")
    options = [option(choice) for choice in item.choices]
    chosen = {part.strip() for part in item.value.split(",") if part.strip()}
    initial = [option for option in options if option["value"] in chosen]
    if item.multiple:
        kind = "checkboxes" if len(options) <= MAX_CHECKBOXES else "multi_static_select"
        element: Block = {"type": kind, "action_id": item.id, "options": options}
        if initial:
            element["initial_options"] = initial
    else:
        element = {"type": "static_select", "action_id": item.id, "options": options}
        if initial:
            element["initial_option"] = initial[0]
    if element["type"] != "checkboxes":
        element["placeholder"] = {"type": "plain_text", "text": "Choose"}
    return element
