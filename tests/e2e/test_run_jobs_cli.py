"""`python bot.py run-jobs --now …` as an operator's cron would run it: a real process, a
real database, real HTTP to the fake Bot Connector; a second run sends nothing twice."""

from __future__ import annotations

import asyncio
import os
import random
import sys
from datetime import UTC, date, datetime
from pathlib import Path

from domain.cohorts.service import CohortDraft, create_cohort
from domain.core.content import load_profile_questions
from domain.core.identity import Identity, register
from domain.core.model import ConversationRef
from domain.enrolment.service import EnrolmentDraft, save_enrolment
from domain.pairing.service import pair
from storage.engine import create_engine
from storage.migration import migrate
from storage.store import SqlStore
from tests.fakes.connector import FakeConnector

ROOT = Path(__file__).resolve().parents[2]
LAUNCH = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)


async def _paired_pair(database_url: str, service_url: str) -> None:
    engine = create_engine(database_url)
    await migrate(engine)
    store = SqlStore(engine)
    questions = load_profile_questions().questions
    cohort = await create_cohort(
        store, CohortDraft("Spring", date(2027, 3, 1), 12, questions), LAUNCH, random.Random(3)
    )
    ids = []
    for name in ("Asha", "Ben"):
        ref = ConversationRef(
            0, "msteams", service_url, f"a:{name}", f"29:{name}", "28:bot", conversation_type="personal"
        )
        person = await register(store, Identity("msteams", f"29:{name}", name), ref, LAUNCH)
        draft = EnrolmentDraft(
            cohort.id, cohort.name, list(questions), ["a", "b", "c"], "both", "4w", "online", "Europe/London"
        )
        await save_enrolment(store, person.id, draft, LAUNCH)
        ids.append(person.id)
    await pair(store, ids[0], ids[1], LAUNCH)
    await engine.dispose()


async def _run_jobs(database_url: str, now: str) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MICROSOFT_APP")}
    env.update(DATABASE_URL=database_url, PLP_ENV="development")
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "bot.py"),
        "run-jobs",
        "--now",
        now,
        cwd=str(ROOT),
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode == 0, err.decode()
    return process.returncode, out.decode()


async def test_run_jobs_sends_what_is_due_once(database_url: str) -> None:
    connector = FakeConnector()
    await connector.start()
    try:
        await _paired_pair(database_url, connector.url)
        _, out = await _run_jobs(database_url, "2027-03-01T09:00")
        # The two introductions go at once; the launch-week prompts are spread over each partner's day.
        assert "2 sent" in out
        _, later = await _run_jobs(database_url, "2027-03-01T17:00")
        assert "4 sent" in later  # the two launch-week prompts for each partner
        assert len(connector.activities_to("a:Asha")) == 3 and len(connector.activities_to("a:Ben")) == 3
        _, again = await _run_jobs(database_url, "2027-03-01T17:05")
        assert "0 sent" in again and len(connector.sent_activities()) == 6
    finally:
        await connector.stop()


async def test_run_jobs_refuses_a_malformed_time() -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "bot.py"),
        "run-jobs",
        "--now",
        "next tuesday",
        cwd=str(ROOT),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 2 and b"--now" in err
