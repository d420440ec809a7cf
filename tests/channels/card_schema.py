"""Adaptive Card 1.5 checks shared by tests: `assert_valid_card(card)`.

Not the full JSON schema: it checks that every typed node is an Adaptive Card 1.5
element or action, that the properties we emit are spelled as the 1.5 schema spells
them (a typo such as `isMultiLine` is silently ignored by clients), that required
properties are present, and that input ids are unique.
"""

from __future__ import annotations

import json
from typing import Any

ELEMENT_TYPES = frozenset(
    {
        "TextBlock",
        "RichTextBlock",
        "TextRun",
        "Image",
        "ImageSet",
        "Media",
        "MediaSource",
        "ActionSet",
        "Container",
        "ColumnSet",
        "Column",
        "FactSet",
        "Table",
        "TableRow",
        "TableCell",
        "Input.Text",
        "Input.Number",
        "Input.Date",
        "Input.Time",
        "Input.Toggle",
        "Input.ChoiceSet",
    }
)
ACTION_TYPES = frozenset(
    {
        "Action.OpenUrl",
        "Action.Submit",
        "Action.ShowCard",
        "Action.ToggleVisibility",
        "Action.Execute",
    }
)
CARD_TYPES = ELEMENT_TYPES | ACTION_TYPES | {"AdaptiveCard"}

_COMMON = {"type", "id", "spacing", "separator", "isVisible", "height", "requires", "fallback"}
_INPUT = _COMMON | {"label", "isRequired", "errorMessage", "value", "placeholder"}
_ACTION = {"type", "id", "title", "iconUrl", "style", "fallback", "tooltip", "isEnabled", "mode", "requires"}
# Properties per type as named in the Adaptive Card 1.5 schema (types we emit).
ALLOWED_PROPERTIES: dict[str, frozenset[str]] = {
    "AdaptiveCard": frozenset(
        {
            "type",
            "$schema",
            "version",
            "body",
            "actions",
            "msteams",
            "fallbackText",
            "speak",
            "lang",
            "minHeight",
            "rtl",
            "verticalContentAlignment",
            "selectAction",
            "backgroundImage",
            "refresh",
            "authentication",
            "metadata",
        }
    ),
    "TextBlock": frozenset(
        _COMMON
        | {
            "text",
            "wrap",
            "size",
            "weight",
            "color",
            "isSubtle",
            "fontType",
            "horizontalAlignment",
            "maxLines",
            "style",
        }
    ),
    "FactSet": frozenset(_COMMON | {"facts"}),
    "Container": frozenset(
        _COMMON
        | {"items", "style", "bleed", "minHeight", "rtl", "selectAction", "backgroundImage", "verticalContentAlignment"}
    ),
    "Input.Text": frozenset(_INPUT | {"isMultiline", "maxLength", "style", "inlineAction", "regex"}),
    "Input.Number": frozenset(_INPUT | {"min", "max"}),
    "Input.Date": frozenset(_INPUT | {"min", "max"}),
    "Input.Time": frozenset(_INPUT | {"min", "max"}),
    "Input.ChoiceSet": frozenset(_INPUT | {"choices", "style", "isMultiSelect", "wrap"}),
    "Action.Submit": frozenset(_ACTION | {"data", "associatedInputs"}),
    "Action.OpenUrl": frozenset(_ACTION | {"url"}),
}
REQUIRED_PROPERTIES: dict[str, frozenset[str]] = {
    "AdaptiveCard": frozenset({"type", "version"}),
    "TextBlock": frozenset({"text"}),
    "FactSet": frozenset({"facts"}),
    "Container": frozenset({"items"}),
    "Input.Text": frozenset({"id"}),
    "Input.Number": frozenset({"id"}),
    "Input.Date": frozenset({"id"}),
    "Input.Time": frozenset({"id"}),
    "Input.ChoiceSet": frozenset({"id", "choices"}),
    "Action.OpenUrl": frozenset({"url"}),
}


def assert_valid_card(card: dict[str, Any]) -> None:
    """Fail with a precise message unless `card` is a well-formed Adaptive Card 1.5."""
    assert card.get("type") == "AdaptiveCard", "root must be an AdaptiveCard"
    assert card.get("version") == "1.5", f"version is {card.get('version')!r}, not 1.5"
    json.dumps(card)  # must be JSON-serialisable as is
    input_ids: list[str] = []
    _check(card, "$", input_ids)
    duplicates = {i for i in input_ids if input_ids.count(i) > 1}
    assert not duplicates, f"duplicate input ids: {sorted(duplicates)}"


def card_types(node: Any) -> set[str]:
    """Every `type` value used anywhere in `node`."""
    if isinstance(node, list):
        return set().union(*(card_types(item) for item in node)) if node else set()
    if not isinstance(node, dict):
        return set()
    own = {node["type"]} if isinstance(node.get("type"), str) else set()
    return own.union(*(card_types(value) for key, value in node.items() if key != "data"))


def _check(node: Any, path: str, input_ids: list[str]) -> None:
    """Walk `node`; `data` payloads are the bot's own and are not card elements."""
    if isinstance(node, list):
        for index, item in enumerate(node):
            _check(item, f"{path}[{index}]", input_ids)
        return
    if not isinstance(node, dict):
        return
    if "type" in node:
        _check_typed(node, path, input_ids)
    for key, value in node.items():
        if key not in ("data", "msteams"):
            _check(value, f"{path}.{key}", input_ids)


def _check_typed(node: dict[str, Any], path: str, input_ids: list[str]) -> None:
    """Type is in the 1.5 set; known types use only schema properties and have required ones."""
    kind = node["type"]
    assert kind in CARD_TYPES, f"{path}: {kind!r} is not an Adaptive Card 1.5 type"
    unknown = set(node) - ALLOWED_PROPERTIES.get(kind, frozenset(node))
    assert not unknown, f"{path}: {kind} has properties outside the schema: {sorted(unknown)}"
    missing = REQUIRED_PROPERTIES.get(kind, frozenset()) - set(node)
    assert not missing, f"{path}: {kind} lacks {sorted(missing)}"
    if kind.startswith("Input."):
        input_ids.append(node["id"])
    if kind == "FactSet":
        assert all(set(f) == {"title", "value"} for f in node["facts"]), f"{path}: bad fact"
    if kind == "Input.ChoiceSet":
        assert all(isinstance(c.get("title"), str) and isinstance(c.get("value"), str) for c in node["choices"]), (
            f"{path}: choices need string title and value"
        )
