"""Turns first at SQLite's writer lock (storage/writer_gate.py): from claim to answer, a Teams turn counts
itself on the counter the scheduled-work worker reads, so the worker begins no write of a tick until the
turn is answered; the count is back to zero afterwards, whether the turn went well or not."""

from __future__ import annotations

import shutil
from pathlib import Path

from aiohttp import web

from storage.engine import create_engine, others_waiting
from storage.writer_gate import WriterGate
from tests.e2e.harness import running, settings_for
from tests.fakes.recorded import Recorded


async def test_a_turn_under_way_keeps_the_workers_writes_back_until_it_is_answered(
    sqlite_template: Path, tmp_path: Path
) -> None:
    path = tmp_path / "plp.db"
    shutil.copyfile(sqlite_template, path)
    url = f"sqlite+aiosqlite:///{path}"
    counted: list[tuple[int, bool]] = []
    worker = create_engine(url, bulk=True)  # as scheduling/tick_worker.py opens it
    async with running(settings_for(url), start_scheduler=False) as h:
        gate = WriterGate.beside(path.resolve(), reset=False)

        def reply_arrives(recorded: Recorded) -> web.StreamResponse | None:
            if recorded.is_activity:  # the turn's reply, sent while the turn is still under way
                counted.append((gate.waiting, others_waiting(worker)))  # the worker's writes would give way
            return None

        h.connector.respond_with(reply_arrives)
        replies = await h.person("Ada").say("help")
        assert replies, "the turn was answered"
        assert counted and all(seen == (1, True) for seen in counted)
        assert gate.waiting == 0 and not others_waiting(worker)  # answered: the worker may write again

        h.connector.respond_with(lambda _: web.json_response({"error": "gone"}, status=403))
        await h.person("Bea").say("help")  # a turn whose reply fails still ends its count
        assert gate.waiting == 0
    await worker.dispose()
