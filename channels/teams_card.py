"""Neutral `Reply` -> Adaptive Card 1.5 (Teams, Web Chat, Emulator, Direct Line).

Pure functions returning JSON-ready dicts, so tests can assert the exact card.
Only Adaptive Card 1.5 element and action types are produced.

TextBlocks and FactSets render Markdown: their strings go through `markdown` (what a person
typed is escaped, see channels/markup.py). Titles of buttons and choices, input labels and
values are plain text to Teams: their strings only lose the verbatim marks.
"""

from __future__ import annotations

import re
from typing import Any

from channels.markup import markdown, plain
from domain.core.reply import Action, Choice, Fact, Input, Reply, Section, tokened

CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
CARD_VERSION = "1.5"
MAX_CHOICE_BUTTONS = 5
FORM_SUBMIT_DATA: dict[str, str] = {"form": "1"}

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n+")
_LIST_ITEM = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]")
_INPUT_TYPES = {
    "text": "Input.Text",
    "multiline": "Input.Text",
    "date": "Input.Date",
    "time": "Input.Time",
    "number": "Input.Number",
    "choice": "Input.ChoiceSet",
}

Element = dict[str, Any]


def adaptive_card(reply: Reply) -> dict[str, Any]:
    """Build the Adaptive Card 1.5 content for `reply` (the attachment's `content`)."""
    body: list[Element] = []
    if reply.title:
        body.append(_text_block(markdown(reply.title), size="Medium", weight="Bolder"))
    body.extend(_paragraphs(reply.text))
    if reply.facts:
        body.append(_fact_set(reply.facts))
    body.extend(_section(section) for section in reply.sections)
    body.extend(_input(item) for item in reply.inputs)
    if len(reply.choices) > MAX_CHOICE_BUTTONS:
        body.append(_choice_input(reply.choices))
    return {
        "type": "AdaptiveCard",
        "$schema": CARD_SCHEMA,
        "version": CARD_VERSION,
        "body": body,
        "actions": _actions(reply),
        "msteams": {"width": "Full"},
    }


def _text_block(text: str, **style: str) -> Element:
    """One wrapping TextBlock (already Markdown-safe); `style` adds size/weight/isSubtle and the like."""
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def _paragraphs(text: str) -> list[Element]:
    """One TextBlock per paragraph, so blank lines keep their spacing on every client.

    Escaped before splitting: a person's answer may span paragraphs, and each part must stay escaped.
    """
    parts = (part.strip() for part in _PARAGRAPH_BREAK.split(markdown(text)))
    return [_text_block(_line_breaks(part)) for part in parts if part]


def _line_breaks(paragraph: str) -> str:
    """Each line on its own line in Teams: its Markdown joins lines split by one "\n" (a broadcast's
    address lines would run together), so they are split by "\n\n", as Teams documents; list items
    keep one "\n" (two would indent the next item)."""
    lines = paragraph.split("\n")
    return lines[0] + "".join(("\n" if _LIST_ITEM.match(line) else "\n\n") + line for line in lines[1:])


def _fact_set(facts: tuple[Fact, ...]) -> Element:
    """A FactSet of "title: value" rows."""
    return {"type": "FactSet", "facts": [{"title": markdown(f.title), "value": markdown(f.value)} for f in facts]}


def _section(section: Section) -> Element:
    """A separated Container: bold heading, paragraphs, facts."""
    items: list[Element] = []
    if section.heading:
        items.append(_text_block(markdown(section.heading), weight="Bolder"))
    items.extend(_paragraphs(section.text))
    if section.facts:
        items.append(_fact_set(section.facts))
    return {"type": "Container", "separator": True, "spacing": "Medium", "items": items}


def _input(item: Input) -> Element:
    """One labelled input element; empty placeholder/value are left out."""
    element: Element = {
        "type": _INPUT_TYPES.get(item.kind, "Input.Text"),
        "id": item.id,
        "label": plain(item.label),
        "isRequired": item.required,
    }
    if item.required:
        element["errorMessage"] = f"Please answer: {plain(item.label)}"
    if item.placeholder:
        element["placeholder"] = plain(item.placeholder)
    if item.kind == "multiline":
        element["isMultiline"] = True
    if item.kind == "choice":
        # Several answers allowed: tick boxes (Teams returns the values comma-separated).
        element["style"] = "expanded" if item.multiple else "compact"
        element["choices"] = _card_choices(item.choices)
        if item.multiple:
            element["isMultiSelect"] = True
    _set_value(element, item)
    return element


def _set_value(element: Element, item: Input) -> None:
    """Pre-fill the value; Input.Number needs a JSON number, so an unparsable one is dropped."""
    if not item.value:
        return
    if item.kind != "number":
        element["value"] = plain(item.value)
        return
    try:
        number = float(item.value)
    except ValueError:
        return
    element["value"] = int(number) if number.is_integer() else number


def _card_choices(choices: tuple[Choice, ...]) -> list[dict[str, str]]:
    """Choices in the Input.ChoiceSet shape."""
    return [{"title": plain(c.title), "value": c.value} for c in choices]


def _choice_input(choices: tuple[Choice, ...]) -> Element:
    """A compact drop-down for long choice lists (buttons would crowd the card)."""
    return {
        "type": "Input.ChoiceSet",
        "id": "choice",
        "style": "compact",
        "label": "Choose one",
        "isRequired": True,
        "errorMessage": "Please choose one option.",
        "choices": _card_choices(choices),
    }


def _actions(reply: Reply) -> list[Element]:
    """Form submit first, then choice buttons (or "Choose"), then the reply's own actions."""
    # Why: with a form on the card, only its Submit should validate and carry the inputs;
    # other buttons ("Not now", a choice) must work even when required fields are empty.
    detached = bool(reply.inputs)
    actions: list[Element] = []
    token = reply.token
    if reply.inputs:
        actions.append({"type": "Action.Submit", "title": "Submit", "data": tokened(FORM_SUBMIT_DATA, token)})
    if len(reply.choices) > MAX_CHOICE_BUTTONS:
        choose: Element = {"type": "Action.Submit", "title": "Choose"}
        if token:
            choose["data"] = tokened({}, token)
        actions.append(choose)
    else:
        actions.extend(_submit(c.title, tokened({"choice": c.value}, token), detached) for c in reply.choices)
    actions.extend(_action(a, detached, token) for a in reply.actions)
    return actions


def _submit(title: str, data: dict[str, Any], detached: bool) -> Element:
    """An Action.Submit sending `data`; `detached` stops it collecting the form's inputs."""
    element: Element = {"type": "Action.Submit", "title": plain(title), "data": data}
    if detached:
        element["associatedInputs"] = "none"
    return element


def _action(action: Action, detached: bool, token: str = "") -> Element:
    """A reply button: Action.OpenUrl for links, Action.Submit otherwise."""
    if action.kind == "open_url":
        return {"type": "Action.OpenUrl", "title": plain(action.title), "url": plain(action.url)}
    return _submit(action.title, tokened(action.data, token), detached)
