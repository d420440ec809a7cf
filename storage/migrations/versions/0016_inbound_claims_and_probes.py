"""Reliability: inbound activities are claimed, then marked finished; a table the probes write to.

- processed_activities.finished_at: a key is recorded (claimed) when its turn starts and marked
  finished when the turn ends, so an activity redelivered after a crash mid-turn runs again.
  Keys recorded before this revision were handled, so they count as finished.
- health_probes: `/readyz` and start-up rewrite a row here, proving the database takes writes
  (a full disk or a read-only file answers `SELECT 1` but refuses this).

Revision ID: 0016
Revises: 0015
"""
from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('processed_activities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True))
    op.execute('UPDATE processed_activities SET finished_at = received_at')
    op.create_table('health_probes',
    sa.Column('probe', sa.String(length=64), nullable=False),
    sa.Column('checked_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('probe')
    )


def downgrade() -> None:
    op.drop_table('health_probes')
    with op.batch_alter_table('processed_activities', schema=None) as batch_op:
        batch_op.drop_column('finished_at')
