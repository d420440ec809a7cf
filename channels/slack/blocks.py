"""Neutral `Reply` -> a Slack message in Block Kit (`text` for notifications, `blocks` to show).

Title as a header, paragraphs as mrkdwn sections, facts as section fields, `Section`s after a
divider, choices as buttons (a static select beyond five), inputs as input blocks with one
Submit button (their values arrive with it, as a Teams card's do), actions as buttons. Every
text is escaped for mrkdwn. Within Slack's limits labels are shortened and long text split;
past them (blocks, options, button values) the reply goes as plain text with numbered choices,
which the dialogs understand as well as the buttons.
"""

from __future__ import annotations

import json
import re
from typing import Any

from channels.slack import actions as ids
from channels.slack.inputs import MAX_OPTIONS, TooBig, input_block, option
from channels.slack.mrkdwn import mrkdwn, plain, shorten, split_text
from channels.text import marked_text
from domain.core.reply import Action, Fact, Reply, Section, tokened

MAX_BLOCKS = 50  # per message (a Home tab takes 100)
MAX_SECTION_CHARS = 3000
MAX_FIELDS = 10
MAX_FIELD_CHARS = 2000
MAX_HEADER_CHARS = 150
MAX_BUTTON_CHARS = 75
MAX_ELEMENTS = 25  # per actions block
MAX_VALUE_CHARS = 2000
MAX_TEXT_CHARS = 40_000  # chat.postMessage truncates beyond this
MAX_CHOICE_BUTTONS = 5
SUMMARY_CHARS = 150
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n+")

Block = dict[str, Any]


def slack_message(reply: Reply, max_blocks: int = MAX_BLOCKS) -> dict[str, Any]:
    """The chat.postMessage arguments (`text`, maybe `blocks`) for `reply`."""
    if _is_plain(reply):
        return {"text": shorten(mrkdwn(reply.text), MAX_TEXT_CHARS)}
    try:
        blocks = reply_blocks(reply, max_blocks)
    except TooBig:
        return fallback_message(reply)
    return {"text": summary(reply), "blocks": blocks}


def updated_message(reply: Reply) -> dict[str, Any]:
    """The chat.update arguments redrawing a message as `reply`: always with `blocks` (an empty list past
    Slack's limits), since a text alone may leave the old blocks, and their buttons, in place."""
    message = slack_message(reply)
    if "blocks" not in message:
        try:
            message["blocks"] = reply_blocks(reply)
        except TooBig:
            message["blocks"] = []  # the text alone, numbered where it has choices
    return message


def fallback_message(reply: Reply) -> dict[str, Any]:
    """Plain text with numbered choices (what the dialogs also accept typed)."""
    return {"text": shorten(mrkdwn(marked_text(reply)), MAX_TEXT_CHARS)}


def summary(reply: Reply) -> str:
    """The notification line: the title, else the first line of the text."""
    first = next((line.strip() for line in reply.text.splitlines() if line.strip()), "")
    return shorten(mrkdwn(reply.title.strip() or first or "A message from the PLP Companion"), SUMMARY_CHARS)


def reply_blocks(reply: Reply, max_blocks: int = MAX_BLOCKS) -> list[Block]:
    """Every block of `reply`; raises TooBig past Slack's limits."""
    blocks: list[Block] = []
    if reply.title:
        blocks.append(_title(reply.title))
    blocks.extend(_paragraphs(reply.text))
    blocks.extend(_facts(reply.facts))
    for section in reply.sections:
        blocks.extend(_section(section))
    blocks.extend(input_block(item) for item in reply.inputs)
    blocks.extend(_buttons(reply))
    if len(blocks) > max_blocks:
        raise TooBig(f"{len(blocks)} blocks")
    return blocks


def _is_plain(reply: Reply) -> bool:
    return not (reply.title or reply.facts or reply.choices or reply.inputs or reply.actions or reply.sections)


def _title(title: str) -> Block:
    if len(title) <= MAX_HEADER_CHARS:
        return {"type": "header", "text": {"type": "plain_text", "text": plain(title, MAX_HEADER_CHARS)}}
    return _mrkdwn_section(f"*{mrkdwn(title)}*"[:MAX_SECTION_CHARS])


def _mrkdwn_section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _paragraphs(text: str) -> list[Block]:
    """One section per paragraph; a paragraph over 3,000 characters is split."""
    blocks: list[Block] = []
    for paragraph in _PARAGRAPH_BREAK.split(text):
        blocks.extend(_mrkdwn_section(piece) for piece in split_text(mrkdwn(paragraph), MAX_SECTION_CHARS))
    return blocks


def _facts(facts: tuple[Fact, ...]) -> list[Block]:
    """Ten fields per section, each "*title*" over its value."""
    fields = [{"type": "mrkdwn", "text": _fact(fact)} for fact in facts]
    return [{"type": "section", "fields": fields[i : i + MAX_FIELDS]} for i in range(0, len(fields), MAX_FIELDS)]


def _fact(fact: Fact) -> str:
    title = shorten(mrkdwn(fact.title), 200)
    return shorten(f"*{title}*\n{mrkdwn(fact.value)}", MAX_FIELD_CHARS)


def _section(section: Section) -> list[Block]:
    blocks: list[Block] = [{"type": "divider"}]
    if section.heading:
        blocks.append(_mrkdwn_section(shorten(f"*{mrkdwn(section.heading)}*", MAX_SECTION_CHARS)))
    blocks.extend(_paragraphs(section.text))
    blocks.extend(_facts(section.facts))
    return blocks


def _buttons(reply: Reply) -> list[Block]:
    """Submit first (with inputs), then choices (or a drop-down), then the reply's own buttons."""
    elements: list[Block] = []
    if reply.inputs:
        form = json.dumps(tokened(json.loads(ids.FORM_VALUE), reply.token))
        elements.append(_button(ids.SUBMIT, "Submit", form, style="primary"))
    blocks: list[Block] = []
    if len(reply.choices) > MAX_CHOICE_BUTTONS:
        if len(reply.choices) > MAX_OPTIONS:
            raise TooBig("choices")
        select = {
            "type": "static_select",
            "action_id": ids.CHOICE_SELECT,
            "placeholder": {"type": "plain_text", "text": "Choose one"},
            "options": [option(choice) for choice in reply.choices],
        }
        blocks.append({"type": "actions", "block_id": ids.choice_block(reply.token), "elements": [select]})
    else:
        for number, choice in enumerate(reply.choices):
            value = json.dumps(tokened({"choice": choice.value}, reply.token))
            elements.append(_button(ids.choice_button(number), choice.title, value))
    elements.extend(_action(number, action, reply.token) for number, action in enumerate(reply.actions))
    for start in range(0, len(elements), MAX_ELEMENTS):
        blocks.append({"type": "actions", "elements": elements[start : start + MAX_ELEMENTS]})
    return blocks


def _action(number: int, action: Action, token: str = "") -> Block:
    if action.kind == "open_url":
        if not action.url or len(action.url) > 3000:
            raise TooBig("link")
        button = _button(ids.link_button(number), action.title, "")
        button["url"] = action.url
        return button
    data = tokened(action.data, token)
    return _button(ids.action_button(number), action.title, json.dumps(data, separators=(",", ":")))


def _button(action_id: str, title: str, value: str, style: str = "") -> Block:
    if len(value) > MAX_VALUE_CHARS:
        raise TooBig("button value")
    button: Block = {
        "type": "button",
        "action_id": action_id,
        "text": {"type": "plain_text", "text": plain(title, MAX_BUTTON_CHARS)},
    }
    if value:
        button["value"] = value
    if style:
        button["style"] = style
    return button
