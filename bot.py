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
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from types import SimpleNamespace

import aiohttp
from aiohttp import web
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from botbuilder.core import ConversationState, TurnContext
from botbuilder.integration.aiohttp import ConfigurationBotFrameworkAuthentication
from sqlalchemy.ext.asyncio import AsyncEngine

from channels.render import render
from config import ConfigError, Settings
from dialogs.common import Services, say
from dialogs.companion import CompanionBot
from domain.core.clock import Clock, FixedClock, SystemClock
from domain.core.content import ContentError, load_profile_questions
from domain.core.identity import FacilitatorDirectory
from domain.core.links import CalendarLinks, LinkSigner, signing_key
from domain.core.reply import Reply
from domain.guide.content import load_guide
from domain.guide.model import Guide
from domain.meetings.ics import organizer_address
from domain.notice.content import load_notice
from domain.notice.model import PAGE_PATHS, PageKind
from domain.notice.service import notice_page
from domain.polls.content import load_poll_templates
from domain.polls.results import PollExportLinks, export_signer
from domain.polls.service import export_csv
from launch_checks import LaunchContent, LaunchReport, launch_report
from scheduling.budget import TenantShare
from scheduling.credentials import CachedCredentialFactory, TokenProvider
from scheduling.dispatcher import Dispatcher, worker_id_for
from scheduling.jobs import build_scheduler, stop_scheduler, waking
from scheduling.members import MemberEmails
from scheduling.periodic import broadcast_job, job_context, prune_job, run_all_once, standard_jobs
from scheduling.ratelimit import RateLimiter, limiter_for
from scheduling.replies import ReplyPoster, SleepFn
from scheduling.reply_outbox import ReplyOutbox
from scheduling.sender import BotConnectorSender
from scheduling.turn_adapter import TurnAdapter
from scheduling.wakeable import WakeableJob
from storage.dispatch_workers import WorkerRegistry
from storage.engine import StorageError, acquire_instance_lock, create_engine, is_sqlite, ping
from storage.inbound_log import InboundLog
from storage.migration import MigrationResult, migrate
from storage.outbox_store import OutboxStore
from storage.sql_storage import SqlStorage
from storage.store import SqlStore
from web.calendar import CALENDAR_PATH, calendar_handler, stored_meetings
from web.health import healthz, readyz
from web.logsafe import error_summary
from web.messages import MessagesEndpoint
from web.notice import notice_handler
from web.poll_export import EXPORT_PATH, poll_export_handler

log = logging.getLogger("plp")
CleanupContext = Callable[[web.Application], AsyncIterator[None]]

SETTINGS = web.AppKey("settings", Settings)
CLOCK = web.AppKey("clock", Clock)
ENGINE = web.AppKey("engine", AsyncEngine)
STORE = web.AppKey("store", SqlStore)
HTTP = web.AppKey("http", aiohttp.ClientSession)
CONNECTOR = web.AppKey("connector", BotConnectorSender)
DISPATCHER = web.AppKey("dispatcher", Dispatcher)
LIMITER = web.AppKey("limiter", RateLimiter)  # the tenant send budget: outbox sends and in-turn replies
SCHEDULER = web.AppKey("scheduler", AsyncIOScheduler)
ENDPOINT = web.AppKey("endpoint", MessagesEndpoint)
GUIDE = web.AppKey("guide", Guide)
SIGNER = web.AppKey("signer", LinkSigner)
EXPORT_SIGNER = web.AppKey("export_signer", LinkSigner)
JOBS = web.AppKey("jobs", list)
BROADCAST_ROWS = web.AppKey("broadcast_rows", WakeableJob)


def create_app(
    settings: Settings,
    clock: Clock | None = None,
    *,
    start_scheduler: bool = True,
    limiter: RateLimiter | None = None,
    sleep: SleepFn = asyncio.sleep,
) -> web.Application:
    """The whole bot as an aiohttp application; nothing is opened until it starts.

    `limiter` replaces the real-time send rate limiter (tests on a FixedClock pass one that
    reads that clock, so a Retry-After pause ends when the test moves time); the in-turn reply
    budget runs on the limiter's time, and `sleep` is how a reply waits before a retry.
    """
    app = web.Application(client_max_size=settings.max_request_bytes + 1024)
    app[SETTINGS] = settings
    app[CLOCK] = clock or SystemClock()
    app[GUIDE] = load_guide()  # validated now: bad content stops the bot with file, line and field
    key, durable = signing_key(settings.signing_key, settings.app_password)
    if not durable:
        log.warning("no PLP_SIGNING_KEY or MICROSOFT_APP_PASSWORD: calendar links stop working after a restart")
    app[SIGNER] = LinkSigner(key)
    app[EXPORT_SIGNER] = export_signer(key)
    app.cleanup_ctx.extend([_database, _http_client, _outbox(start_scheduler, limiter), _bot(sleep)])
    app.router.add_post("/api/messages", _messages)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz(lambda: ping(app[ENGINE])))
    app.router.add_get(CALENDAR_PATH, _calendar)
    app.router.add_get(EXPORT_PATH, _poll_export)
    notice = load_notice()
    for kind in PageKind:  # the privacy notice and terms of use, linked from consent and the Teams app
        app.router.add_get(PAGE_PATHS[kind], notice_handler(notice_page(notice, kind, settings.retention_months)))
    return app


async def _messages(request: web.Request) -> web.StreamResponse:
    """POST /api/messages: everything happens in the guarded endpoint."""
    return await request.app[ENDPOINT].handle(request)


