"""Anonymous poll answers held apart from "has responded", then moved in batches.

- poll_held_answers: where an anonymous answer waits (random key, poll, answers; no person,
  no time, no rowid on SQLite) until at least 5 wait or the poll closes.
- Answers stored before this revision are rewritten in one go, in content order under new
  random keys, so no row keeps the transaction id, position or key it was written with
  next to its "has responded" row.

Revision ID: 0014
Revises: 0013
"""
import json
import uuid

from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

_ANSWERS = sa.table(
    'poll_anonymous_answers',
    sa.column('id', sa.String(36)),
    sa.column('poll_id', sa.Integer()),
    sa.column('answers', sa.JSON()),
)


def upgrade() -> None:
    op.create_table('poll_held_answers',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['poll_id'], ['polls.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('poll_held_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_poll_held_answers_poll_id'), ['poll_id'], unique=False)
    _rewrite_stored_answers()


def _rewrite_stored_answers(extra: tuple[tuple[int, object], ...] = ()) -> None:
    """Every stored anonymous answer (and `extra`) again, in content order with a new key, in this one transaction."""
    bind = op.get_bind()
    rows = [(row.poll_id, row.answers) for row in bind.execute(sa.select(_ANSWERS.c.poll_id, _ANSWERS.c.answers))]
    rows += list(extra)
    if not rows:
        return
    rows.sort(key=lambda row: (row[0], json.dumps(row[1], sort_keys=True, ensure_ascii=False)))
    bind.execute(sa.delete(_ANSWERS))
    bind.execute(
        sa.insert(_ANSWERS),
        [{'id': str(uuid.uuid4()), 'poll_id': poll_id, 'answers': answers} for poll_id, answers in rows],
    )


def downgrade() -> None:
    # Answers still waiting join the stored ones, so going back loses none.
    held = sa.table('poll_held_answers', sa.column('poll_id', sa.Integer()), sa.column('answers', sa.JSON()))
    waiting = [(row.poll_id, row.answers) for row in op.get_bind().execute(sa.select(held.c.poll_id, held.c.answers))]
    if waiting:
        _rewrite_stored_answers(tuple(waiting))
    with op.batch_alter_table('poll_held_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_poll_held_answers_poll_id'))

    op.drop_table('poll_held_answers')
