"""Migrating an empty database creates the schema the models describe; re-running is harmless."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from alembic.autogenerate import compare_metadata, produce_migrations, render_python_code
from alembic.migration import MigrationContext
from sqlalchemy import Column, Connection, inspect

from storage.engine import create_engine
from storage.migration import MigrationResult, head_revision, migrate
from storage.schema import metadata

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
    "health_probes",
    "bot_state",
}


async def test_migrations_create_every_table_and_are_idempotent(empty_database_url: str) -> None:
    engine = create_engine(empty_database_url)
    try:
        first = await migrate(engine)
        again = await migrate(engine)  # a second run must change nothing and not fail
        async with engine.connect() as conn:
            tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
    finally:
        await engine.dispose()
    assert first == MigrationResult(None, head_revision()) and first.changed
    assert again == MigrationResult(head_revision(), head_revision()) and not again.changed
    assert tables >= EXPECTED


async def test_the_migrated_schema_matches_the_models(empty_database_url: str) -> None:
    engine = create_engine(empty_database_url)
    try:
        await migrate(engine)
        async with engine.connect() as conn:
            differences, fix = await conn.run_sync(_differences)
    finally:
        await engine.dispose()
    assert differences == [], f"models and migrations disagree; a new migration would need:\n{fix}"


def _differences(connection: Connection) -> tuple[list[Any], str]:
    """What `alembic revision --autogenerate` would find, and the upgrade code it would write."""
    context = MigrationContext.configure(
        connection,
        opts={
            "compare_type": True,
            "compare_server_default": _server_defaults_differ,
            "include_object": _built_on(connection.dialect.name),
        },
    )
    differences = list(compare_metadata(context, metadata))
    if not differences:
        return differences, ""
    upgrade = produce_migrations(context, metadata).upgrade_ops
    return differences, render_python_code(upgrade) if upgrade is not None else repr(differences)


def _built_on(dialect: str) -> Callable[..., bool]:
    """Leave out objects the models build only on another database (`Index(...).ddl_if(dialect=...)`)."""

    def include(obj: Any, name: str | None, kind: str, reflected: bool, compare_to: Any) -> bool:
        # Alembic's autogenerate ignores ddl_if, so honour it here; `_ddl_if` is where SQLAlchemy keeps it.
        condition = getattr(obj, "_ddl_if", None)
        return condition is None or condition.dialect in (None, dialect)

    return include


def _server_defaults_differ(
    context: MigrationContext,
    inspected: Column[Any],
    declared: Column[Any],
    inspected_default: str | None,
    declared_default: Any,
    rendered_declared_default: str | None,
) -> bool | None:
    """SQLite: compare literals ourselves; elsewhere (None) Alembic's own comparison is reliable.

    Alembic 1.x on SQLite unquotes `'x'` but not `''`, so every empty-string default would
    look changed; unwrapping parentheses and quotes on both sides compares what is stored.
    """
    if context.dialect.name != "sqlite":
        return None
    return _literal(inspected_default) != _literal(rendered_declared_default)


def _literal(default: str | None) -> str | None:
    if default is None:
        return None
    text = default.strip()
    while text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    quoted = re.fullmatch(r"'(.*)'", text, flags=re.DOTALL)
    return quoted.group(1).replace("''", "'") if quoted else text
