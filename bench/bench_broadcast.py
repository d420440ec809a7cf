"""Broadcast to N people through the real `bot.py` process and a fake Teams with Teams' limits.

Seeds N enrolled people (project migrations, bulk inserts) whose conversations live at a fake
connector process (50 requests/s per tenant, the per-conversation windows, 100 ms latency),
starts `bot.py` in local development mode, and has a facilitator walk the `broadcast` dialog
over HTTP. While it sends, `help` probes run every 0.5 s. With `--replicas N` (PostgreSQL)
N `bot.py` processes share the database and the tenant: the dialog goes to the first, the
probes take turns across all. Prints each figure beside its target. Usage (from the
repository root; see bench/README.md):

    .venv/bin/python bench/bench_broadcast.py [--people 10000] [--database-url URL] [--replicas 1]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import shutil
import sys
import tempfile
import time
from contextlib import AbstractAsyncContextManager, AsyncExitStack
from pathlib import Path
from typing import Any

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

from bench.broadcast_report import Outcome, report
from bench.database import fresh_database, migrated, outbox_summary, seed_cohort, seed_people, utc_now
from bench.probes import Probes
from bench.processes import ROOT, bot_env, fake_connector, free_port, machine, server
from bench.teams import Fake, Person, Turn

PREFIX = "recipient-"  # seeded people are 29:recipient-<n> in conversation a:recipient-<n>
FACILITATOR = "facilitator"
MESSAGE = "Welcome to the programme! The launch event is on **Monday** at 10:00."
STEP_TIMEOUT = 120.0
PROBERS = 5
THINK = 1.0  # seconds a facilitator takes per step: Teams allows 8 activities per conversation in 2 s


async def walk_dialog(fran: Person, fake: Fake, people: int) -> None:
    """Everything before the confirmation, checking each prompt so a changed dialog stops the bench."""
    steps = [
        # The composer card (the code before it asked a question first).
        ("broadcast", ("or type the message here", "what would you like to say")),
        (MESSAGE, ("link",)),
        ("No link", ("who should get it",)),
        ("Everyone", (f"{people} people", f"{people:,} people")),
        ("Send now", ("send it to",)),
    ]
    for text, expected in steps:
        await asyncio.sleep(THINK)
        turn = await fran.say(fake, text, STEP_TIMEOUT)
        if not any(fragment in turn.reply.lower() for fragment in expected):
            raise SystemExit(f"after {text!r} the bot said {turn.reply[:300]!r} (expected {expected[0]!r})")


async def watch(fake: Fake, people: int, deadline: float, stall: float) -> str:
    """Wait until every seeded conversation has a delivery, progress stalls, or the deadline passes."""
    started = last_change = time.monotonic()
    seen, last_print = -1, started
    while True:
        matching = (await fake.stats(f"a:{PREFIX}"))["matching"]["conversations"]
        now = time.monotonic()
        if matching != seen:
            seen, last_change = matching, now
        if now - last_print >= 30:
            print(f"  {now - started:6.0f} s: {matching} of {people} delivered", flush=True)
            last_print = now
        if matching >= people:
            return "complete"
        if now - last_change > stall:
            return f"stalled at {matching} for {stall:.0f} s"
        if now - started > deadline:
            return f"deadline of {deadline:.0f} s passed at {matching}"
        await asyncio.sleep(1.0)


async def broadcast(args: argparse.Namespace, fake: Fake, bots: list[str], http: aiohttp.ClientSession) -> Outcome:
    """The facilitator's broadcast (to the first bot) with probes (every bot in turn) from the confirmation on."""
    fran = Person(http, bots[0], fake.url, FACILITATOR)
    probers = [Person(http, bots[k % len(bots)], fake.url, f"prober-{k}") for k in range(PROBERS)]
    probes = Probes(fake, probers, args.probe_interval)
    await probes.warm_up()
    await walk_dialog(fran, fake, args.people)
    await asyncio.sleep(THINK)
    confirm_sent = time.monotonic()
    async with asyncio.TaskGroup() as group:
        probing = group.create_task(probes.run())
        confirm: Turn = await fran.say(fake, "yes", STEP_TIMEOUT)
        ended = await watch(fake, args.people, args.deadline, args.stall)
        await asyncio.sleep(args.settle)  # late duplicates would land now
        probes.stop()
        await probing
    final: dict[str, Any] = await fake.stats(f"a:{PREFIX}", times=True)
    return Outcome(args.people, confirm_sent, confirm, ended, final, probes.summary())


