"""A small JSON Schema (draft-04) validator: enough for Microsoft's Teams manifest schema.

Every keyword that schema uses is implemented; any other keyword raises, so a newer schema
can never be passed by silently skipping what this does not know. `errors(schema, value)`
returns one line per violation, as `path: what is wrong`.
"""

from __future__ import annotations

import re
from typing import Any

_ANNOTATIONS = {"$schema", "id", "description", "default", "title", "examples", "format", "definitions"}
_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "boolean": (bool,),
    "integer": (int,),
    "number": (int, float),
    "null": (type(None),),
}


class UnknownKeyword(Exception):
    """The schema uses a keyword this validator does not implement."""


def errors(schema: dict[str, Any], value: Any) -> list[str]:
    """Every violation of `schema` by `value` ([] when valid)."""
    found: list[str] = []
    _check(schema, schema, value, "$", found)
    return found


def _check(root: dict[str, Any], schema: dict[str, Any], value: Any, path: str, found: list[str]) -> None:
    if "$ref" in schema:
        _check(root, _resolve(root, schema["$ref"]), value, path, found)
    for keyword, rule in schema.items():
        if keyword == "$ref" or keyword in _ANNOTATIONS:
            continue
        check = _KEYWORDS.get(keyword)
        if check is None:
            raise UnknownKeyword(f"{keyword!r} at {path}")
        check(root, schema, rule, value, path, found)


def _resolve(root: dict[str, Any], ref: str) -> dict[str, Any]:
    if not ref.startswith("#/"):
        raise UnknownKeyword(f"only local references are supported, not {ref!r}")
    node: Any = root
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def _is(value: Any, kind: str) -> bool:
    if isinstance(value, bool) and kind in ("integer", "number"):
        return False
    if kind == "integer" and isinstance(value, float):
        return value.is_integer()
    return isinstance(value, _TYPES[kind])


def _type(_r: Any, _s: Any, rule: Any, value: Any, path: str, found: list[str]) -> None:
    kinds = rule if isinstance(rule, list) else [rule]
    if not any(_is(value, kind) for kind in kinds):
        found.append(f"{path}: expected {' or '.join(kinds)}, got {type(value).__name__}")


def _properties(root: Any, _s: Any, rule: Any, value: Any, path: str, found: list[str]) -> None:
    if isinstance(value, dict):
        for name, sub in rule.items():
            if name in value:
                _check(root, sub, value[name], f"{path}.{name}", found)


def _additional(root: Any, schema: Any, rule: Any, value: Any, path: str, found: list[str]) -> None:
    if not isinstance(value, dict):
        return
    for name in (name for name in value if name not in schema.get("properties", {})):
        if rule is False:
            found.append(f"{path}: property {name!r} is not allowed")
        elif isinstance(rule, dict):
            _check(root, rule, value[name], f"{path}.{name}", found)


def _required(_r: Any, _s: Any, rule: Any, value: Any, path: str, found: list[str]) -> None:
    if isinstance(value, dict):
        found += [f"{path}: {name!r} is required" for name in rule if name not in value]


def _dependencies(root: Any, _s: Any, rule: Any, value: Any, path: str, found: list[str]) -> None:
    if not isinstance(value, dict):
        return
    for name, needs in rule.items():
        if name not in value:
            continue
        if isinstance(needs, list):
            found += [f"{path}: {name!r} needs {other!r}" for other in needs if other not in value]
        else:
            _check(root, needs, value, path, found)


def _min_properties(_r: Any, _s: Any, rule: Any, value: Any, path: str, found: list[str]) -> None:
    if isinstance(value, dict) and len(value) < rule:
        found.append(f"{path}: needs at least {rule} properties")


def _items(root: Any, _s: Any, rule: Any, value: Any, path: str, found: list[str]) -> None:
    if not isinstance(value, list):
        return
    if isinstance(rule, list):
        raise UnknownKeyword("items as a list (tuple validation)")
    for index, item in enumerate(value):
        _check(root, rule, item, f"{path}[{index}]", found)


def _max_items(_r: Any, _s: Any, rule: Any, value: Any, path: str, found: list[str]) -> None:
    if isinstance(value, list) and len(value) > rule:
        found.append(f"{path}: at most {rule} items, got {len(value)}")


def _min_items(_r: Any, _s: Any, rule: Any, value: Any, path: str, found: list[str]) -> None:
    if isinstance(value, list) and len(value) < rule:
        found.append(f"{path}: at least {rule} items, got {len(value)}")


def _unique(_r: Any, _s: Any, rule: Any, value: Any, path: str, found: list[str]) -> None:
    if rule and isinstance(value, list):
        seen = [repr(item) for item in value]
        if len(set(seen)) != len(seen):
            found.append(f"{path}: items must be unique")


def _max_length(_r: Any, _s: Any, rule: Any, value: Any, path: str, found: list[str]) -> None:
    if isinstance(value, str) and len(value) > rule:
        found.append(f"{path}: at most {rule} characters, got {len(value)}")


def _min_length(_r: Any, _s: Any, rule: Any, value: Any, path: str, found: list[str]) -> None:
    if isinstance(value, str) and len(value) < rule:
        found.append(f"{path}: at least {rule} characters, got {len(value)}")


def _pattern(_r: Any, _s: Any, rule: Any, value: Any, path: str, found: list[str]) -> None:
    if isinstance(value, str) and re.search(rule, value) is None:
        found.append(f"{path}: {value!r} does not match {rule}")


def _enum(_r: Any, _s: Any, rule: Any, value: Any, path: str, found: list[str]) -> None:
    if not any(value == option and type(value) is type(option) for option in rule):
        found.append(f"{path}: {value!r} is not one of {rule}")


def _const(_r: Any, _s: Any, rule: Any, value: Any, path: str, found: list[str]) -> None:
    if value != rule or type(value) is not type(rule):
        found.append(f"{path}: must be {rule!r}, got {value!r}")


def _maximum(_r: Any, schema: Any, rule: Any, value: Any, path: str, found: list[str]) -> None:
    if _is(value, "number") and (value >= rule if schema.get("exclusiveMaximum") else value > rule):
        found.append(f"{path}: {value} is above {rule}")


def _minimum(_r: Any, schema: Any, rule: Any, value: Any, path: str, found: list[str]) -> None:
    if _is(value, "number") and (value <= rule if schema.get("exclusiveMinimum") else value < rule):
        found.append(f"{path}: {value} is below {rule}")


def _modifier(*_: Any) -> None:
    """exclusiveMaximum / exclusiveMinimum: read by maximum / minimum."""


_KEYWORDS = {
    "type": _type,
    "properties": _properties,
    "additionalProperties": _additional,
    "required": _required,
    "dependencies": _dependencies,
    "minProperties": _min_properties,
    "items": _items,
    "maxItems": _max_items,
    "minItems": _min_items,
    "uniqueItems": _unique,
    "maxLength": _max_length,
    "minLength": _min_length,
    "pattern": _pattern,
    "enum": _enum,
    "const": _const,
    "maximum": _maximum,
    "minimum": _minimum,
    "exclusiveMaximum": _modifier,
    "exclusiveMinimum": _modifier,
}
