"""Block Kit's rules as Slack documents them, checked the way Slack refuses a message
(`invalid_blocks`): block and element types, text lengths, counts, unique ids. Written for
these tests from Slack's reference; the fake Slack refuses what fails here."""

from __future__ import annotations

from typing import Any

BLOCK_TYPES = {"section", "header", "divider", "actions", "input", "context"}
INPUT_ELEMENTS = {
    "plain_text_input",
    "datepicker",
    "timepicker",
    "number_input",
    "static_select",
    "multi_static_select",
    "checkboxes",
    "radio_buttons",
}
ACTION_ELEMENTS = {"button", "static_select"}


def problems(blocks: Any, max_blocks: int = 50) -> list[str]:
    """Everything Slack would refuse in `blocks` (empty when the message is valid)."""
    found: list[str] = []
    if not isinstance(blocks, list) or not blocks:
        return ["blocks must be a non-empty list"]
    if len(blocks) > max_blocks:
        found.append(f"{len(blocks)} blocks (at most {max_blocks})")
    block_ids: set[str] = set()
    for n, block in enumerate(blocks):
        kind = block.get("type")
        where = f"block {n} ({kind})"
        if kind not in BLOCK_TYPES:
            found.append(f"{where}: unknown type")
            continue
        if "block_id" in block:
            _unique(found, block_ids, block["block_id"], where, 255)
        if kind == "header":
            _text(found, block.get("text"), 150, where, plain_only=True)
        elif kind == "section":
            _section(found, block, where)
        elif kind == "actions":
            _actions(found, block, where)
        elif kind == "input":
            _input(found, block, where)
    return found


def _unique(found: list[str], seen: set[str], value: Any, where: str, limit: int) -> None:
    if not isinstance(value, str) or not value or len(value) > limit:
        found.append(f"{where}: bad id {value!r}")
    elif value in seen:
        found.append(f"{where}: duplicate id {value!r}")
    seen.add(str(value))


def _text(found: list[str], text: Any, limit: int, where: str, plain_only: bool = False) -> None:
    kinds = {"plain_text"} if plain_only else {"plain_text", "mrkdwn"}
    if not isinstance(text, dict) or text.get("type") not in kinds:
        found.append(f"{where}: text object must be {' or '.join(sorted(kinds))}")
        return
    value = text.get("text")
    if not isinstance(value, str) or not value or len(value) > limit:
        found.append(f"{where}: text of {len(value) if isinstance(value, str) else value!r} chars (1 to {limit})")


def _section(found: list[str], block: dict[str, Any], where: str) -> None:
    fields = block.get("fields")
    if "text" not in block and not fields:
        found.append(f"{where}: needs text or fields")
    if "text" in block:
        _text(found, block["text"], 3000, where)
    if fields is not None:
        if not isinstance(fields, list) or not 1 <= len(fields) <= 10:
            found.append(f"{where}: 1 to 10 fields")
        for field in fields or []:
            _text(found, field, 2000, where + " field")


def _options(found: list[str], options: Any, limit: int, where: str) -> None:
    if not isinstance(options, list) or not 1 <= len(options) <= limit:
        found.append(f"{where}: 1 to {limit} options")
        return
    for option in options:
        _text(found, option.get("text"), 75, where + " option", plain_only=True)
        value = option.get("value")
        if not isinstance(value, str) or not value or len(value) > 150:
            found.append(f"{where}: option value {value!r}")


def _actions(found: list[str], block: dict[str, Any], where: str) -> None:
    elements = block.get("elements")
    if not isinstance(elements, list) or not 1 <= len(elements) <= 25:
        found.append(f"{where}: 1 to 25 elements")
        return
    ids: set[str] = set()
    for element in elements:
        kind = element.get("type")
        if kind not in ACTION_ELEMENTS:
            found.append(f"{where}: element {kind!r} not allowed")
            continue
        _unique(found, ids, element.get("action_id"), where, 255)
        if kind == "button":
            _text(found, element.get("text"), 75, where + " button", plain_only=True)
            if len(str(element.get("value", ""))) > 2000 or len(str(element.get("url", ""))) > 3000:
                found.append(f"{where}: button value or url too long")
            if element.get("style") not in (None, "primary", "danger"):
                found.append(f"{where}: button style")
        else:
            _options(found, element.get("options"), 100, where)
            _text(found, element.get("placeholder"), 150, where + " placeholder", plain_only=True)


def _input(found: list[str], block: dict[str, Any], where: str) -> None:
    _text(found, block.get("label"), 2000, where + " label", plain_only=True)
    element = block.get("element") or {}
    kind = element.get("type")
    if kind not in INPUT_ELEMENTS:
        found.append(f"{where}: element {kind!r} not allowed")
        return
    if not isinstance(element.get("action_id"), str) or not element["action_id"]:
        found.append(f"{where}: element needs an action_id")
    if "placeholder" in element:
        _text(found, element["placeholder"], 150, where + " placeholder", plain_only=True)
    if kind in ("static_select", "multi_static_select", "radio_buttons"):
        _options(found, element.get("options"), 100, where)
    if kind == "checkboxes":
        _options(found, element.get("options"), 10, where)
    if kind == "plain_text_input" and len(str(element.get("initial_value", ""))) > 3000:
        found.append(f"{where}: initial value too long")
