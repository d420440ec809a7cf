"""The schema is created on start and re-running migrations is harmless."""

from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.migration import migrate

EXPECTED = {
    "broadcasts",
    "polls",
    "poll_responders",
    "poll_named_answers",
    "poll_anonymous_answers",
    "group_sessions",
    "session_invites",
    "cohorts",
    "participants",
    "profile_answers",
    "partnerships",
    "conversation_refs",
    "guide_progress",
    "guide_saved",
    "aim_hopes",
    "shared_aims",
    "aim_ratings",
    "meetings",
    "meeting_answers",
    "reflections",
    "nudges",
    "checkins",
    "outbox",
    "processed_activities",
    "bot_state",
}


async def test_migrations_create_every_table_and_are_idempotent(engine: AsyncEngine) -> None:
    await migrate(engine)  # a second run must change nothing and not fail
    async with engine.connect() as conn:
        tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
    assert tables >= EXPECTED
