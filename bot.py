"""Composition root: Settings -> create_app(settings) -> aiohttp Application; main().

Each long-lived resource (database, HTTP client, outbox dispatcher and scheduler, bot)
is opened and closed in its own `cleanup_ctx` and reached through typed AppKeys.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import random
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import aiohttp
from aiohttp import web
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from botbuilder.core import ConversationState
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

import logs
from channels.members import ChannelMembers
from channels.slack.channel import SlackParts, slack_endpoint, slack_inbound, slack_parts, slack_turns
from channels.slack.endpoint import EVENTS_PATH, INTERACTIVITY_PATH, SlackEndpoint
from channels.slack.home import SlackHome
from channels.slack.outbox import ChannelSender, channel_render
from channels.slack.pace import SlackPace
from channels.slack.socket import SlackSocket
from channels.slack.turns import SlackTurns
from config import ConfigError, Settings
from dialogs.common import Services
from dialogs.companion import CompanionBot
from domain.core.clock import Clock, FixedClock, ShiftedClock, SystemClock
from domain.core.content import ContentError, load_profile_questions
from domain.core.identity import pin_configured
from domain.core.links import CalendarLinks, MyDataLinks, ShortLinks
from domain.core.signing import LinkSigner, random_key
from domain.dashboard.links import DashboardLinks
from domain.guide.content import load_guide
from domain.guide.model import Guide
from domain.meetings.ics import organizer_address
from domain.notice.content import load_notice
from domain.notice.model import PAGE_PATHS, PageKind
from domain.notice.service import notice_page
from domain.polls.content import load_poll_templates
from domain.polls.results import PollExportLinks
from domain.polls.service import export_csv
from domain.privacy import service as privacy
from launch_checks import LaunchContent, LaunchReport, launch_report
from scheduling.budget import TenantShare
from scheduling.credentials import CachedCredentialFactory, TokenProvider
from scheduling.dispatcher import Dispatcher, worker_id_for
from scheduling.jobs import Liveness, build_scheduler, stop_scheduler, waking
from scheduling.members import MemberEmails
from scheduling.periodic import (
    broadcast_job,
    checkpoint_job,
    job_context,
    prune_job,
    run_all_once,
    standard_jobs,
)
from scheduling.ratelimit import RateLimiter, limiter_for
from scheduling.replies import ReplyPoster, SleepFn
from scheduling.reply_outbox import ReplyOutbox
from scheduling.sender import BotConnectorSender
from scheduling.tick_worker import TickWorker, WorkerSetup
from scheduling.turn_adapter import TurnAdapter
from scheduling.turn_clients import ReusedClientsAuthentication
from scheduling.turn_errors import on_turn_error
from scheduling.wakeable import WakeableJob
from storage.dispatch_workers import WorkerRegistry
from storage.engine import StorageError, acquire_instance_lock, create_engine, is_sqlite, ping, unusable
from storage.inbound_log import InboundLog
from storage.migration import MigrationResult, migrate
from storage.outbox_store import OutboxStore
from storage.probes import Probes
from storage.sql_storage import SqlStorage
from storage.store import SqlStore
from web.access_log import RedactingAccessLogger
from web.calendar import CALENDAR_PATH, calendar_handler, stored_meetings
from web.dashboard.app import Dashboard, DashboardBackend
from web.health import healthz, readyz
from web.messages import MessagesEndpoint
from web.my_data import MY_DATA_PATH, my_data_handler
from web.notice import notice_handler
from web.openid_keys import install as install_openid_keys
from web.poll_export import EXPORT_PATH, poll_export_handler
from web.tryit import pages
from web.tryit.app import QuietPolls, TryIt, TryItBackend
from web.tryit.seats import FACILITATOR_USER_ID

log = logging.getLogger("plp")
CleanupContext = Callable[[web.Application], AsyncIterator[None]]
START_PROBE = "start-up"

SETTINGS = web.AppKey("settings", Settings)
CLOCK = web.AppKey("clock", Clock)
ENGINE = web.AppKey("engine", AsyncEngine)
STORE = web.AppKey("store", SqlStore)
INBOUND = web.AppKey("inbound", InboundLog)
HTTP = web.AppKey("http", aiohttp.ClientSession)
CONNECTOR = web.AppKey("connector", BotConnectorSender)
DISPATCHER = web.AppKey("dispatcher", Dispatcher)
LIMITER = web.AppKey("limiter", RateLimiter)  # the tenant send budget: outbox sends and in-turn replies
SCHEDULER = web.AppKey("scheduler", AsyncIOScheduler)
ENDPOINT = web.AppKey("endpoint", MessagesEndpoint)
GUIDE = web.AppKey("guide", Guide)
SIGNER = web.AppKey("signer", LinkSigner)  # every signed link: calendar files, exports, `my data`
JOBS = web.AppKey("jobs", list)
LIVENESS = web.AppKey("liveness", Liveness)
BROADCAST_ROWS = web.AppKey("broadcast_rows", WakeableJob)
COMPANION = web.AppKey("companion", CompanionBot)
SLACK = web.AppKey("slack", SlackParts)
SLACK_TURNS = web.AppKey("slack_turns", SlackTurns)
SLACK_ENDPOINT = web.AppKey("slack_endpoint", SlackEndpoint)
SLACK_SOCKET = web.AppKey("slack_socket", SlackSocket)


def create_app(
    settings: Settings,
    clock: Clock | None = None,
    *,
    start_scheduler: bool = True,
    limiter: RateLimiter | None = None,
    sleep: SleepFn = asyncio.sleep,
    slack_pace: SlackPace | None = None,
) -> web.Application:
    """The whole bot as an aiohttp application; nothing is opened until it starts.

    `limiter` replaces the real-time send rate limiter (tests on a FixedClock pass one that
    reads that clock, so a Retry-After pause ends when the test moves time); the in-turn reply
    budget runs on the limiter's time, and `sleep` is how a reply waits before a retry.
    `slack_pace` replaces Slack's one-message-a-second-per-channel pace (tests).
    """
    app = web.Application(client_max_size=settings.max_request_bytes + 1024)
    # Try-it (local development, serving only: `run-jobs --now` runs at the time it is given) jumps
    # its clock a week at a time, and its Facilitator seat facilitates.
    shifted = ShiftedClock(clock or SystemClock()) if settings.try_it and start_scheduler else None
    if shifted is not None:
        settings = replace(settings, facilitators=settings.facilitators | {FACILITATOR_USER_ID})
    app[SETTINGS] = settings
    app[CLOCK] = shifted or clock or SystemClock()
    app[GUIDE] = load_guide()  # validated now: bad content stops the bot with file, line and field
    app[SIGNER] = link_signer(settings)
    contexts: list[CleanupContext] = [_database, _http_client]
    if shifted is not None:
        try_it = _try_it(app, shifted)
        try_it.install(app)
        contexts.insert(1, try_it.context)  # the calendar's offset is back before the scheduler starts
    if settings.slack_enabled:
        contexts.append(_slack_client(slack_pace))
    contexts.extend([_outbox(start_scheduler, limiter), _bot(sleep)])
    if settings.slack_enabled:
        contexts.append(_slack_turns)
    app.cleanup_ctx.extend(contexts)
    if settings.teams_enabled:
        app.router.add_post("/api/messages", _messages)
    if settings.slack_enabled and settings.slack_signing_secret:
        app.router.add_post(EVENTS_PATH, _slack_events)
        app.router.add_post(INTERACTIVITY_PATH, _slack_interactivity)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", _readyz)
    app.router.add_get(CALENDAR_PATH, _calendar)
    app.router.add_get(EXPORT_PATH, _poll_export)
    app.router.add_get(MY_DATA_PATH, _my_data)
    Dashboard(_dashboard_backend(app)).install(app)
    notice = load_notice()
    for kind in PageKind:  # the privacy notice and terms of use, linked from consent and the Teams app
        app.router.add_get(PAGE_PATHS[kind], notice_handler(notice_page(notice, kind, settings.retention_months)))
    return app


async def _messages(request: web.Request) -> web.StreamResponse:
    """POST /api/messages: everything happens in the guarded endpoint."""
    return await request.app[ENDPOINT].handle(request)


async def _slack_events(request: web.Request) -> web.StreamResponse:
    """POST /slack/events: verified, acknowledged, the turn run after."""
    return await request.app[SLACK_ENDPOINT].events(request)


async def _slack_interactivity(request: web.Request) -> web.StreamResponse:
    """POST /slack/interactivity: button presses, selects and modal submissions."""
    return await request.app[SLACK_ENDPOINT].interactivity(request)


async def _readyz(request: web.Request) -> web.StreamResponse:
    """GET /readyz: the database takes a write; the outbox backlog and the scheduler's last tick."""
    app = request.app
    engine = app[ENGINE]
    probe = f"readyz:{worker_id_for(app[SETTINGS])}"
    return await readyz(Probes(engine), app[LIVENESS], probe, app[CLOCK].now, lambda: ping(engine))(request)


