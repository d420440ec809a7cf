"""The ids our Block Kit carries, and the way a pressed button or submitted form comes back.

Buttons carry their neutral data as JSON in `value`; a choice button `{"choice": v}`; the
form's Submit `{"form": "1"}` plus every input's value by input id (multiple answers joined
with commas), exactly what a Teams card submit carries, so the dialogs need not know which.
"""

from __future__ import annotations

import json
from typing import Any

PREFIX = "plp:"
SUBMIT = "plp:submit"
CHOICE_SELECT = "plp:choose"
CHOICE_BLOCK = "plp:choices"
FORM_VALUE = json.dumps({"form": "1"})
INPUT_BLOCK = "plp:input:"
LINK = "plp:link:"
MAX_OPTION_VALUE = 150


def choice_button(number: int) -> str:
    return f"plp:choice:{number}"


def action_button(number: int) -> str:
    return f"plp:action:{number}"


def link_button(number: int) -> str:
    return f"{LINK}{number}"


def input_block(input_id: str) -> str:
    return f"{INPUT_BLOCK}{input_id}"


def pressed_value(action: dict[str, Any], state: dict[str, Any]) -> dict[str, Any] | None:
    """The neutral value of one pressed element, or None when it carries nothing for us (a link)."""
    action_id = action.get("action_id")
    if not isinstance(action_id, str) or not action_id.startswith(PREFIX) or action_id.startswith(LINK):
        return None
    if action_id == CHOICE_SELECT:
        chosen = _selected(action.get("selected_option"))
        return {"choice": chosen} if chosen else None
    data = _json_object(action.get("value"))
    if data is None:
        return None
    if action_id == SUBMIT:
        return {**form_values(state), **data}
    return data


def form_values(state: dict[str, Any]) -> dict[str, str]:
    """Every input's value by its id, from a message's or modal's `state.values` (empty ones left out)."""
    values = state.get("values") if isinstance(state, dict) else None
    found: dict[str, str] = {}
    if not isinstance(values, dict):
        return found
    for block_id, elements in values.items():
        if not isinstance(block_id, str) or not block_id.startswith(INPUT_BLOCK) or not isinstance(elements, dict):
            continue
        for input_id, element in elements.items():
            value = _element_value(element)
            if isinstance(input_id, str) and value:
                found[input_id] = value
    return found


def _element_value(element: Any) -> str:
    if not isinstance(element, dict):
        return ""
    kind = element.get("type")
    if kind in ("checkboxes", "multi_static_select"):
        options = element.get("selected_options")
        chosen = [_selected(option) for option in options] if isinstance(options, list) else []
        return ",".join(value for value in chosen if value)
    if kind in ("static_select", "radio_buttons"):
        return _selected(element.get("selected_option"))
    key = {"datepicker": "selected_date", "timepicker": "selected_time"}.get(str(kind), "value")
    value = element.get(key)
    return value.strip() if isinstance(value, str) else ""


def _selected(option: Any) -> str:
    value = option.get("value") if isinstance(option, dict) else None
    return value if isinstance(value, str) else ""


def _json_object(raw: Any) -> dict[str, Any] | None:
    if not isinstance(raw, str):
        return None
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None
