"""Set-based planning: indexes for bulk reads, and sessions remember their latest reminder.

- outbox (participant_id, due_at) replaces (participant_id): the budget pass reads what each
  person has had around now without walking their whole history.
- guide_progress (partnership_id, queued_at, prompt_id): recent progress of a chunk of
  partnerships, read from the index alone.
- group_sessions.reminded: the label of the latest reminder queued, so a tick does not
  rebuild every invitee's reminder until the next one is due.

Revision ID: 0011
Revises: 0010
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_outbox_participant_due', 'outbox', ['participant_id', 'due_at'], unique=False)
    op.drop_index('ix_outbox_participant_id', table_name='outbox')
    op.create_index(
        'ix_guide_progress_recent', 'guide_progress', ['partnership_id', 'queued_at', 'prompt_id'], unique=False
    )
    op.add_column('group_sessions', sa.Column('reminded', sa.String(length=8), server_default='', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('group_sessions', schema=None) as batch_op:
        batch_op.drop_column('reminded')
    op.drop_index('ix_guide_progress_recent', table_name='guide_progress')
    op.create_index('ix_outbox_participant_id', 'outbox', ['participant_id'], unique=False)
    op.drop_index('ix_outbox_participant_due', table_name='outbox')
