"""What every dashboard response shares: security headers, the session cookie, CSRF and origin checks,
and rendering a Jinja2 template (autoescaped: every value a page shows is text, never markup).

The session cookie is HttpOnly and SameSite=Strict; with an https public URL (always in
production) it is also Secure and takes the `__Host-` prefix, so no other host or path can set it.
"""

from __future__ import annotations

import hmac
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from domain.dashboard.model import Refusal
from domain.dashboard.wording import REFUSALS
from domain.language.show import format_time

TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC_ROOT = Path(__file__).resolve().parents[1] / "static" / "dashboard"
VENDOR_ROOT = Path(__file__).resolve().parents[1] / "static" / "vendor" / "chartjs"
STATIC_PATH = "/dashboard/static"
VENDOR_PATH = "/dashboard/vendor"
CHARTJS = VENDOR_ROOT / "chart.umd.min.js"
CSRF_FIELD = "csrf"
CSRF_HEADER = "X-CSRF-Token"
# No inline script or style, nothing from elsewhere, never framed, forms post only here.
POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors {ancestors}"
)
TEAMS_FRAMES = "https://teams.microsoft.com https://*.teams.microsoft.com https://*.cloud.microsoft"


def headers(framed_by_teams: bool = False) -> dict[str, str]:
    """Security headers for a dashboard page; the Teams tab page may be framed by Teams only."""
    found = {
        "Cache-Control": "no-store",
        "Content-Security-Policy": POLICY.format(ancestors=TEAMS_FRAMES if framed_by_teams else "'none'"),
        # A sign-in address is never passed to another site ("no-referrer" would make the browser send
        # `Origin: null` with our own forms, and the origin check refuse them).
        "Referrer-Policy": "same-origin",
        "X-Content-Type-Options": "nosniff",
    }
    if not framed_by_teams:
        found["X-Frame-Options"] = "DENY"
    return found


def redirect(location: str) -> web.Response:
    """303 See Other: after a form, the browser GETs the page that shows the result."""
    return web.Response(status=303, headers={**headers(), "Location": location})


def cookie_name(secure: bool) -> str:
    """`__Host-plp-dashboard` over https (the browser then insists on Secure, Path=/ and no Domain)."""
    return "__Host-plp-dashboard" if secure else "plp-dashboard"


def set_session_cookie(response: web.StreamResponse, value: str, secure: bool) -> None:
    response.set_cookie(cookie_name(secure), value, path="/", httponly=True, samesite="Strict", secure=secure)


def clear_session_cookie(response: web.StreamResponse, secure: bool) -> None:
    response.del_cookie(cookie_name(secure), path="/", secure=secure, httponly=True, samesite="Strict")


def session_cookie(request: web.Request, secure: bool) -> str:
    return request.cookies.get(cookie_name(secure), "")


def same_origin(request: web.Request, public_url: str) -> bool:
    """A state-changing request from our own pages: no Origin header (old browsers), or ours."""
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    host = urlsplit(origin).netloc.lower()
    return bool(host) and host in {request.host.lower(), urlsplit(public_url).netloc.lower()}


def csrf_ok(given: str, expected: str) -> bool:
    return bool(given) and bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


def local_time(at: datetime | None, time_zone: str) -> str:
    return format_time(at, time_zone) if at is not None else ""


_ENV = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_ENV.globals.update(static=STATIC_PATH, vendor=VENDOR_PATH, csrf_field=CSRF_FIELD, local=local_time)


def render(name: str, status: int = 200, framed_by_teams: bool = False, **context: Any) -> web.Response:
    """A template as a whole HTML page, with the dashboard's headers."""
    context.setdefault("charts", CHARTJS.is_file())
    text = _ENV.get_template(name).render(**context)
    return web.Response(
        text=text, status=status, content_type="text/html", charset="utf-8", headers=headers(framed_by_teams)
    )


def refusal(why: Refusal, viewer: Any = None) -> web.Response:
    """The clear refusal page for a link or a session that lets nobody in."""
    status, heading, text = REFUSALS[why]
    return render("refusal.html", status=status, heading=heading, text=text, viewer=viewer, page="")


def forbidden_form() -> web.Response:
    """A state-changing request without the page's CSRF token (or from another site)."""
    return render(
        "refusal.html",
        status=403,
        heading="That form has expired",
        text="For your safety the dashboard only accepts forms from its own pages. Go back, reload the "
        "page and try again.",
        viewer=None,
        page="",
    )