async def _calendar(request: web.Request) -> web.StreamResponse:
    """GET /calendar/{token}.ics: one participant's signed calendar file."""
    app = request.app
    organizer = organizer_address(app[SETTINGS].public_url)
    return await calendar_handler(stored_meetings(app[STORE]), app[SIGNER], app[CLOCK], organizer)(request)


async def _my_data(request: web.Request) -> web.StreamResponse:
    """GET /my-data/{token}: everything held about one person (HTML, or JSON with .json)."""
    app = request.app
    return await my_data_handler(
        lambda participant_id: privacy.my_data(app[STORE], participant_id, app[CLOCK].now()), app[SIGNER], app[CLOCK]
    )(request)


async def _poll_export(request: web.Request) -> web.StreamResponse:
    """GET /exports/{token}.csv: one facilitator's signed poll export."""
    app = request.app
    return await poll_export_handler(
        lambda poll_id, facilitator: export_csv(app[STORE], poll_id, facilitator, app[SETTINGS].facilitator_directory),
        app[SIGNER],
        app[CLOCK],
    )(request)


def _dashboard_backend(app: web.Application) -> DashboardBackend:
    """The facilitator dashboard (web/dashboard/) on the same store, signer, clock and broadcast background."""
    settings = app[SETTINGS]
    return DashboardBackend(
        store=lambda: app[STORE],
        signer=app[SIGNER],
        clock=app[CLOCK],
        guide=app[GUIDE],
        facilitators=settings.facilitator_directory,
        public_url=settings.public_url,
        secure=settings.secure_cookies,
        idle=timedelta(minutes=settings.dashboard_idle_minutes),
        wake=lambda: _wake(app[DISPATCHER], app[BROADCAST_ROWS])(),
    )


