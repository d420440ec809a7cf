"""Migration 0013 on SQLite and PostgreSQL: messages that finished before it lose their words,
unsent ones keep theirs; participants gain erased_at; the outbox rows follow a deleted participant;
and going back down works, keeping everyone and their address."""

from __future__ import annotations

from collections.abc import Callable

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, text

from storage.engine import create_engine
from storage.migration import alembic_config, migrate

BEFORE = str(ScriptDirectory.from_config(alembic_config("sqlite://")).get_revision("0013").down_revision)
NOW = "2027-03-01 09:00:00"
PERSON = (
    "INSERT INTO participants (id, channel_id, user_id, name, aad_object_id, email, role, "
    "meeting_rhythm, meeting_format, time_zone, created_at) "
    f"VALUES ({{id}}, 'msteams', '{{user}}', '{{name}}', '', '', 'partner', '', '', 'Europe/London', '{NOW}')"
)
ADDRESS = (
    "INSERT INTO conversation_refs (participant_id, channel_id, service_url, conversation_id, conversation_type, "
    f"user_id, bot_id, bot_name, tenant_id, updated_at) VALUES (2, 'msteams', 'https://smba.test/', 'a:b', "
    f"'personal', '29:b', '28:bot', '', '', '{NOW}')"
)


def _to(revision: str, down: bool = False) -> Callable[[Connection], None]:
    def run(connection: Connection) -> None:
        config = alembic_config(str(connection.engine.url))
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)
        connection.commit()

    return run


async def test_finished_messages_lose_their_words_and_rows_follow_their_person(empty_database_url: str) -> None:
    engine = create_engine(empty_database_url)
    try:
        async with engine.connect() as conn:
            await conn.run_sync(_to(BEFORE))
        async with engine.begin() as conn:
            await conn.execute(text(PERSON.format(id=1, user="29:a", name="Ada")))
            for key, status in (("a", "sent"), ("b", "dead"), ("c", "cancelled"), ("d", "pending")):
                await conn.execute(
                    text(
                        "INSERT INTO outbox (idempotency_key, kind, participant_id, payload, due_at, status, attempts, "
                        f"lease_owner, last_error, activity_id, created_at) VALUES ('{key}', 'note', 1, "
                        f"'{{\"text\": \"words {key}\"}}', '{NOW}', '{status}', 0, '', '', '', '{NOW}')"
                    )
                )
        await migrate(engine)
        async with engine.connect() as conn:
            rows = dict((await conn.execute(text("SELECT idempotency_key, CAST(payload AS TEXT) FROM outbox"))).all())
            columns = await conn.run_sync(lambda c: {col["name"] for col in inspect(c).get_columns("participants")})
        assert {k: v.replace(" ", "") for k, v in rows.items()} == {
            "a": "{}",
            "b": "{}",
            "c": "{}",
            "d": '{"text":"wordsd"}',
        }
        assert "erased_at" in columns
        async with engine.begin() as conn:  # ON DELETE CASCADE: messages to someone whose row is gone go too
            await conn.execute(text("DELETE FROM participants WHERE id = 1"))
            assert (await conn.execute(text("SELECT count(*) FROM outbox"))).scalar_one() == 0
            await conn.execute(text(PERSON.format(id=2, user="29:b", name="Ben")))
            await conn.execute(text(ADDRESS))
        async with engine.connect() as conn:
            await conn.run_sync(_to(BEFORE, down=True))
            columns = await conn.run_sync(lambda c: {col["name"] for col in inspect(c).get_columns("participants")})
            kept = (await conn.execute(text("SELECT count(*) FROM conversation_refs"))).scalar_one()
            people = (await conn.execute(text("SELECT count(*) FROM participants"))).scalar_one()
        assert "erased_at" not in columns
        assert (people, kept) == (1, 1)  # going back keeps everyone and their address
    finally:
        await engine.dispose()
