"""How much database work an ordinary turn costs, counted on the bot's own engine: a ceiling on SQL
statements, transactions and writes for `help` and `guide` from a paired partner.

A regression guard, not a timing test (speed is measured by bench/bench_turns.py): at twenty
conversations at once every statement is a hand-off to the database and every write a turn in
the single writer's queue, so a turn that quietly grows its queries grows everyone's wait.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import event
from sqlalchemy.engine import Connection

from bot import ENGINE
from domain.core.model import Group
from storage.engine import create_engine
from storage.store import SqlStore
from tests.e2e.harness import TeamsUser, card_text, running, settings_for

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
# Per turn, measured when this guard was written; raise one only for a reason worth the cost.
CEILINGS = {"help": 9, "guide": 10}  # statements (before: 14 and 11, with 4 writes in each)
TRANSACTIONS = 5  # the claim, who is talking, dialog state, the command's reads, finished
WRITES = 2  # the claim and the finish: nothing else changes when someone asks for help or the guide


@dataclass
class Counted:
    """Statements (BEGIN aside), transactions and writes on an engine, from now on."""

    statements: list[str] = field(default_factory=list)
    transactions: int = 0

    @property
    def writes(self) -> int:
        return sum(1 for s in self.statements if s.split(" ", 1)[0].upper() in ("INSERT", "UPDATE", "DELETE"))

    def statement(self, _conn: Connection, _cursor: object, statement: str, *_: object) -> None:
        if not statement.lstrip().upper().startswith("BEGIN"):
            self.statements.append(statement.lstrip())

    def begin(self, _conn: Connection) -> None:
        self.transactions += 1


async def _paired(database_url: str) -> None:
    """Asha and Ben, enrolled and paired, stored before the bot starts (nothing queued to send)."""
    engine = create_engine(database_url)
    try:
        async with SqlStore(engine).transaction() as uow:
            cohort = await uow.cohorts.create("Spring", "SPRING", date(2027, 2, 1), 12, ["a", "b", "c"], NOW)
            ids = []
            for name in ("Asha", "Ben"):
                key = name.lower()
                person = await uow.participants.upsert_identity("msteams", f"29:{key}", name, f"aad-{key}", NOW)
                await uow.participants.set_email(person.id, f"{key}@nhs.test")
                await uow.participants.save_enrolment(
                    person.id, cohort.id, Group.BOTH, [], "monthly", "online", "Europe/London", NOW
                )
                ids.append(person.id)
            await uow.partnerships.create(cohort.id, ids[0], ids[1], date(2027, 2, 1), NOW)
    finally:
        await engine.dispose()


async def _counted(asha: TeamsUser, text: str) -> tuple[Counted, str]:
    engine = asha.harness.app[ENGINE].sync_engine
    counted = Counted()
    event.listen(engine, "before_cursor_execute", counted.statement)
    event.listen(engine, "begin", counted.begin)
    try:
        replies = await asha.say(text)
    finally:
        event.remove(engine, "before_cursor_execute", counted.statement)
        event.remove(engine, "begin", counted.begin)
    return counted, card_text(replies[-1])


async def test_help_and_guide_stay_within_their_database_budget(database_url: str) -> None:
    await _paired(database_url)
    quiet = settings_for(database_url, broadcast_interval_seconds=3600.0, jobs_interval_seconds=3600.0)
    async with running(quiet) as h:
        asha = h.person("Asha")
        for text in ("help", "guide"):  # the first turns store her address, tenant and dialog state
            await asha.say(text)
        for text, expected in (("help", "Pause for a while"), ("guide", "Guide for Learning Partners")):
            counted, reply = await _counted(asha, text)
            assert expected in reply  # the real answer: a paired partner's buttons, her place in the guide
            assert len(counted.statements) <= CEILINGS[text], counted.statements
            assert counted.transactions <= TRANSACTIONS and counted.writes <= WRITES, counted.statements
