"""Broadcasts in the background: the materialisation cursor, and (PostgreSQL) a prefix index on outbox keys.

`materialised_through` is the last participant id whose outbox row a broadcast's current
phase has inserted (or skipped), so a crash resumes there. Status counts and resends read a
broadcast's rows by key prefix (`broadcast:<id>:`): SQLite serves that range from the unique
index (it compares bytes); PostgreSQL's LIKE needs a pattern_ops index under a non-C collation.

Revision ID: 0010
Revises: 0009
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('broadcasts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('materialised_through', sa.Integer(), server_default='0', nullable=False))
    if op.get_bind().dialect.name == 'postgresql':
        op.create_index(
            'ix_outbox_key_prefix', 'outbox', ['idempotency_key'],
            postgresql_ops={'idempotency_key': 'varchar_pattern_ops'},
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_index('ix_outbox_key_prefix', table_name='outbox')
    with op.batch_alter_table('broadcasts', schema=None) as batch_op:
        batch_op.drop_column('materialised_through')
