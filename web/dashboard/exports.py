"""CSV exports of the dashboard's aggregates: exactly the suppressed counts the pages show, never a
row per person (the partnerships list itself is not exported). A poll's CSV is the same file the
chat's export link gives, and is recorded in the audit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from domain.dashboard import reads
from domain.dashboard.model import PairFilter, Viewer
from domain.dashboard.rules import cell_rows, csv_rows
from domain.dashboard.service import poll_csv
from web.dashboard import http

if TYPE_CHECKING:
    from web.dashboard.app import Dashboard


def csv_response(text: str, name: str) -> web.Response:
    found = {**http.headers(), "Content-Disposition": f'attachment; filename="plp-{name}.csv"'}
    return web.Response(text=text, content_type="text/csv", charset="utf-8", headers=found)


def routes(dashboard: Dashboard, app: web.Application) -> None:
    b = dashboard.backend

    async def export(request: web.Request, viewer: Viewer) -> web.StreamResponse:
        name = request.match_info["name"]
        rows: list[tuple[str, str, str]] = []
        if name == "cohorts":
            for cohort in await reads.overview(b.store()):
                for cell in (*cohort.people, cohort.enrolled, *cohort.pairs, cohort.unreachable):
                    rows.append((cohort.name, cell.label, cell.shown))
        elif name == "partnership-health":
            found = await reads.partnerships(b.store(), b.guide, PairFilter(), b.clock.now())
            rows = cell_rows("Partnerships by health", found.health)
        elif name == "meetings":
            series = await reads.meetings_by_month(b.store(), b.clock.now())
            rows = cell_rows(series.title, (*series.cells, *([series.total] if series.total else [])))
        elif name == "guide":
            series = await reads.guide_by_phase(b.store(), b.guide)
            rows = cell_rows(series.title, (*series.cells, *([series.total] if series.total else [])))
        else:
            return not_found(viewer)
        return csv_response(csv_rows(rows), name)

    async def poll_export(request: web.Request, viewer: Viewer) -> web.StreamResponse:
        text = await poll_csv(b.store(), int(request.match_info["id"]), viewer.participant_id, b.clock.now())
        return csv_response(text, f"poll-{request.match_info['id']}") if text is not None else not_found(viewer)

    app.router.add_get("/dashboard/exports/{name:[a-z-]{1,40}}.csv", dashboard.page(export))
    app.router.add_get(r"/dashboard/exports/poll-{id:\d{1,9}}.csv", dashboard.page(poll_export))


def not_found(viewer: Viewer) -> web.Response:
    return http.render(
        "refusal.html",
        status=404,
        viewer=viewer,
        page="",
        heading="There's no such export",
        text="Exports are offered beside each chart, and for polls that closed with at least 5 responses.",
    )
