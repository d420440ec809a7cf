"""Every table that holds a participant id belongs to some capability's PersonalData, so export,
erasure and the retention purge reach it; the check reads the schema itself, so a new table
(or a new participant column) fails here until a capability names it."""

from __future__ import annotations

import pytest
from sqlalchemy import Table

from domain.privacy.registry import PERSONAL_DATA
from storage.schema import metadata

# Columns that hold a participant id without a foreign key (the audit trail must outlive erasure).
ID_COLUMN_NAMES = {"participant_id", "actor_id", "subject_id", "created_by", "proposed_by"}
# Tables with personal content but no participant column at all: named here so the list is honest.
WITHOUT_A_PARTICIPANT_COLUMN = {"bot_state"}
# Every other table, and why it holds nobody's personal data: a new table must be placed on one side.
NOBODYS = {
    "cohorts": "names and dates of cohorts",
    "guide_progress": "which prompts a partnership was sent (partnership id only)",
    "poll_anonymous_answers": "anonymous answers: no person, time or order",
    "poll_held_answers": "anonymous answers held apart until enough arrive; no person (purged with the poll)",
    "dispatch_workers": "replicas' heartbeats",
    "health_probes": "one row per readiness probe: a name and a time",
    "processed_activities": "delivery keys (channel, conversation and activity id), pruned after 7 days",
}


def holds_a_participant(table: Table) -> bool:
    """A foreign key to participants, a participant-like column name, or the participants table itself."""
    if table.name == "participants" or table.name in WITHOUT_A_PARTICIPANT_COLUMN:
        return True
    for column in table.columns:
        if column.name in ID_COLUMN_NAMES or column.name.startswith("partner_"):
            return True
        if any(fk.column.table.name == "participants" for fk in column.foreign_keys):
            return True
    return False


def covered() -> dict[str, list[str]]:
    """Table name -> the capabilities (by export section) that name it."""
    found: dict[str, list[str]] = {}
    for data in PERSONAL_DATA:
        for table in data.tables:
            found.setdefault(table, []).append(data.section)
    return found


def test_every_table_holding_a_participant_is_covered() -> None:
    personal = {t.name for t in metadata.sorted_tables if holds_a_participant(t)}
    assert personal - set(covered()) == set()


def test_every_other_table_is_known_to_hold_nobody() -> None:
    others = {t.name for t in metadata.sorted_tables if not holds_a_participant(t)}
    assert others == set(NOBODYS)


def test_each_table_has_one_owner_and_exists() -> None:
    owners = covered()
    assert {table: sections for table, sections in owners.items() if len(sections) > 1} == {}
    assert set(owners) - set(metadata.tables) == set(), "a PersonalData names a table the schema lacks"


def test_the_detection_sees_the_tables_it_must() -> None:
    """Known personal tables are detected (so an empty result above would mean something)."""
    detected = {t.name for t in metadata.sorted_tables if holds_a_participant(t)}
    assert detected >= {
        "participants",
        "profile_answers",
        "outbox",
        "reflections",
        "poll_named_answers",
        "audit_log",
        "facilitator_pins",
    }
    assert not detected & {"cohorts", "poll_anonymous_answers", "poll_held_answers", "health_probes"}


@pytest.mark.parametrize("name", ["new_things"])
def test_a_new_table_with_a_participant_foreign_key_would_fail(name: str) -> None:
    from sqlalchemy import Column, ForeignKey, Integer, MetaData

    scratch = MetaData()
    Table("participants", scratch, Column("id", Integer, primary_key=True))
    table = Table(name, scratch, Column("id", Integer, primary_key=True), Column("who", ForeignKey("participants.id")))
    assert holds_a_participant(table) and name not in covered()
