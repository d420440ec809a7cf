"""Compose a broadcast on the page, and resend one to the people whose delivery failed.

The same services as the chat flow (`broadcast`, `broadcast resend`): the page previews the
card exactly as the neutral reply people receive (domain/broadcasts/wording.message_reply), says
how many the audience covers (a small group audience as "fewer than 5 people"), and stores the
broadcast for now or a set time; the background inserts its rows and sends.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from domain.broadcasts import reads as broadcast_reads
from domain.broadcasts import service as broadcasts
from domain.broadcasts.reads import plain_words
from domain.broadcasts.rules import BroadcastError, audience_key
from domain.broadcasts.wording import message_reply
from domain.dashboard.model import Viewer
from web.dashboard import http
from web.dashboard.card import card
from web.dashboard.forms import Composed, read_form, shown_draft

if TYPE_CHECKING:
    from web.dashboard.app import Dashboard


def routes(dashboard: Dashboard, app: web.Application) -> None:
    b = dashboard.backend

    async def options(viewer: Viewer) -> tuple[broadcast_reads.AudienceOption, ...]:
        return await broadcast_reads.audience_options(b.store(), b.clock.now())

    async def page(viewer: Viewer, composed: Composed, status: int = 200, note: str = "") -> web.Response:
        choices = await options(viewer)
        chosen = next((o for o in choices if audience_key(o.audience) == composed.audience), None)
        shown = shown_draft(composed)
        preview = card(message_reply(shown)) if shown else None
        return http.render(
            "compose.html",
            status=status,
            viewer=viewer,
            page="compose",
            form=composed,
            choices=[(audience_key(o.audience), f"{o.words[:1].upper()}{o.words[1:]} ({o.size})") for o in choices],
            chosen=chosen,
            preview=preview,
            note=note,
        )

    async def compose_page(request: web.Request, viewer: Viewer) -> web.StreamResponse:
        return await page(viewer, Composed())

    async def compose(request: web.Request, viewer: Viewer) -> web.StreamResponse:
        form = {k: str(v) for k, v in (await request.post()).items()}
        choices = await options(viewer)
        now = b.clock.now()
        composed = read_form(form, [o.audience for o in choices], viewer.time_zone, now)
        if composed.draft is None:
            return await page(viewer, composed, status=400)
        chosen = next(o for o in choices if o.audience == composed.draft.audience)
        if form.get("action") != "send":
            return await page(viewer, composed)
        if chosen.count == 0:
            return await page(viewer, composed, 409, "Nobody is in that audience just now, so there's nothing to send.")
        created = await broadcasts.create(b.store(), composed.draft, viewer.participant_id, composed.at or now, now)
        if created.queued:
            b.wake()
        return http.redirect(f"/dashboard/broadcasts/{created.broadcast.id}?created=1")

    async def live_preview(request: web.Request, viewer: Viewer) -> web.StreamResponse:
        """The card and the audience size for what the form holds now (the page's script asks as you type)."""
        form = {k: str(v) for k, v in (await request.post()).items()}
        choices = await options(viewer)
        composed = read_form({**form, "when": "now"}, [o.audience for o in choices], viewer.time_zone, b.clock.now())
        chosen = next((o for o in choices if audience_key(o.audience) == composed.audience), None)
        return http.render(
            "_preview.html",
            preview=card(message_reply(shown)) if (shown := shown_draft(composed)) else None,
            chosen=chosen,
            problems=composed.problems,
        )

    async def resend(request: web.Request, viewer: Viewer) -> web.StreamResponse:
        broadcast_id = int(request.match_info["id"])
        try:
            resent = await broadcasts.resend_failed(b.store(), broadcast_id)
        except BroadcastError as problem:
            found = await broadcast_reads.delivery(b.store(), broadcast_id)
            if found is None:
                return http.render(
                    "refusal.html",
                    status=404,
                    viewer=viewer,
                    page="broadcasts",
                    heading="No such broadcast",
                    text="That broadcast doesn't exist. The broadcasts page lists the recent ones.",
                )
            words = plain_words(found.broadcast.draft.audience, found.cohorts)
            return http.render(
                "broadcast.html",
                status=409,
                viewer=viewer,
                page="broadcasts",
                found=found,
                audience=words,
                created=False,
                resent=None,
                problem=str(problem).replace("**", ""),
            )
        if resent.queued:
            b.wake()
        return http.redirect(f"/dashboard/broadcasts/{broadcast_id}?resent={resent.count}")

    app.router.add_get("/dashboard/compose", dashboard.page(compose_page))
    app.router.add_post("/dashboard/compose", dashboard.post(compose))
    app.router.add_post("/dashboard/compose/preview", dashboard.post(live_preview))
    app.router.add_post(r"/dashboard/broadcasts/{id:\d{1,9}}/resend", dashboard.post(resend))