def link_signer(settings: Settings) -> LinkSigner:
    """PLP_SIGNING_KEY's signer; without a usable one (development) a random key, and a warning."""
    signer = settings.link_signer()
    if signer is None:  # the launch checks name the problem; production never gets here
        log.warning("no usable PLP_SIGNING_KEY: signed links (calendar, exports, my data) stop working after a restart")
        signer = LinkSigner.of(random_key())
    return signer


def short_links(app: web.Application) -> ShortLinks:
    """Signed links that last 24 hours (exports, `my data`), under the public URL."""
    return ShortLinks(app[SETTINGS].public_url, app[SIGNER], app[CLOCK])


def server_options() -> dict[str, Any]:
    """How the server runs beyond host and port: an access log that never holds a signed link's token."""
    return {"access_log_class": RedactingAccessLogger}


async def _database(app: web.Application) -> AsyncIterator[None]:
    """The migrated database for the app's lifetime."""
    async with migrated_database(app[SETTINGS], app[CLOCK].now()) as (engine, result):
        if result.changed:
            log.info("%s", describe_migration(result))
        app[ENGINE], app[STORE], app[INBOUND] = engine, SqlStore(engine), InboundLog(engine)
        if is_sqlite(app[SETTINGS].database_url):
            # One process owns an SQLite file (the instance lock), so unfinished claims are a crashed turn's.
            await app[INBOUND].forget_unfinished()
        pinned = await pin_configured(app[STORE], app[SETTINGS].facilitator_directory, app[CLOCK].now())
        if pinned:
            log.info("%d people named in FACILITATORS recognised and pinned", pinned)
        yield


