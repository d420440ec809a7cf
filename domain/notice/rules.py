"""Pure decisions on the notice: filling in settings, and finding what a trust must still confirm."""

from __future__ import annotations

from domain.core.placeholders import placeholders_in
from domain.notice.model import Contact, Notice, NoticePage, NoticeSection, PageKind, Placeholder


def fill(text: str, retention_months: int) -> str:
    """Replace `{retention_months}` (the only setting privacy.yaml may name) with its value."""
    return text.replace("{retention_months}", str(retention_months))


def filled_page(page: NoticePage, retention_months: int) -> NoticePage:
    """The page with every setting filled in."""

    def each(texts: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(fill(text, retention_months) for text in texts)

    sections = tuple(
        NoticeSection(fill(s.heading, retention_months), each(s.paragraphs), each(s.points)) for s in page.sections
    )
    return NoticePage(fill(page.title, retention_months), each(page.intro), sections)


def placeholders(notice: Notice) -> tuple[Placeholder, ...]:
    """Every text in privacy.yaml still holding a placeholder, named by where it sits."""
    found: list[Placeholder] = []
    for where, text in _texts(notice):
        found.extend(Placeholder(where, match) for match in dict.fromkeys(placeholders_in(text)))
    return tuple(found)


def _texts(notice: Notice) -> list[tuple[str, str]]:
    """(where, text) for every text field, in file order."""
    texts: list[tuple[str, str]] = []
    for kind in PageKind:
        page = notice.page(kind)
        texts += [(f"{kind.value}: title", page.title), *((f"{kind.value}: intro", p) for p in page.intro)]
        for section in page.sections:
            where = f"{kind.value}: section '{section.heading}'"
            texts += [(where, text) for text in (section.heading, *section.paragraphs, *section.points)]
    texts += [(f"contacts: '{c.title}'", text) for c in notice.contacts for text in _contact_texts(c)]
    return texts


def _contact_texts(contact: Contact) -> tuple[str, ...]:
    return (contact.title, contact.value, contact.url or "")
