"""Field-by-field checks on one content item, recording problems against its id and line."""

from __future__ import annotations

import re
from collections.abc import Collection
from enum import StrEnum
from typing import TypeVar, cast

from domain.core.content_yaml import Entry, Problems

E = TypeVar("E", bound=StrEnum)

_ID = re.compile(r"[A-Za-z0-9_-]+")
# Partners are equals: hierarchy words never reach a partner, whoever edits the content.
_HIERARCHY_WORDS = re.compile(r"mentor|mentee", re.IGNORECASE)


class Item:
    """One mapping from a content file, read field by field; each bad field is a problem."""

    def __init__(self, entry: Entry, label: str, file: str, problems: Problems) -> None:
        self.entry = entry
        self.label = label
        self.file = file
        self.problems = problems

    @classmethod
    def listed(cls, entry: Entry, kind: str, index: int, file: str, problems: Problems) -> Item:
        """An item from a list, labelled by its id (or its position when it has none)."""
        raw = entry.values.get("id")
        named = raw.strip() if isinstance(raw, str) else ""
        return cls(entry, f"{kind} {named}" if named else f"{kind} #{index} (no id)", file, problems)

    @property
    def declared_id(self) -> str | None:
        """The id as written (trimmed), even if other fields are wrong; None when absent."""
        raw = self.entry.values.get("id")
        return (raw.strip() or None) if isinstance(raw, str) else None

    def problem(self, name: str | None, message: str) -> None:
        """Record a problem with this item, or with one of its fields."""
        where = self.label if name is None else ": ".join(filter(None, (self.label, f"field '{name}'")))
        line = self.entry.line if name is None else self.entry.line_of(name)
        self.problems.add(self.file, line, where, message)

    def allow(self, names: Collection[str]) -> None:
        """Flag fields this item does not know (usually a typo, silently ignored otherwise)."""
        for name in self.entry.values:
            if name not in names:
                self.problem(name, f"unknown field (expected one of {', '.join(names)})")

    def has(self, name: str) -> bool:
        """True when the field is present at all."""
        return name in self.entry.values

    def text(self, name: str, required: bool = True) -> str | None:
        """Trimmed, non-empty text; None (with a problem unless optional and absent) otherwise."""
        if not self.has(name):
            if required:
                self.problem(name, "missing")
            return None
        value = self.entry.values[name]
        if value is None or (isinstance(value, str) and not value.strip()):
            self.problem(name, "is empty")
            return None
        if not isinstance(value, str):
            self.problem(name, f"must be text, got {value!r} (put it in quotes)")
            return None
        if not self.equal_words(name, value):
            return None
        return value.strip()

    def equal_words(self, name: str, value: str) -> bool:
        """False (with a problem) when `value` uses a hierarchy word: partners are equals."""
        found = _HIERARCHY_WORDS.search(value)
        if found:
            self.problem(name, f"uses '{found.group(0)}'; partners are equals, say 'partner' instead")
        return found is None

    def ident(self) -> str | None:
        """The item's id: text made of letters, digits, '-' and '_'."""
        value = self.text("id")
        if value is not None and not _ID.fullmatch(value):
            self.problem("id", f"'{value}' may use only letters, digits, '-' and '_'")
            return None
        return value

    def integer(self, name: str) -> int | None:
        """A whole number (yes/no are not numbers, though YAML would say so)."""
        if not self.has(name):
            self.problem(name, "missing")
            return None
        value = self.entry.values[name]
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(name, f"must be a whole number, got {value!r}")
            return None
        return value

    def integers(self, name: str, required: bool = True) -> tuple[int, ...] | None:
        """A non-empty list of whole numbers, such as [12, 25]."""
        if not self.has(name):
            if required:
                self.problem(name, "missing")
            return None
        value = self.entry.values[name]
        good = (
            isinstance(value, list)
            and value
            and all(isinstance(item, int) and not isinstance(item, bool) for item in value)
        )
        if not good:
            self.problem(name, f"must be a list of whole numbers such as [12, 25], got {value!r}")
            return None
        return tuple(cast(list[int], value))

    def texts(self, name: str) -> tuple[str, ...] | None:
        """A non-empty list of non-empty text, such as [P1, P2]."""
        if not self.has(name):
            self.problem(name, "missing")
            return None
        value = self.entry.values[name]
        good = isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value)
        if not good:
            self.problem(name, f"must be a list of ids such as [P1, P2], got {value!r}")
            return None
        return tuple(item.strip() for item in cast(list[str], value))

    def choice(self, name: str, allowed: type[E], noun: str, default: E | None = None) -> E | None:
        """One of an enum's values; an absent field takes `default` when there is one."""
        if not self.has(name) and default is not None:
            return default
        value = self.entry.values[name] if self.has(name) else None
        if default is not None and (value is None or value == ""):
            self.problem(name, f"is empty (leave the field out to use the default '{default}')")
            return None
        text = self.text(name)
        if text is None:
            return None
        try:
            return allowed(text)
        except ValueError:
            expected = ", ".join(member.value for member in allowed)
            self.problem(name, f"unknown {noun} '{text}' (expected one of {expected})")
            return None


def listed_entries(parent: Item, name: str, kind: str) -> list[Item]:
    """The items of a list field (each must be a mapping), labelled by id for messages."""
    if not parent.has(name):
        parent.problem(name, "missing")
        return []
    value = parent.entry.values[name]
    if not isinstance(value, list) or not value:
        parent.problem(name, f"must be a list of {kind}s, each starting with '- id:'")
        return []
    items = []
    for index, entry in enumerate(value, start=1):
        if isinstance(entry, Entry):
            items.append(Item.listed(entry, kind, index, parent.file, parent.problems))
        else:
            parent.problem(name, f"{kind} #{index} must be a set of fields starting with '- id:', got {entry!r}")
    return items


class Ids:
    """Ids already used in one namespace, to report duplicates with the first line."""

    def __init__(self) -> None:
        self._first: dict[str, int] = {}

    def claim(self, item: Item, ident: str) -> bool:
        """True when `ident` is new; otherwise a problem naming where it was first used."""
        if ident in self._first:
            item.problem("id", f"duplicate id '{ident}' (first used on line {self._first[ident]})")
            return False
        self._first[ident] = item.entry.line_of("id")
        return True
