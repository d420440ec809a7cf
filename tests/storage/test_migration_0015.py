"""Migration 0015 on a database with people in it: each participant's tenant is filled from the
conversation reference the bot already kept, so they are recognised in their tenant at once."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from sqlalchemy import Connection, inspect, text

from storage.engine import create_engine
from storage.migration import alembic_config

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
HOME = "00000000-0000-4000-8000-0000000000a1"


def _upgrade(connection: Connection, revision: str) -> None:
    config = alembic_config(str(connection.engine.url))
    config.attributes["connection"] = connection
    command.upgrade(config, revision)
    connection.commit()


def _downgrade(connection: Connection, revision: str) -> None:
    config = alembic_config(str(connection.engine.url))
    config.attributes["connection"] = connection
    command.downgrade(config, revision)
    connection.commit()


def _people_before_0015(connection: Connection) -> None:
    for pid, key in ((1, "ada"), (2, "ben")):
        connection.execute(
            text(
                "INSERT INTO participants (id, channel_id, user_id, name, aad_object_id, email, role, "
                "meeting_rhythm, meeting_format, time_zone, created_at) "
                "VALUES (:id, 'msteams', :user, :name, :aad, '', 'partner', '', '', 'Europe/London', :now)"
            ),
            {"id": pid, "user": f"29:{key}", "name": key.title(), "aad": f"aad-{key}", "now": NOW},
        )
    connection.execute(
        text(
            "INSERT INTO conversation_refs (participant_id, channel_id, service_url, conversation_id, "
            "conversation_type, user_id, bot_id, bot_name, tenant_id, updated_at) "
            "VALUES (1, 'msteams', 'https://smba.example/', 'a:ada', 'personal', '29:ada', '28:bot', '', :t, :now)"
        ),
        {"t": HOME, "now": NOW},
    )
    connection.commit()


async def test_0015_fills_each_tenant_from_the_stored_address(empty_database_url: str) -> None:
    engine = create_engine(empty_database_url)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_upgrade, "0012")
            await connection.run_sync(_people_before_0015)
            await connection.run_sync(_upgrade, "head")
            rows = await connection.execute(text("SELECT id, tenant_id FROM participants ORDER BY id"))
            tenants = [tuple(row) for row in rows]
            pins = (await connection.execute(text("SELECT COUNT(*) FROM facilitator_pins"))).scalar_one()
            await connection.run_sync(_downgrade, "0014")  # and back: everyone and their address stay
            kept = (await connection.execute(text("SELECT COUNT(*) FROM participants"))).scalar_one()
            refs = (await connection.execute(text("SELECT COUNT(*) FROM conversation_refs"))).scalar_one()
            columns = await connection.run_sync(
                lambda c: {col["name"] for col in inspect(c).get_columns("participants")}
            )
            tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
    finally:
        await engine.dispose()
    assert tenants == [(1, HOME), (2, "")] and pins == 0
    assert (kept, refs) == (2, 1) and "tenant_id" not in columns and "facilitator_pins" not in tables
