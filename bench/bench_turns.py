"""Turn latency of the real `bot.py` beside a bare stock-botbuilder echo bot, same run, same fake Teams.

Seeds enrolled, paired people (project migrations), starts the fake connector process
(Teams' limits, 100 ms latency), `bot.py` and `bench/echo_bot.py`, then for 1 and 20
concurrent conversations times `help` and `guide` (database-backed) on the bot and an echo
on the echo bot: from sending the message to the fake receiving the reply. Conversations
send in lockstep (all at once every `--interval` s, below each conversation's Teams windows).
Usage (from the repository root; see bench/README.md):

    .venv/bin/python bench/bench_turns.py [--samples 100] [--concurrency 1,20] [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import math
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

from bench.database import fresh_database, migrated, seed_cohort, seed_pairs, seed_people, utc_now
from bench.processes import ROOT, bot_env, fake_connector, free_port, machine, server
from bench.teams import Fake, Person, Turn, percentile

REPLY_TIMEOUT = 10.0
# Seconds between one cell's last reply and the next cell's first message: longer than Teams'
# one-second tenant window, which the fake counts across both bots, so the echo bot's replies never
# use up the budget of the PLP cell after it (Teams counts each bot's budget on its own).
WARM_GAP = 2.0  # seconds between the warm-up rounds
CELL_GAP = 1.5
COMMANDS = (("echo", "help"), ("plp", "help"), ("plp", "guide"))


@dataclass
class Cell:
    """One bot, command and concurrency: its turns and the 429s the fake answered meanwhile."""

    bot: str
    command: str
    concurrency: int
    turns: list[Turn] = field(default_factory=list)
    throttled: int = 0

    def p(self, q: float) -> float:
        """Seconds to the reply at percentile `q`, over answered turns."""
        return percentile([t.latency for t in self.turns if t.latency is not None and not t.failed], q)

    def row(self) -> str:
        """One line of the results table."""
        failed = sum(t.failed for t in self.turns)
        figures = "".join(f"{self.p(q):>8.3f}" for q in (50, 95, 99, 100))
        head = f"{self.bot:<6}{self.command:<8}{self.concurrency:>6}{len(self.turns):>7}{failed:>7}{self.throttled:>6}"
        return head + figures


async def converse(person: Person, fake: Fake, text: str, turns: int, start: float, interval: float) -> list[Turn]:
    """`turns` sequential turns, each at its lockstep time (or at once when running late)."""
    done: list[Turn] = []
    for k in range(turns):
        await asyncio.sleep(max(0.0, start + k * interval - time.monotonic()))  # pacing, not measuring
        done.append(await person.say(fake, text, REPLY_TIMEOUT))
    return done


async def measure(cell: Cell, people: list[Person], fake: Fake, turns: int, interval: float, tag: str) -> None:
    """Run the cell: `concurrency` conversations in lockstep, fresh conversation ids for this cell."""
    before = sum((await fake.stats())["throttled"].values())
    start = time.monotonic() + CELL_GAP
    async with asyncio.TaskGroup() as group:
        tasks = [
            group.create_task(
                converse(p.in_conversation(f"a:turns-{tag}-{i}"), fake, cell.command, turns, start, interval)
            )
            for i, p in enumerate(people[: cell.concurrency])
        ]
    cell.turns += [turn for task in tasks for turn in task.result()]
    cell.throttled += sum((await fake.stats())["throttled"].values()) - before


async def run_cells(args: argparse.Namespace, urls: dict[str, str], fake: Fake, http: aiohttp.ClientSession) -> None:
    """Warm both bots up, then every cell `--rounds` times, alternating bots; print the table."""
    people = {bot: [Person(http, url, fake.url, f"turns-{i}") for i in range(args.people)] for bot, url in urls.items()}
    for bot, persons in people.items():  # registration, member lookup, first-use caches: not measured
        for i, person in enumerate(persons):
            await person.in_conversation(f"a:turns-warm-{bot}-{i}").say(fake, "help", REPLY_TIMEOUT)
        # Then everyone at once, as under load: the database pool opens its connections here, not in the
        # first measured cell (on PostgreSQL each new connection costs tens of milliseconds).
        await asyncio.sleep(WARM_GAP)  # the conversations' Teams windows have room again
        await asyncio.gather(
            *(
                p.in_conversation(f"a:turns-warm-{bot}-{i}").say(fake, "help", REPLY_TIMEOUT)
                for i, p in enumerate(persons)
            )
        )
    cells = [Cell(bot, command, c) for c in args.concurrency for bot, command in COMMANDS]
    for round_ in range(args.rounds):
        for n, cell in enumerate(cells):
            turns = max(math.ceil(args.samples / cell.concurrency), 10)
            await measure(cell, people[cell.bot], fake, turns, args.interval, f"{round_}-{n}")
            print(f"  {cell.bot} {cell.command} x{cell.concurrency}: p95 {cell.p(95):.3f} s", flush=True)
    print_table(cells)


def print_table(cells: list[Cell]) -> None:
    """Every cell, then the target at the highest concurrency."""
    print(f"\n{'bot':<6}{'turn':<8}{'convs':>6}{'turns':>7}{'failed':>7}{'429s':>6}"
          f"{'p50':>8}{'p95':>8}{'p99':>8}{'max':>8}   (seconds to the reply)")  # fmt: skip
    for cell in cells:
        print(cell.row())
    top = max(cell.concurrency for cell in cells)
    echo = next(c for c in cells if c.bot == "echo" and c.concurrency == top)
    for cell in (c for c in cells if c.bot == "plp" and c.concurrency == top):
        met = cell.p(95) <= echo.p(95) and not any(t.failed for t in cell.turns)
        print(
            f"target: PLP {cell.command} p95 {cell.p(95):.3f} s <= echo p95 {echo.p(95):.3f} s at {top} "
            f"conversations ({cell.p(95) / echo.p(95):.1f}x), none failed: {'met' if met else 'MISSED'}"
        )


async def run(args: argparse.Namespace, workdir: Path) -> None:
    """Seed, start the fake connector, the bot and the echo bot; measure."""
    print(f"machine: {machine()}", flush=True)
    async with fresh_database(args.database_url, workdir) as url, fake_connector(args.latency) as fake_url:
        async with migrated(url) as engine:
            now = utc_now()
            cohort = await seed_cohort(engine, now)
            ids = await seed_people(engine, fake_url, [f"turns-{i}" for i in range(args.people)], cohort, now)
            await seed_pairs(engine, ids, cohort, now)
        plp_port, echo_port = free_port(), free_port()
        plp = server([str(ROOT / "bot.py")], bot_env(plp_port, url), plp_port, workdir / "bot.log")
        echo = server(
            [str(ROOT / "bench" / "echo_bot.py"), "--port", str(echo_port)], {}, echo_port, workdir / "echo.log"
        )
        async with aiohttp.ClientSession() as http, plp as plp_url, echo as echo_url:
            await run_cells(args, {"plp": plp_url, "echo": echo_url}, Fake(http, fake_url), http)


def main() -> None:
    """Parse the options; run in a temporary directory (kept with --keep)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", default="1,20", help="comma-separated conversation counts")
    parser.add_argument("--samples", type=int, default=100, help="turns per cell (at least 10 per conversation)")
    parser.add_argument("--interval", type=float, default=0.6, help="seconds between a conversation's turns")
    parser.add_argument("--rounds", type=int, default=1, help="repeat every cell, alternating bots")
    parser.add_argument("--latency", type=float, default=0.1, help="fake connector delay per request (s)")
    parser.add_argument("--database-url", default="", help="a PostgreSQL server to create a fresh database on")
    parser.add_argument("--keep", action="store_true", help="keep the working directory (database, logs)")
    args = parser.parse_args()
    args.concurrency = [int(c) for c in args.concurrency.split(",")]
    args.people = max(args.concurrency) + max(args.concurrency) % 2  # everyone paired
    workdir = Path(tempfile.mkdtemp(prefix="plp-bench-turns-"))
    try:
        asyncio.run(run(args, workdir))
    finally:
        print(f"kept {workdir}") if args.keep else shutil.rmtree(workdir)


if __name__ == "__main__":
    main()
