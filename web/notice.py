"""`GET /privacy` and `GET /terms`: the privacy notice and terms of use as readable HTML pages.

Both come from guide_content/privacy.yaml (loaded and checked at start-up) with the settings
filled in, so each page is built once and served as it is. Every text is HTML-escaped: the
file holds plain text only. No script, no outside resources, no cookies.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from html import escape

from aiohttp import web

from domain.notice.model import Contact, NoticeSection, RenderedPage

Handler = Callable[[web.Request], Awaitable[web.Response]]

_HEADERS = {
    "Cache-Control": "public, max-age=300",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}
_STYLE = (
    "body{font-family:Arial,Helvetica,sans-serif;font-size:1.0625rem;line-height:1.55;color:#212b32;"
    "background:#fff;max-width:44rem;margin:0 auto;padding:1.5rem 1rem 3rem}"
    "h1{font-size:1.875rem;line-height:1.25;margin:0 0 1.25rem}h2{font-size:1.375rem;margin:2rem 0 .5rem}"
    "a{color:#005eb8}a:focus{outline:3px solid #ffeb3b}li{margin:.35rem 0}"
    "dt{font-weight:bold;margin-top:1rem}dd{margin:0}footer{margin-top:2.5rem;border-top:1px solid #d8dde0}"
)


def render_page(page: RenderedPage) -> str:
    """The whole HTML document for one page: its title, intro, sections, contacts and a link to the other page."""
    content = page.page
    body = [f"<h1>{escape(content.title)}</h1>", *_paragraphs(content.intro)]
    body += [_section(section) for section in content.sections]
    body.append(_contacts(page.contacts_heading, page.contacts))
    other = escape(page.other_path.lstrip("/"), quote=True)  # relative: works behind a path prefix too
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{escape(content.title)}</title>",
            f"<style>{_STYLE}</style>",
            "</head>",
            "<body>",
            "<main>",
            *body,
            "</main>",
            f'<footer><p><a href="{other}">{escape(page.other_title)}</a></p></footer>',
            "</body>",
            "</html>",
            "",
        ]
    )


def notice_handler(page: RenderedPage) -> Handler:
    """aiohttp handler serving one page, rendered once."""
    html = render_page(page)

    async def handler(_request: web.Request) -> web.Response:
        return web.Response(text=html, content_type="text/html", charset="utf-8", headers=_HEADERS)

    return handler


def _section(section: NoticeSection) -> str:
    parts = [f"<h2>{escape(section.heading)}</h2>", *_paragraphs(section.paragraphs)]
    if section.points:
        parts.append("<ul>" + "".join(f"<li>{escape(point)}</li>" for point in section.points) + "</ul>")
    return "<section>\n" + "\n".join(parts) + "\n</section>"


def _contacts(heading: str, contacts: tuple[Contact, ...]) -> str:
    rows = []
    for contact in contacts:
        link = f' <a href="{escape(contact.url, quote=True)}">{escape(contact.url)}</a>' if contact.url else ""
        rows.append(f"<dt>{escape(contact.title)}</dt><dd>{escape(contact.value)}{link}</dd>")
    return f"<section>\n<h2>{escape(heading)}</h2>\n<dl>\n" + "\n".join(rows) + "\n</dl>\n</section>"


def _paragraphs(paragraphs: tuple[str, ...]) -> list[str]:
    return [f"<p>{escape(paragraph)}</p>" for paragraph in paragraphs]
