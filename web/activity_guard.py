"""Checks on an activity's JSON before botbuilder or the database sees it.

Teams never sends these, but a client can: a body nested thousands deep (Python's JSON
parser and botbuilder both recurse), a NUL or a lone surrogate in a name or a message
(PostgreSQL refuses NUL in text and no driver can encode a lone surrogate), ids longer than
the columns that keep them. Each would fail every turn of that person, locking them out.
So strings are made storable everywhere (NUL dropped, lone surrogates replaced), display
names are tidied and shortened, and ids too long to keep get a clear 400.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

MAX_DEPTH = 32  # an activity with an Adaptive Card value is a dozen levels deep at most
NAME_CHARS = 200  # participants.name and conversation_refs.bot_name
# (path in the activity JSON, longest accepted, what to call it): each fits the column that keeps it.
ID_LIMITS: tuple[tuple[tuple[str, ...], int, str], ...] = (
    (("id",), 255, "activity id"),
    (("channelId",), 64, "channel id"),
    (("serviceUrl",), 500, "service URL"),
    (("from", "id"), 255, "sender id"),
    (("from", "aadObjectId"), 64, "AAD object id"),
    (("recipient", "id"), 255, "bot id"),
    (("conversation", "id"), 500, "conversation id"),
    (("conversation", "conversationType"), 32, "conversation type"),
    (("conversation", "tenantId"), 64, "tenant id"),
    (("channelData", "tenant", "id"), 64, "tenant id"),
)
_NAMES = (("from", "name"), ("recipient", "name"))
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # json.loads has already joined every valid pair


class ActivityProblem(ValueError):
    """The activity cannot be handled as sent; the message says why (for a 400)."""


def checked_activity(body: dict[str, Any]) -> dict[str, Any]:
    """`body` made safe to store (in place): storable strings, tidy names, ids within bounds."""
    _clean_strings(body)
    for name_path in _NAMES:
        parent = _parent(body, name_path)
        if parent is not None and isinstance(parent.get(name_path[-1]), str):
            parent[name_path[-1]] = tidy_name(parent[name_path[-1]])
    for path, limit, words in ID_LIMITS:
        value = _get(body, path)
        if isinstance(value, str) and len(value) > limit:
            raise ActivityProblem(f"the {words} is longer than {limit} characters")
    return body


def storable(text: str) -> str:
    """`text` without NUL and with each lone surrogate replaced by U+FFFD."""
    return _LONE_SURROGATE.sub("\ufffd", text.replace("\x00", ""))


def tidy_name(name: str) -> str:
    """A display name on one line: control characters become spaces, runs of spaces one; at most NAME_CHARS."""
    spaced = "".join(" " if unicodedata.category(c) == "Cc" else c for c in storable(name))
    return " ".join(spaced.split())[:NAME_CHARS].rstrip()


def _clean_strings(body: dict[str, Any]) -> None:
    """Make every string storable, without recursion; refuse nesting deeper than MAX_DEPTH."""
    stack: list[tuple[Any, int]] = [(body, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ActivityProblem(f"the activity is nested more than {MAX_DEPTH} levels deep")
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in list(items):
            if isinstance(value, str):
                node[key] = storable(value)
            elif isinstance(value, (dict, list)):
                stack.append((value, depth + 1))
        if isinstance(node, dict):
            for key in [k for k in node if isinstance(k, str) and storable(k) != k]:
                node[storable(key)] = node.pop(key)


def _parent(body: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any] | None:
    node: Any = body
    for key in path[:-1]:
        node = node.get(key) if isinstance(node, dict) else None
    return node if isinstance(node, dict) else None


def _get(body: dict[str, Any], path: tuple[str, ...]) -> Any:
    parent = _parent(body, path)
    return parent.get(path[-1]) if parent is not None else None
