"""The privacy notice and terms of use as plain, frozen data (built by `domain.notice.content.load_notice`)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

PRIVACY_PATH = "/privacy"
TERMS_PATH = "/terms"


class PageKind(StrEnum):
    """The two pages built from privacy.yaml; the value is the field naming the page there."""

    PRIVACY = "privacy"
    TERMS = "terms"


PAGE_PATHS = {PageKind.PRIVACY: PRIVACY_PATH, PageKind.TERMS: TERMS_PATH}


def page_url(public_url: str, kind: PageKind) -> str:
    """Where people read the page: `PLP_PUBLIC_URL` plus the page's path."""
    return public_url.rstrip("/") + PAGE_PATHS[kind]


@dataclass(frozen=True)
class Contact:
    """Who to ask: a title, how to reach them, and an optional https web address."""

    title: str
    value: str
    url: str | None = None


@dataclass(frozen=True)
class NoticeSection:
    """One headed part of a page: paragraphs, then an optional bulleted list."""

    heading: str
    paragraphs: tuple[str, ...] = ()
    points: tuple[str, ...] = ()


@dataclass(frozen=True)
class NoticePage:
    """A whole page: title, opening paragraphs and its sections (the contacts end every page)."""

    title: str
    intro: tuple[str, ...]
    sections: tuple[NoticeSection, ...]


@dataclass(frozen=True)
class Notice:
    """Both pages and the contacts they share, as written in privacy.yaml (before any setting is filled in)."""

    privacy: NoticePage
    terms: NoticePage
    contacts: tuple[Contact, ...]
    contacts_heading: str = "Contacts"

    def page(self, kind: PageKind) -> NoticePage:
        """The privacy notice or the terms of use."""
        return self.privacy if kind == PageKind.PRIVACY else self.terms


@dataclass(frozen=True)
class Placeholder:
    """A placeholder left in privacy.yaml: where it is and what it says."""

    where: str
    text: str


@dataclass(frozen=True)
class RenderedPage:
    """A page ready to show: settings filled in, the contacts attached, the other page linked."""

    kind: PageKind
    page: NoticePage
    contacts_heading: str
    contacts: tuple[Contact, ...]
    other_title: str
    other_path: str