@asynccontextmanager
async def migrated_database(settings: Settings, now: datetime) -> AsyncIterator[tuple[AsyncEngine, MigrationResult]]:
    """Lock (SQLite), connect, migrate (one replica at a time on PostgreSQL), prove a write; dispose afterwards.

    A database that cannot be migrated or written (read-only file, full disk, unreachable)
    is a StorageError naming the problem, so `main` says "cannot start" and exits 2.
    """
    lock = acquire_instance_lock(settings.database_url)
    try:
        engine = create_engine(settings.database_url, background_checkpoints=True)
    except OSError as exc:
        lock.release()
        raise unusable(settings.database_url, exc) from exc
    try:
        try:
            result = await migrate(engine)
            await Probes(engine).write(START_PROBE, now)  # SELECT-only start-ups hide a read-only file
        except (SQLAlchemyError, OSError) as exc:
            raise unusable(settings.database_url, exc) from exc
        yield engine, result
    finally:
        await engine.dispose()
        lock.release()


def describe_migration(result: MigrationResult) -> str:
    """One line for operators: what migrating did (no URL, so no secrets)."""
    if not result.changed:
        return f"database schema already at revision {result.after}"
    return f"database schema migrated from revision {result.before or '(empty)'} to {result.after}"


async def _http_client(app: web.Application) -> AsyncIterator[None]:
    """One pooled HTTP client for every outbound call to the Bot Connector."""
    async with aiohttp.ClientSession() as session:
        app[HTTP] = session
        yield


def _slack_client(pace: SlackPace | None) -> CleanupContext:
    async def context(app: web.Application) -> AsyncIterator[None]:
        """Slack's Web API client, pace, sender and people directory (the outbox and the turns share them)."""
        app[SLACK] = slack_parts(app[SETTINGS], app[HTTP], pace)
        yield

    return context


async def _slack_turns(app: web.Application) -> AsyncIterator[None]:
    """Slack turns run by the same companion after the ack; drained on shutdown."""
    settings, bot = app[SETTINGS], app[COMPANION]
    outbox = ReplyOutbox(app[STORE], app[CLOCK], app[DISPATCHER].wake)
    home = SlackHome(app[SLACK].api, app[SLACK].users, bot.services, settings.slack_api_url)
    turns = slack_turns(
        app[SLACK], outbox, bot.on_turn, on_turn_error(bot.state), app[INBOUND], app[CLOCK], settings, home
    )
    inbound = slack_inbound(turns, settings)
    app[SLACK_TURNS] = turns
    turns.identify()  # the bot's own user id, so "@PLP Companion help" reads as "help"
    if settings.slack_signing_secret:
        app[SLACK_ENDPOINT] = slack_endpoint(inbound, settings, app[CLOCK])
    socket = None
    if settings.slack_socket_mode:
        socket = app[SLACK_SOCKET] = SlackSocket(settings.slack_app_token, settings.slack_api_url, inbound)
        socket.start()  # in the background: a Slack outage never holds up the start
    try:
        yield
    finally:
        if socket is not None:
            await socket.close()
        await turns.close()


