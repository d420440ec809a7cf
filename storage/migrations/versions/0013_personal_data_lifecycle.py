"""Personal data lifecycle: erased participants, and foreign keys that follow a deletion.

- participants.erased_at: when a person's data was erased (`erase me`, or the retention
  purge). The row stays, nameless and without identifiers, so partnerships and meetings keep
  their shape for the partner's history and the programme's counts.
- outbox: the payload (the words) of messages already sent, failed or cancelled is cleared, as
  it is from now on when a message finishes.
- outbox.participant_id and shared_aims.proposed_by: ON DELETE CASCADE (messages to, and aims
  proposed by, someone whose row is gone). Both are leaf tables, so SQLite's table rebuild is
  safe; tables other tables point at (participants, partnerships, meetings) are not rebuilt:
  on SQLite with foreign keys on, dropping them would cascade into their children.

Revision ID: 0013
Revises: 0012
"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

# How SQLite's batch mode names the (unnamed) reflected foreign keys, so they can be dropped.
NAMING = {"fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"}
CHANGED = (("outbox", "participant_id"), ("shared_aims", "proposed_by"))


def _set_on_delete(table: str, column: str, on_delete: str | None) -> None:
    if op.get_bind().dialect.name == "postgresql":
        name = f"{table}_{column}_fkey"  # PostgreSQL's own name for the unnamed constraint
        op.drop_constraint(name, table, type_="foreignkey")
        op.create_foreign_key(name, table, "participants", [column], ["id"], ondelete=on_delete)
        return
    name = f"fk_{table}_{column}_participants"
    with op.batch_alter_table(table, recreate="always", naming_convention=NAMING) as batch_op:
        batch_op.drop_constraint(name, type_="foreignkey")
        batch_op.create_foreign_key(name, "participants", [column], ["id"], ondelete=on_delete)


def upgrade() -> None:
    op.add_column('participants', sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True))
    # From now on a message's words are cleared when it finishes; these finished before.
    op.execute(sa.text(
        "UPDATE outbox SET payload = '{}' WHERE status IN ('sent', 'dead', 'unreachable', 'cancelled')"
    ))
    for table, column in CHANGED:
        _set_on_delete(table, column, "CASCADE")


def downgrade() -> None:
    for table, column in CHANGED:
        _set_on_delete(table, column, None)
    # In place, not batch mode: on SQLite batch mode rebuilds `participants`, and dropping the old table
    # with foreign keys on deletes every row that refers to it (addresses, answers). SQLite 3.35+ drops a
    # column in place (as 0015 does).
    op.drop_column('participants', 'erased_at')