async def run(args: argparse.Namespace, workdir: Path) -> None:
    """Seed, start the fake connector and the bot, broadcast, report."""
    print(f"machine: {machine()}", flush=True)
    fake = fake_connector(args.latency, nice=args.fake_nice)
    async with fresh_database(args.database_url, workdir) as url, fake as fake_url:
        async with migrated(url) as engine:
            now = utc_now()
            cohort = await seed_cohort(engine, now)
            await seed_people(engine, fake_url, [f"{PREFIX}{n}" for n in range(args.people)], cohort, now)
        logs = [workdir / ("bot.log" if n == 0 else f"bot-{n + 1}.log") for n in range(args.replicas)]
        before = _children_cpu()
        async with aiohttp.ClientSession() as http, AsyncExitStack() as bots:
            urls = [await bots.enter_async_context(_bot(url, log, n, args)) for n, log in enumerate(logs)]
            outcome = await broadcast(args, Fake(http, fake_url), urls, http)
        outcome.bot_cpu = _children_cpu() - before  # the bots have exited and been waited for: theirs alone
        outcome.outbox = await outbox_summary(url)
        outcome.logs = [log.read_text(encoding="utf-8", errors="replace") for log in logs]
        report(outcome, "PostgreSQL" if args.database_url else "SQLite", args.latency)
        if args.keep:  # each seeded conversation's delivery times (CLOCK_MONOTONIC), for a closer look
            (workdir / "deliveries.json").write_text(json.dumps(outcome.final["deliveries"]), encoding="utf-8")


def _children_cpu() -> float:
    """User + system CPU seconds of this process's finished children."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _bot(database_url: str, log: Path, n: int, args: argparse.Namespace) -> AbstractAsyncContextManager[str]:
    """Replica `n` (its own port and log; a worker id of its own when there are several; `--setting`s)."""
    port = free_port()
    worker = f"bench-replica-{n + 1}" if args.replicas > 1 else ""
    env = bot_env(port, database_url, facilitators=f"aad-{FACILITATOR}", worker_id=worker)
    return server([str(ROOT / "bot.py")], env | dict(args.setting), port, log)


def _setting(text: str) -> tuple[str, str]:
    """`NAME=VALUE` for the bot's environment (e.g. PLP_SEND_RATE=45)."""
    name, equals, value = text.partition("=")
    if not equals or not name.startswith("PLP_"):
        raise argparse.ArgumentTypeError(f"expected PLP_NAME=VALUE, got {text!r}")
    return name, value


def main() -> None:
    """Parse the options; run in a temporary directory (kept with --keep)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=0, help="recipients (default 10000; 45000 on PostgreSQL)")
    parser.add_argument("--database-url", default="", help="a PostgreSQL server to create a fresh database on")
    parser.add_argument("--replicas", type=int, default=1, help="bot.py processes sharing the database (PostgreSQL)")
    parser.add_argument("--setting", type=_setting, action="append", default=[], help="PLP_NAME=VALUE for the bot")
    parser.add_argument("--latency", type=float, default=0.1, help="fake connector delay per request (s)")
    parser.add_argument("--fake-nice", type=int, default=-10, help="the fake connector's nice value (root); 0: as is")
    parser.add_argument("--probe-interval", type=float, default=0.5, help="seconds between help probes")
    parser.add_argument("--deadline", type=float, default=0, help="give up sending after (s); default N/10 + 300")
    parser.add_argument("--stall", type=float, default=180, help="give up after this long with no delivery (s)")
    parser.add_argument("--settle", type=float, default=10, help="wait after the last delivery for duplicates (s)")
    parser.add_argument("--keep", action="store_true", help="keep the working directory and its files")
    args = parser.parse_args()
    if args.replicas < 1 or (args.replicas > 1 and not args.database_url):
        parser.error("--replicas needs --database-url (replicas share a PostgreSQL database) and must be at least 1")
    args.people = args.people or (45000 if args.database_url and args.replicas == 1 else 10000)
    args.deadline = args.deadline or args.people / 10 + 300
    workdir = Path(tempfile.mkdtemp(prefix="plp-bench-broadcast-"))
    try:
        asyncio.run(run(args, workdir))
    finally:
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir)


if __name__ == "__main__":
    main()
