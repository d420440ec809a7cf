"""Use cases for the notice pages: what `/privacy` and `/terms` show (no storage involved)."""

from __future__ import annotations

from domain.notice.model import PAGE_PATHS, Notice, PageKind, RenderedPage
from domain.notice.rules import filled_page


def notice_page(notice: Notice, kind: PageKind, retention_months: int) -> RenderedPage:
    """The privacy notice or the terms of use, settings filled in, linking to the other page."""
    other = PageKind.TERMS if kind == PageKind.PRIVACY else PageKind.PRIVACY
    return RenderedPage(
        kind=kind,
        page=filled_page(notice.page(kind), retention_months),
        contacts_heading=notice.contacts_heading,
        contacts=notice.contacts,
        other_title=notice.page(other).title,
        other_path=PAGE_PATHS[other],
    )
