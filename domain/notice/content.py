"""Load guide_content/privacy.yaml: the privacy notice, the terms of use and their contacts.

Usage: `notice = load_notice()` once at start-up; a `NoticeError` (a `ContentError`) lists
every problem as `privacy.yaml:line: where: field 'name': what is wrong`, like the guide.
Text may use `{retention_months}`, filled from PLP_RETENTION_MONTHS when the page is shown.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import cast

from domain.core.content import CONTENT_DIR, ContentError
from domain.core.content_yaml import Entry, Problems, read_yaml
from domain.guide.fields import Item
from domain.notice.model import Contact, Notice, NoticePage, NoticeSection, PageKind

NOTICE_FILE = "privacy.yaml"
SETTING_FIELDS = ("retention_months",)
_FIELD = re.compile(r"\{([^{}]*)\}")


class NoticeError(ContentError):
    """privacy.yaml is invalid; the message lists every problem, one per line."""

    def __init__(self, message: str, problems: tuple[str, ...]) -> None:
        super().__init__(message)
        self.problems = problems


def load_notice(content_dir: Path = CONTENT_DIR) -> Notice:
    """Read and check privacy.yaml; raise NoticeError listing every problem."""
    problems = Problems((NOTICE_FILE,))
    root = read_yaml(content_dir, NOTICE_FILE, problems)
    notice = None if root is None else _notice(Item(root, "", NOTICE_FILE, problems))
    if problems or notice is None:
        found = tuple(problems.lines) or ("the notice is incomplete",)
        raise NoticeError(
            f"The privacy notice in {content_dir} has {len(found)} problem(s):\n" + "\n".join(found), found
        )
    return notice


def _notice(top: Item) -> Notice | None:
    top.allow((PageKind.PRIVACY.value, PageKind.TERMS.value, "contacts", "contacts_heading"))
    privacy, terms = (_page(top, kind.value) for kind in (PageKind.PRIVACY, PageKind.TERMS))
    contacts = [_contact(item) for item in _listed(top, "contacts", "contact")]
    heading = _text(top, "contacts_heading", required=False) or "Contacts"
    if privacy is None or terms is None or not contacts or None in contacts:
        return None
    return Notice(privacy, terms, tuple(c for c in contacts if c), heading)


def _page(top: Item, name: str) -> NoticePage | None:
    """One page: a title, an introduction and at least one section."""
    value = top.entry.values.get(name)
    if not isinstance(value, Entry):
        top.problem(name, "must hold the fields title, intro and sections")
        return None
    item = Item(value, name, NOTICE_FILE, top.problems)
    item.allow(("title", "intro", "sections"))
    title, intro = _text(item, "title"), _text(item, "intro")
    sections = [_section(entry) for entry in _listed(item, "sections", "section")]
    if title is None or intro is None or not sections or None in sections:
        return None
    return NoticePage(title, _paragraphs(intro), tuple(s for s in sections if s))


def _section(item: Item) -> NoticeSection | None:
    """A heading with paragraphs (`text`), a bulleted list (`points`), or both."""
    item.allow(("heading", "text", "points"))
    heading, text, points = _text(item, "heading"), _text(item, "text", required=False), _points(item)
    if not item.has("text") and not item.has("points"):
        item.problem(None, "needs 'text', 'points' or both")
        return None
    broken = (item.has("text") and text is None) or (item.has("points") and points is None)
    if heading is None or broken:
        return None
    return NoticeSection(heading, _paragraphs(text or ""), points or ())


def _points(item: Item) -> tuple[str, ...] | None:
    """A non-empty list of non-empty text."""
    if not item.has("points"):
        return None
    value = item.entry.values["points"]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        item.problem("points", "must be a list of text, each line starting with '- '")
        return None
    points = tuple(v.strip() for v in cast(list[str], value))
    good = [_fields_known(item, "points", point) and item.equal_words("points", point) for point in points]
    return points if all(good) else None


def _contact(item: Item) -> Contact | None:
    """Who to ask and how; an optional https web address."""
    item.allow(("title", "value", "url"))
    title, value, url = _text(item, "title"), _text(item, "value"), _text(item, "url", required=False)
    if url is not None and (not url.startswith("https://") or any(ch.isspace() for ch in url)):
        item.problem("url", f"'{url}' must be a full https:// address without spaces")
        return None
    return None if title is None or value is None else Contact(title, value, url)


def _text(item: Item, name: str, required: bool = True) -> str | None:
    """Item.text plus a check that `{...}` names only a setting the page can fill in."""
    text = item.text(name, required=required)
    return text if text is None or _fields_known(item, name, text) else None


def _fields_known(item: Item, name: str, text: str) -> bool:
    unknown = [field for field in _FIELD.findall(text) if field not in SETTING_FIELDS]
    if unknown:
        item.problem(name, f"unknown setting {{{unknown[0]}}} (expected one of {', '.join(SETTING_FIELDS)})")
    return not unknown


def _listed(parent: Item, name: str, kind: str) -> list[Item]:
    """The mappings of a list field, labelled `kind #n` for messages."""
    value = parent.entry.values.get(name)
    if not isinstance(value, list) or not value:
        parent.problem(name, f"must be a list of {kind}s, each starting with '- '" if parent.has(name) else "missing")
        return []
    items = []
    for index, entry in enumerate(value, start=1):
        label = ": ".join(filter(None, (parent.label, f"{kind} #{index}")))
        if isinstance(entry, Entry):
            items.append(Item(entry, label, NOTICE_FILE, parent.problems))
        else:
            parent.problem(name, f"{kind} #{index} must be a set of fields, got {entry!r}")
    return items


def _paragraphs(text: str) -> tuple[str, ...]:
    """One paragraph per line of the value (a blank line in a `>-` block makes a new line)."""
    return tuple(line.strip() for line in text.split("\n") if line.strip())
