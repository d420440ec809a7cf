"""The two try-it pages: the start page (`/`) and one chat page per seat (`/try/{seat}`).

Plain HTML from templates in `web/tryit/templates/`; every value is escaped. The chat page
loads Microsoft's Web Chat from `web/static/vendor/webchat.js` when that local copy exists
(`python3.11 dev.py webchat` fetches it) and from Microsoft's CDN otherwise; `tryit.js`
connects it to the built-in Direct Line endpoint with the page's seat token.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from string import Template

from aiohttp import web

from web.tryit.seats import SEATS, Seat

STATIC_ROOT = Path(__file__).resolve().parents[1] / "static"
STATIC_PATH = "/try/static"
WEBCHAT_VERSION = "4.18.1"
WEBCHAT_LOCAL = STATIC_ROOT / "vendor" / "webchat.js"
TRYIT_JS = f"{STATIC_PATH}/tryit/tryit.js"
WEBCHAT_CDN = f"https://cdn.botframework.com/botframework-webchat/{WEBCHAT_VERSION}/webchat.js"
_TEMPLATES = Path(__file__).resolve().parent / "templates"
# Web Chat styles itself inline and may load images from data: and blob: URLs.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' https://cdn.botframework.com; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'self'"
)


@dataclass(frozen=True)
class DemoCohort:
    """What the pages say about the cohort everyone joins."""

    name: str
    join_code: str


def webchat_source() -> str:
    """Where the chat page loads Web Chat from: the local copy when present, else the CDN."""
    return f"{STATIC_PATH}/vendor/webchat.js" if WEBCHAT_LOCAL.is_file() else WEBCHAT_CDN


def banner(host: str, port: int) -> str:
    """What `dev.py run` shows a newcomer: the page to open, and where Web Chat comes from."""
    shown = "localhost" if host in ("0.0.0.0", "::", "") else host
    shown = f"[{shown}]" if ":" in shown else shown
    source = (
        "a local copy" if WEBCHAT_LOCAL.is_file() else "Microsoft's CDN; `python3.11 dev.py webchat` fetches a copy"
    )
    return (
        f"\n  Try it in your browser: open http://{shown}:{port}/\n"
        f"  (chat as Partner A, Partner B or Facilitator; Web Chat loads from {source})\n"
    )


def start_page(cohort: DemoCohort) -> web.Response:
    """`/`: what the companion is, and who to chat as."""
    seats = "\n".join(
        _fill(
            "seat.html",
            href=f"/try/{seat.key}",
            name=seat.name,
            summary=seat.summary,
        )
        for seat in SEATS
    )
    main = _fill("start.html", cohort=cohort.name, code=cohort.join_code)
    return _page("Try the PLP Companion in your browser", main.replace("<!--seats-->", seats))


def chat_page(seat: Seat, cohort: DemoCohort, token: str, today: str, ahead: str) -> web.Response:
    """`/try/{seat}`: Web Chat as this seat, with the companion's calendar controls."""
    main = _fill(
        "chat.html",
        seat=seat.name,
        today=today,
        ahead=ahead,
        token=token,
        domain="/v3/directline",
        user_id=seat.user_id,
        initials="".join(word[0] for word in seat.name.split())[:2].upper(),
    )
    code = html.escape(cohort.join_code)
    hint = (
        f"Join the demo cohort by typing <kbd>join {code}</kbd>."
        if seat.is_partner
        else f"You are a facilitator here: type <kbd>help</kbd> to see what you can do. "
        f"Partners join with <kbd>join {code}</kbd>."
    )
    main = main.replace("<!--hint-->", hint)
    scripts = "\n".join(f'<script src="{html.escape(src)}"></script>' for src in (webchat_source(), TRYIT_JS))
    return _page(f"{seat.name}: chat with the PLP Companion", main, scripts, wide=True)


def not_found_page() -> web.Response:
    """An unknown seat."""
    main = _fill("not_found.html")
    response = _page("Not found", main)
    response.set_status(404)
    return response


def _page(title: str, main: str, scripts: str = "", wide: bool = False) -> web.Response:
    body = _fill("layout.html", title=title, body_class="wide" if wide else "", static=STATIC_PATH)
    body = body.replace("<!--main-->", main).replace("<!--scripts-->", scripts)
    response = web.Response(text=body, content_type="text/html", charset="utf-8")
    response.headers.update(
        {
            "Content-Security-Policy": CONTENT_SECURITY_POLICY,
            "Cache-Control": "no-store",  # the chat page holds a token
            "Referrer-Policy": "no-referrer",
            "X-Content-Type-Options": "nosniff",
        }
    )
    return response


def _fill(template_name: str, **values: str) -> str:
    """A template with every value HTML-escaped."""
    template = Template((_TEMPLATES / template_name).read_text(encoding="utf-8"))
    return template.substitute({key: html.escape(value, quote=True) for key, value in values.items()})
