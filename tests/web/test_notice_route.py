"""`/privacy` and `/terms` over real HTTP: readable, well-formed HTML (lang="en", one h1, h2 per
section), every text escaped, strict headers; built from privacy.yaml with settings filled in."""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from domain.core.content import CONTENT_DIR
from domain.notice.content import NOTICE_FILE, load_notice
from domain.notice.model import PageKind
from domain.notice.service import notice_page
from tests.web.serve import serving
from web.notice import notice_handler, render_page

VOID = {"meta", "br", "hr", "img", "link", "input"}


class _Outline(HTMLParser):
    """Tags in order, checking every element is closed in order; text per heading level."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open.pop() == tag, f"</{tag}> closes the wrong element"

    def handle_data(self, data: str) -> None:
        if self.open and data.strip():
            self.text.setdefault(self.open[-1], []).append(data.strip())


def _outline(html: str) -> _Outline:
    parsed = _Outline()
    parsed.feed(html)
    parsed.close()
    assert parsed.open == [], f"unclosed: {parsed.open}"
    return parsed


@pytest.mark.parametrize("kind", list(PageKind))
async def test_each_page_is_served_as_readable_html(kind: PageKind) -> None:
    page = notice_page(load_notice(), kind, retention_months=12)
    async with (
        serving(f"/{kind.value}", notice_handler(page)) as (base, http),
        http.get(f"{base}/{kind.value}") as response,
    ):
        assert response.status == 200
        assert response.headers["Content-Type"] == "text/html; charset=utf-8"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "default-src 'none'" in response.headers["Content-Security-Policy"]
        html = await response.text()
    outline = _outline(html)
    assert html.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert ("meta", {"charset": "utf-8"}) in outline.tags
    assert outline.text["h1"] == [page.page.title] and outline.text["title"] == [page.page.title]
    assert outline.text["h2"] == [s.heading for s in page.page.sections] + [page.contacts_heading]
    assert not any(tag in ("script", "img", "iframe", "form", "link") for tag, _ in outline.tags)
    links = [attrs["href"] for tag, attrs in outline.tags if tag == "a"]
    assert page.other_path.lstrip("/") in links  # relative, so a path prefix in PLP_PUBLIC_URL still works


async def test_head_is_answered_too() -> None:
    page = notice_page(load_notice(), PageKind.TERMS, 12)
    async with serving("/terms", notice_handler(page)) as (base, http), http.head(f"{base}/terms") as response:
        assert response.status == 200


def test_the_privacy_page_says_how_long_data_is_kept_from_the_setting() -> None:
    html = render_page(notice_page(load_notice(), PageKind.PRIVACY, retention_months=6))
    assert "Your personal data is deleted 6 months after your cohort ends." in html
    assert "{retention_months}" not in html


def test_every_text_is_escaped(tmp_path: Path) -> None:
    shutil.copy(CONTENT_DIR / NOTICE_FILE, tmp_path / NOTICE_FILE)
    path = tmp_path / NOTICE_FILE
    text = path.read_text(encoding="utf-8")
    text = text.replace('title: "PLP Companion: privacy notice"', 'title: "Notice <script>alert(1)</script> & more"')
    text = text.replace(
        'url: "https://ico.org.uk/make-a-complaint/"', 'url: "https://ico.org.uk/?a=\\"><script>x</script>"'
    )
    text = text.replace('- "Share only what', "- \"<a href='https://evil.example'>Click</a> Share only what")
    path.write_text(text, encoding="utf-8")
    notice = load_notice(tmp_path)
    html = render_page(notice_page(notice, PageKind.PRIVACY, 12)) + render_page(notice_page(notice, PageKind.TERMS, 12))
    assert "<script>" not in html and "evil.example'>" not in html
    assert "Notice &lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html
    assert 'href="https://ico.org.uk/?a=&quot;&gt;&lt;script&gt;x&lt;/script&gt;"' in html
    assert "&lt;a href=&#x27;https://evil.example&#x27;&gt;Click&lt;/a&gt;" in html
    outline = _outline(html.split("</html>")[0] + "</html>")
    first_link = next(attrs["href"] for tag, attrs in outline.tags if tag == "a")
    assert first_link is not None and first_link.startswith("https://ico.org.uk/")
