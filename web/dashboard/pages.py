"""The dashboard's read-only pages: each asks one domain read and renders its template."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from aiohttp import web

from domain.audit.service import recent_audit
from domain.audit.wording import describe
from domain.broadcasts import reads as broadcast_reads
from domain.broadcasts.reads import plain_words
from domain.broadcasts.service import status_report
from domain.dashboard import reads
from domain.dashboard.model import PairFilter, Viewer
from domain.health.model import Health
from web.dashboard import http

if TYPE_CHECKING:
    from web.dashboard.app import Dashboard

AUDIT_SHOWN = 100
BROADCASTS_SHOWN = 20
MAX_NAME_FILTER = 100


def routes(dashboard: Dashboard, app: web.Application) -> None:
    b = dashboard.backend

    async def overview(request: web.Request, viewer: Viewer) -> web.StreamResponse:
        cohorts = await reads.overview(b.store())
        return http.render("overview.html", viewer=viewer, page="overview", cohorts=cohorts)

    async def partnerships(request: web.Request, viewer: Viewer) -> web.StreamResponse:
        chosen = pair_filter(request.query)
        if chosen is None:
            return bad_filter(viewer)
        found = await reads.partnerships(b.store(), b.guide, chosen, b.clock.now())
        return http.render("partnerships.html", viewer=viewer, page="partnerships", found=found, healths=list(Health))

    async def meetings(request: web.Request, viewer: Viewer) -> web.StreamResponse:
        series = await reads.meetings_by_month(b.store(), b.clock.now())
        return http.render("series.html", viewer=viewer, page="meetings", series=series, export="meetings")

    async def guide(request: web.Request, viewer: Viewer) -> web.StreamResponse:
        series = await reads.guide_by_phase(b.store(), b.guide)
        return http.render("series.html", viewer=viewer, page="guide", series=series, export="guide")

    async def polls(request: web.Request, viewer: Viewer) -> web.StreamResponse:
        closed = await reads.closed_polls(b.store())
        return http.render("polls.html", viewer=viewer, page="polls", polls=closed)

    async def broadcasts(request: web.Request, viewer: Viewer) -> web.StreamResponse:
        report = await status_report(b.store(), BROADCASTS_SHOWN)
        rows = [(bc, summary, plain_words(bc.draft.audience, report.cohorts)) for bc, summary in report.rows]
        return http.render("broadcasts.html", viewer=viewer, page="broadcasts", rows=rows)

    async def broadcast(request: web.Request, viewer: Viewer) -> web.StreamResponse:
        found = await broadcast_reads.delivery(b.store(), int(request.match_info["id"]))
        if found is None:
            return http.render(
                "refusal.html",
                status=404,
                viewer=viewer,
                page="broadcasts",
                heading="No such broadcast",
                text="That broadcast doesn't exist. The broadcasts page lists the recent ones.",
            )
        resent = request.query.get("resent", "")
        return http.render(
            "broadcast.html",
            viewer=viewer,
            page="broadcasts",
            found=found,
            audience=plain_words(found.broadcast.draft.audience, found.cohorts),
            created=request.query.get("created") == "1",
            resent=int(resent) if resent.isdigit() and len(resent) < 9 else None,
            problem="",
        )

    async def unreachable(request: web.Request, viewer: Viewer) -> web.StreamResponse:
        people = await reads.unreachable_people(b.store())
        return http.render("unreachable.html", viewer=viewer, page="unreachable", people=people)

    async def audit(request: web.Request, viewer: Viewer) -> web.StreamResponse:
        trail = await recent_audit(b.store(), AUDIT_SHOWN)
        lines = [describe(entry) for entry in trail.entries]
        return http.render("audit.html", viewer=viewer, page="audit", lines=lines, more=trail.more)

    app.router.add_get("/dashboard", dashboard.page(overview))
    app.router.add_get("/dashboard/partnerships", dashboard.page(partnerships))
    app.router.add_get("/dashboard/meetings", dashboard.page(meetings))
    app.router.add_get("/dashboard/guide", dashboard.page(guide))
    app.router.add_get("/dashboard/polls", dashboard.page(polls))
    app.router.add_get("/dashboard/broadcasts", dashboard.page(broadcasts))
    app.router.add_get(r"/dashboard/broadcasts/{id:\d{1,9}}", dashboard.page(broadcast))
    app.router.add_get("/dashboard/unreachable", dashboard.page(unreachable))
    app.router.add_get("/dashboard/audit", dashboard.page(audit))


def pair_filter(query: Mapping[str, str]) -> PairFilter | None:
    """The partnerships filter from the query string; None when a value is not one the page offers."""
    cohort, health, name = query.get("cohort", ""), query.get("health", ""), query.get("q", "")
    if cohort and not (cohort.isdigit() and len(cohort) < 10):
        return None
    if health and health not in {h.value for h in Health}:
        return None
    if len(name) > MAX_NAME_FILTER:
        return None
    return PairFilter(int(cohort) if cohort else None, Health(health) if health else None, name.strip())


def bad_filter(viewer: Viewer) -> web.Response:
    return http.render(
        "refusal.html",
        status=400,
        viewer=viewer,
        page="partnerships",
        heading="That filter isn't one this page knows",
        text="Please choose the cohort and health from the lists on the partnerships page.",
    )
