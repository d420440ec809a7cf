"""Read guide_content YAML keeping line numbers, and collect problems to report together."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, SequenceNode


@dataclass(frozen=True)
class Entry:
    """A YAML mapping: its values and the (1-based) line each field's key sits on."""

    line: int
    values: Mapping[str, object]
    lines: Mapping[str, int]

    def line_of(self, name: str) -> int:
        """The line of field `name`, or of the mapping itself when the field is absent."""
        return self.lines.get(name, self.line)


class Problems:
    """Every content problem found, so one start-up reports them all."""

    def __init__(self, files: tuple[str, ...] = ()) -> None:
        self._found: list[tuple[str, int, str]] = []
        self._files = list(files)  # the order problems are listed in: file order, then line

    def add(self, file: str, line: int | None, where: str, message: str) -> None:
        """Record one problem as `file:line: where: message`."""
        location = file if line is None else f"{file}:{line}"
        if file not in self._files:
            self._files.append(file)
        self._found.append((file, line or 0, ": ".join(p for p in (location, where, message) if p)))

    @property
    def lines(self) -> list[str]:
        """The problems by file, then by line, the order an editor would fix them in."""
        ordered = sorted(self._found, key=lambda found: (self._files.index(found[0]), found[1]))
        return [text for _, _, text in ordered]

    def __len__(self) -> int:
        return len(self._found)

    def __bool__(self) -> bool:
        return bool(self._found)


def read_yaml(content_dir: Path, file: str, problems: Problems) -> Entry | None:
    """Parse one content file into an Entry, or record why it cannot be read."""
    raw = _read_bytes(content_dir, file, problems)
    text = None if raw is None else _decode(raw, file, problems)
    if text is None:
        return None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        root = None if node is None else _Converter(file, problems).convert(node)
    except yaml.YAMLError as exc:
        problems.add(file, _mark_line(exc), "", f"invalid YAML: {_describe(exc)}")
        return None
    if not isinstance(root, Entry):
        problems.add(
            file,
            1,
            "",
            "must hold named fields at the top (for example 'phases:'), "
            "but the file is empty or holds a plain list or value",
        )
        return None
    return root


def _read_bytes(content_dir: Path, file: str, problems: Problems) -> bytes | None:
    """The file's bytes, or None with the reason recorded."""
    try:
        return (content_dir / file).read_bytes()
    except FileNotFoundError:
        problems.add(file, None, "", f"file not found (looked in {content_dir})")
    except OSError as exc:
        problems.add(file, None, "", f"cannot read ({exc.strerror})")
    return None


def _decode(raw: bytes, file: str, problems: Problems) -> str | None:
    """UTF-8 text (a Windows byte-order mark is tolerated), or None with the line named."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        problems.add(file, line, "", f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file with UTF-8 encoding")
        return None


def _mark_line(exc: yaml.YAMLError) -> int | None:
    """The 1-based line a YAML error points at, when it points anywhere."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return None if mark is None else mark.line + 1


def _describe(exc: yaml.YAMLError) -> str:
    """PyYAML's own words for the error, plus the usual culprits for a hand-edited file."""
    parts = [getattr(exc, "context", None), getattr(exc, "problem", None)]
    said = "; ".join(str(part) for part in parts if part) or str(exc)
    return f"{said} (check indentation, quotes and colons)"


class _Converter:
    """Turns composed YAML nodes into Entries, lists and plain values."""

    def __init__(self, file: str, problems: Problems) -> None:
        self._file = file
        self._problems = problems
        # A fresh constructor per file: it caches constructed nodes.
        self._scalars = SafeConstructor()

    def convert(self, node: Node) -> object:
        """Convert one node, recursively."""
        if isinstance(node, MappingNode):
            return self._mapping(node)
        if isinstance(node, SequenceNode):
            return [self.convert(item) for item in node.value]
        return self._scalars.construct_object(node, deep=True)

    def _mapping(self, node: MappingNode) -> Entry:
        """A mapping as an Entry; a repeated field is a problem (YAML would keep the last)."""
        values: dict[str, object] = {}
        lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(self.convert(key_node))
            line = key_node.start_mark.line + 1
            if key in values:
                self._problems.add(self._file, line, f"field '{key}'", f"appears twice (first on line {lines[key]})")
            values[key] = self.convert(value_node)
            lines[key] = line
        return Entry(node.start_mark.line + 1, values, lines)
