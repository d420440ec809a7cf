"""Dispatch: the workers' heartbeat table (shared send budget) and outbox.first_due_at (give up by age).

Revision ID: 0009
Revises: 0007
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('dispatch_workers',
    sa.Column('worker_id', sa.String(length=64), nullable=False),
    sa.Column('last_seen', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('worker_id')
    )
    with op.batch_alter_table('dispatch_workers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dispatch_workers_last_seen'), ['last_seen'], unique=False)

    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('first_due_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_column('first_due_at')

    with op.batch_alter_table('dispatch_workers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dispatch_workers_last_seen'))

    op.drop_table('dispatch_workers')