def _outbox(start_scheduler: bool, limiter: RateLimiter | None) -> CleanupContext:
    async def context(app: web.Application) -> AsyncIterator[None]:
        """The send budget, the outbox dispatcher's drain loop, and the interval scheduler."""
        settings = app[SETTINGS]
        app[LIMITER] = limiter or limiter_for(settings)  # one budget for the outbox and in-turn replies
        dispatcher = _dispatcher(app, start_scheduler)
        links = CalendarLinks(settings.public_url, app[SIGNER])
        ctx = job_context(settings, app[STORE], app[CLOCK], app[GUIDE], links)
        rows = broadcast_job(ctx, dispatcher.wake, settings.broadcast_interval_seconds)
        # Serving: ticks run in a worker process, off this event loop (scheduling/tick_worker.py).
        worker = TickWorker(WorkerSetup(settings, links)) if start_scheduler and settings.jobs_process else None
        jobs = [
            rows.spec,  # first: `run-jobs` inserts broadcast rows before the others queue theirs
            *standard_jobs(ctx, settings.jobs_interval_seconds, worker.run if worker else None),
            prune_job(app[INBOUND], app[CLOCK]),
            checkpoint_job(app[ENGINE]),
        ]
        liveness = Liveness(app[CLOCK], settings.dispatch_interval_seconds)
        scheduler = build_scheduler(dispatcher, settings, waking(jobs, dispatcher.wake), liveness)
        app[DISPATCHER], app[SCHEDULER], app[JOBS], app[BROADCAST_ROWS] = dispatcher, scheduler, jobs, rows
        app[LIVENESS] = liveness
        if start_scheduler:
            scheduler.start()
            liveness.started()
            await dispatcher.start()
            rows.wake()  # a broadcast a crash left half-inserted resumes now, not at the first tick
        try:
            yield
        finally:
            await stop_scheduler(scheduler)
            await rows.close()
            await dispatcher.close()
            if worker is not None:
                await worker.close()

    return context


def _dispatcher(app: web.Application, serving: bool) -> Dispatcher:
    """The dispatcher under this worker's stable id; replicas on PostgreSQL share the budget by heartbeat."""
    settings, limiter = app[SETTINGS], app[LIMITER]
    worker_id = worker_id_for(settings)
    if not serving:  # `run-jobs` next to a live server must never take that server's rows as its own
        worker_id = f"{worker_id[:40]}:run-jobs:{os.getpid()}"
    share = None
    if serving and not is_sqlite(settings.database_url):
        share = TenantShare(WorkerRegistry(app[ENGINE]), limiter, worker_id, app[CLOCK])
    tokens = TokenProvider(settings.app_id, settings.app_password, settings.app_tenant_id)
    sender = BotConnectorSender(app[HTTP], tokens)
    app[CONNECTOR] = sender  # in-turn replies and member lookups share its client and cached token
    both = ChannelSender(sender, app[SLACK].delivery if SLACK in app else None)
    return Dispatcher(
        OutboxStore(app[ENGINE]), both, channel_render, app[CLOCK], settings, worker_id, limiter=limiter, share=share
    )


async def run_jobs_once(app: web.Application) -> dict[str, int]:
    """Run every periodic job once, then dispatch what is due (for cron, operators and tests)."""
    stats = await run_all_once(app[JOBS], app[DISPATCHER])
    return {"claimed": stats.claimed, "sent": stats.sent}


