"""The dashboard's routes under /dashboard, and the checks every request passes.

Sign-in: `GET /dashboard/sign-in/{token}` shows a page with one button (so a link preview in
Teams or Slack, which only GETs, never uses the link up); pressing it POSTs, which uses the
link once and starts the session. Every page then re-checks the session and the facilitator
role; every POST also needs the page's CSRF token and, when the browser sends one, our Origin.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

from aiohttp import web

from domain.core.clock import Clock
from domain.core.facilitators import FacilitatorDirectory
from domain.core.ports import Store
from domain.core.signing import LinkSigner
from domain.dashboard import service as access
from domain.dashboard.model import Refusal, Viewer
from domain.guide.model import Guide
from web.dashboard import compose, exports, http, pages

PageHandler = Callable[[web.Request, Viewer], Awaitable[web.StreamResponse]]
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class DashboardBackend:
    """What the pages need from the running bot (the store exists only once the app has started)."""

    store: Callable[[], Store]
    signer: LinkSigner
    clock: Clock
    guide: Guide
    facilitators: FacilitatorDirectory
    public_url: str
    secure: bool  # cookies over https only
    idle: timedelta
    wake: Callable[[], None]  # after a broadcast is stored for now: insert its rows and send


class Dashboard:
    """The routes, sharing one backend."""

    def __init__(self, backend: DashboardBackend) -> None:
        self.backend = backend

    def install(self, app: web.Application) -> None:
        app.router.add_get("/dashboard/sign-in/{token}", self.sign_in_page)
        app.router.add_post("/dashboard/sign-in/{token}", self.sign_in)
        app.router.add_post("/dashboard/sign-out", self.post(self.sign_out))
        app.router.add_get("/dashboard/tab", self.tab)
        app.router.add_static(http.STATIC_PATH, http.STATIC_ROOT)
        if http.VENDOR_ROOT.is_dir():
            app.router.add_static(http.VENDOR_PATH, http.VENDOR_ROOT)
        for add in (pages.routes, compose.routes, exports.routes):
            add(self, app)

    def page(self, handler: PageHandler) -> Handler:
        """A GET page for a signed-in facilitator; anyone else gets the refusal page."""

        async def checked(request: web.Request) -> web.StreamResponse:
            found = await self._viewer(request)
            return found if isinstance(found, web.StreamResponse) else await handler(request, found)

        return checked

    def post(self, handler: PageHandler) -> Handler:
        """A state-changing request: signed in, from our own origin, with the page's CSRF token."""

        async def checked(request: web.Request) -> web.StreamResponse:
            if not http.same_origin(request, self.backend.public_url):
                return http.forbidden_form()
            found = await self._viewer(request)
            if isinstance(found, web.StreamResponse):
                return found
            given = request.headers.get(http.CSRF_HEADER, "")
            if not given and request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
                given = str((await request.post()).get(http.CSRF_FIELD, ""))
            if not http.csrf_ok(given, found.csrf_token):
                return http.forbidden_form()
            return await handler(request, found)

        return checked

    async def _viewer(self, request: web.Request) -> Viewer | web.StreamResponse:
        b = self.backend
        cookie = http.session_cookie(request, b.secure)
        found = await access.viewer_for(b.store(), cookie, b.facilitators, b.clock.now(), b.idle)
        if isinstance(found, Refusal):
            response = http.refusal(found)
            if cookie:
                http.clear_session_cookie(response, b.secure)
            return response
        return found

    async def sign_in_page(self, request: web.Request) -> web.StreamResponse:
        """The page a sign-in link opens: a button to continue (nothing is used up by looking)."""
        b = self.backend
        why = await access.check_link(b.store(), b.signer, request.match_info["token"], b.clock.now())
        if why is not None:
            return http.refusal(why)
        return http.render("sign_in.html", viewer=None, page="")

    async def sign_in(self, request: web.Request) -> web.StreamResponse:
        """Use the link once, start the session (cookie) and go to the overview."""
        b = self.backend
        if not http.same_origin(request, b.public_url):
            return http.forbidden_form()
        found = await access.sign_in(b.store(), b.signer, request.match_info["token"], b.facilitators, b.clock.now())
        if isinstance(found, Refusal):
            return http.refusal(found)
        response = http.redirect("/dashboard")
        http.set_session_cookie(response, found.cookie, b.secure)
        return response

    async def sign_out(self, request: web.Request, viewer: Viewer) -> web.StreamResponse:
        """End the session here and in the database."""
        b = self.backend
        await access.sign_out(b.store(), http.session_cookie(request, b.secure), b.clock.now())
        response = http.render("signed_out.html", viewer=None, page="")
        http.clear_session_cookie(response, b.secure)
        return response

    async def tab(self, request: web.Request) -> web.StreamResponse:
        """The Teams personal tab: how to open the dashboard (its session cookie is never sent inside Teams)."""
        return http.render("tab.html", framed_by_teams=True, viewer=None, page="")