async def _calendar(request: web.Request) -> web.StreamResponse:
    """GET /calendar/{token}.ics: one participant's signed calendar file."""
    app = request.app
    organizer = organizer_address(app[SETTINGS].public_url)
    return await calendar_handler(stored_meetings(app[STORE]), app[SIGNER], app[CLOCK], organizer)(request)


async def _poll_export(request: web.Request) -> web.StreamResponse:
    """GET /exports/{token}.csv: one facilitator's signed poll export."""
    app = request.app
    return await poll_export_handler(
        lambda poll_id, facilitator: export_csv(
            app[STORE], poll_id, facilitator, FacilitatorDirectory(app[SETTINGS].facilitators)
        ),
        app[EXPORT_SIGNER],
    )(request)


async def _database(app: web.Application) -> AsyncIterator[None]:
    """The migrated database for the app's lifetime."""
    async with migrated_database(app[SETTINGS]) as (engine, result):
        if result.changed:
            log.info("%s", describe_migration(result))
        app[ENGINE], app[STORE] = engine, SqlStore(engine)
        yield


@asynccontextmanager
async def migrated_database(settings: Settings) -> AsyncIterator[tuple[AsyncEngine, MigrationResult]]:
    """Lock (SQLite), connect, migrate (one replica at a time on PostgreSQL); dispose afterwards."""
    lock = acquire_instance_lock(settings.database_url)
    engine = create_engine(settings.database_url)
    try:
        yield engine, await migrate(engine)
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


def _outbox(start_scheduler: bool, limiter: RateLimiter | None) -> CleanupContext:
    async def context(app: web.Application) -> AsyncIterator[None]:
        """The send budget, the outbox dispatcher's drain loop, and the interval scheduler."""
        settings = app[SETTINGS]
        app[LIMITER] = limiter or limiter_for(settings)  # one budget for the outbox and in-turn replies
        dispatcher = _dispatcher(app, start_scheduler)
        links = CalendarLinks(settings.public_url, app[SIGNER])
        ctx = job_context(settings, app[STORE], app[CLOCK], app[GUIDE], links)
        rows = broadcast_job(ctx, dispatcher.wake, settings.broadcast_interval_seconds)
        jobs = [
            rows.spec,  # first: `run-jobs` inserts broadcast rows before the others queue theirs
            *standard_jobs(ctx, settings.jobs_interval_seconds),
            prune_job(InboundLog(app[ENGINE]), app[CLOCK]),
        ]
        scheduler = build_scheduler(dispatcher, settings, waking(jobs, dispatcher.wake))
        app[DISPATCHER], app[SCHEDULER], app[JOBS], app[BROADCAST_ROWS] = dispatcher, scheduler, jobs, rows
        if start_scheduler:
            scheduler.start()
            await dispatcher.start()
            rows.wake()  # a broadcast a crash left half-inserted resumes now, not at the first tick
        try:
            yield
        finally:
            await stop_scheduler(scheduler)
            await rows.close()
            await dispatcher.close()

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
    return Dispatcher(
        OutboxStore(app[ENGINE]), sender, render, app[CLOCK], settings, worker_id, limiter=limiter, share=share
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
        adapter.on_turn_error = _on_turn_error(bot.state)
        app[ENDPOINT] = MessagesEndpoint(adapter, bot, settings.auth_enabled, settings.max_request_bytes)
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
        poll_exports=PollExportLinks(settings.public_url, app[EXPORT_SIGNER]),
    )
    state = ConversationState(SqlStorage(app[ENGINE]))
    return CompanionBot(services, state, InboundLog(app[ENGINE]), MemberEmails(app[CONNECTOR], app[LIMITER]))


def _authentication(settings: Settings) -> ConfigurationBotFrameworkAuthentication:
    """Inbound token checks, with botbuilder's credentials built once (see scheduling/credentials.py)."""
    return ConfigurationBotFrameworkAuthentication(
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


def _on_turn_error(state: ConversationState) -> Callable[[TurnContext, Exception], Awaitable[None]]:
    async def on_error(context: TurnContext, error: Exception) -> None:
        """Log safely, apologise, and clear the dialog so the person can start again."""
        log.error("turn failed: %s", error_summary(error))
        try:
            await state.delete(context)
            await say(
                context, Reply(text="Sorry, something went wrong on my side. Please try again, or type **help**.")
            )
        except Exception as send_error:
            log.error("could not tell the person about the failure: %s", error_summary(send_error))

    return on_error


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
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    quiet_third_party_logs()
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


def quiet_third_party_logs() -> None:
    """msrest, urllib3 and aiosqlite log HTTP bodies and SQL parameters (names, answers) at DEBUG: never."""
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # it logs every 2-second run at INFO
    for name in (
        "msrest",
        "urllib3",
        "botbuilder",
        "botframework",
        "aiohttp.client",
        "aiosqlite",
        "sqlalchemy",
        "asyncpg",
    ):
        logging.getLogger(name).setLevel(logging.WARNING)


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
    web.run_app(create_app(settings), host=settings.host, port=settings.port, print=_announce(settings))


def _announce(settings: Settings) -> Callable[..., None]:
    """run_app calls this once its sockets are bound: only then is the bot really listening."""

    def announce(*_: object) -> None:
        log.info("PLP Companion listening on http://%s:%s/api/messages", settings.host, settings.port)

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
    async with migrated_database(settings) as (_, result):
        pass
    print(describe_migration(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