def _bot(sleep: SleepFn) -> CleanupContext:
    async def context(app: web.Application) -> AsyncIterator[None]:
        """The Bot Framework adapter (replies on our own path), conversation state and the companion."""
        settings, bot = app[SETTINGS], _companion(app)
        poster = ReplyPoster(app[CONNECTOR], app[LIMITER], app[CLOCK], sleep=sleep, time=app[LIMITER].now)
        fallback = ReplyOutbox(app[STORE], app[CLOCK], app[DISPATCHER].wake)
        adapter = TurnAdapter(_authentication(settings), poster, fallback, settings.reply_budget_seconds)
        adapter.on_turn_error = on_turn_error(bot.state)
        app[ENDPOINT] = MessagesEndpoint(
            adapter,
            bot,
            settings.auth_enabled,
            settings.max_request_bytes,
            app[INBOUND],
            app[CLOCK].now,
            settings.tenant_allowed,
        )
        app[COMPANION] = bot
        try:
            yield
        finally:
            await bot.close()

    return context


def _companion(app: web.Application) -> CompanionBot:
    """The companion with its services; Teams member lookups on our own HTTP client."""
    settings = app[SETTINGS]
    services = Services(
        store=app[STORE],
        clock=app[CLOCK],
        settings=settings,
        profile_questions=load_profile_questions().questions,
        guide=app[GUIDE],
        wake_dispatcher=_wake(app[DISPATCHER], app[BROADCAST_ROWS]),
        rng=random.SystemRandom(),
        links=CalendarLinks(settings.public_url, app[SIGNER]),
        meeting_reminders=settings.reminder_offsets,
        poll_exports=PollExportLinks(short_links(app)),
        data_links=MyDataLinks(short_links(app)),
        dashboard_links=DashboardLinks(
            settings.public_url, app[SIGNER], app[CLOCK], timedelta(minutes=settings.dashboard_link_minutes)
        ),
    )
    state = ConversationState(SqlStorage(app[ENGINE], app[CLOCK]))  # the clock dates abandoned conversations
    teams = MemberEmails(app[CONNECTOR], app[LIMITER])
    members = ChannelMembers(teams, app[SLACK].users) if SLACK in app else teams
    return CompanionBot(services, state, members)


def _try_it(app: web.Application, clock: ShiftedClock) -> TryIt:
    """Local development: the browser chat at `/`, on the same bot, store and jobs (see web/tryit/)."""
    settings = app[SETTINGS]
    backend = TryItBackend(
        store=lambda: app[STORE],
        deliver=lambda activity: app[ENDPOINT].deliver(activity),
        run_jobs=lambda: run_jobs_once(app),
        state=lambda: SqlStorage(app[ENGINE], app[CLOCK]),  # dated like conversation state (shifted clock)
        profile_questions=tuple(load_profile_questions().questions),
    )
    key = settings.signing_key.encode("utf-8") or random_key()  # seat tokens live only in this process
    return TryIt(backend, clock, key, settings.default_time_zone)


def _authentication(settings: Settings) -> ReusedClientsAuthentication:
    """Inbound token checks, with botbuilder's credentials (scheduling/credentials.py) and per-turn
    clients (scheduling/turn_clients.py) built once, and its signing keys fetched off the event loop
    (web/openid_keys.py)."""
    install_openid_keys()
    return ReusedClientsAuthentication(
        _sdk_configuration(settings),
        credentials_factory=CachedCredentialFactory(
            settings.app_id or None, settings.app_password or None, settings.app_tenant_id or None
        ),
    )


def _wake(dispatcher: Dispatcher, broadcast_rows: WakeableJob) -> Callable[[], None]:
    """After a turn queued work: the dispatcher sends what is due, the broadcast job inserts new rows."""

    def wake() -> None:
        dispatcher.wake()
        broadcast_rows.wake()

    return wake


def _sdk_configuration(settings: Settings) -> SimpleNamespace:
    """The attribute names botbuilder's configuration classes read."""
    return SimpleNamespace(
        APP_ID=settings.app_id,
        APP_PASSWORD=settings.app_password,
        APP_TYPE=settings.app_type,
        APP_TENANTID=settings.app_tenant_id,
    )


