"""The quiet-pair check reads one index: meetings by partnership with the columns it needs.

`ix_meetings_partnership_activity` (partnership_id, created_at, start_at, outcome, logged_only,
status) replaces `ix_meetings_partnership_id`, whose first column it keeps, so lookups by
partnership still use an index and a meeting's insert updates no more indexes than before.

Revision ID: 0019
Revises: 0018
"""
from alembic import op


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        'ix_meetings_partnership_activity',
        'meetings',
        ['partnership_id', 'created_at', 'start_at', 'outcome', 'logged_only', 'status'],
        unique=False,
    )
    op.drop_index('ix_meetings_partnership_id', table_name='meetings')


def downgrade() -> None:
    op.create_index('ix_meetings_partnership_id', 'meetings', ['partnership_id'], unique=False)
    op.drop_index('ix_meetings_partnership_activity', table_name='meetings')