def main(argv: list[str] | None = None) -> int:
    """`python bot.py` starts the server; `run-jobs --now …` runs the jobs once; `migrate` only migrates."""
    args = _arguments(argv)
    try:
        settings = Settings.from_env()
        load_profile_questions()
        content = LaunchContent(load_guide().support, load_poll_templates(), load_notice())
    except (ConfigError, ContentError) as problem:
        print(f"PLP Companion cannot start: {problem}", file=sys.stderr)
        return 2
    report = launch_report(settings, content)
    if report.refuse:
        print(refusal(settings, report), file=sys.stderr)
        return 2
    logs.configure(settings.log_level)
    for unready in report.problems:  # development: the same list as production would refuse on
        log.warning("not ready for production: %s", unready)
    try:
        if args.command == "run-jobs":
            return asyncio.run(_run_jobs_command(settings, args.now))
        if args.command == "migrate":
            return asyncio.run(_migrate_command(settings))
        _serve(settings)
    except StorageError as problem:
        print(f"PLP Companion cannot start: {problem}", file=sys.stderr)
        return 2
    return 0


def refusal(settings: Settings, report: LaunchReport) -> str:
    """What an operator reads when the launch checks refuse: every problem, one per line."""
    mode = "in production" if settings.is_production else f"with PLP_ENV={settings.environment!r}"
    count = len(report.problems)
    lines = [f"PLP Companion cannot start {mode}: {count} problem{'s' if count != 1 else ''} to fix first:"]
    return "\n".join([*lines, *(f"- {problem}" for problem in report.problems)])


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bot.py", description="PLP Companion")
    commands = parser.add_subparsers(dest="command")
    jobs = commands.add_parser("run-jobs", help="run the scheduled jobs once and send what is due, then exit")
    jobs.add_argument(
        "--now",
        type=_timestamp,
        default=None,
        help="the time to run for, ISO 8601 (e.g. 2027-03-01T09:00; no offset means UTC)",
    )
    commands.add_parser("migrate", help="apply the database migrations, then exit (replicas may run it together)")
    return parser.parse_args(argv)


def _timestamp(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _serve(settings: Settings) -> None:
    if not settings.auth_enabled:
        log.warning(
            "LOCAL DEVELOPMENT MODE: no MICROSOFT_APP_ID, so inbound requests are NOT authenticated. "
            "Never expose this to the internet; set PLP_ENV=production to forbid this mode."
        )
    if settings.try_it:
        logging.getLogger("aiohttp.access").addFilter(QuietPolls())
    web.run_app(
        create_app(settings), host=settings.host, port=settings.port, print=_announce(settings), **server_options()
    )


def _announce(settings: Settings) -> Callable[..., None]:
    """run_app calls this once its sockets are bound: only then is the bot really listening."""

    def announce(*_: object) -> None:
        if settings.teams_enabled:
            log.info("PLP Companion listening on http://%s:%s/api/messages", settings.host, settings.port)
        if settings.slack_enabled and settings.slack_signing_secret:
            log.info("PLP Companion listening on http://%s:%s%s for Slack", settings.host, settings.port, EVENTS_PATH)
        if settings.try_it:
            print(pages.banner(settings.host, settings.port), flush=True)

    return announce


async def _run_jobs_command(settings: Settings, now: datetime | None) -> int:
    """Open the app's resources without serving HTTP, run the jobs for `now`, close again."""
    app = create_app(settings, FixedClock(now) if now else SystemClock(), start_scheduler=False)
    runner = web.AppRunner(app)
    await runner.setup()
    try:
        result = await run_jobs_once(app)
    finally:
        await runner.cleanup()
    print(f"jobs run for {app[CLOCK].now().isoformat()}: {result['claimed']} messages due, {result['sent']} sent")
    return 0


async def _migrate_command(settings: Settings) -> int:
    """Bring the schema to the newest revision under the same locks as a normal start, then exit."""
    async with migrated_database(settings, SystemClock().now()) as (_, result):
        pass
    print(describe_migration(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
