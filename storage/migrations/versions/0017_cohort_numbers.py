"""Participant numbers per cohort: #1 is a cohort's first participant.

People were shown the internal row id ("#2" for a cohort's first participant: a facilitator's row
came first, and on PostgreSQL every turn's identity upsert also spends a sequence value). Each
enrolment now takes the cohort's next number from cohorts.last_number (never reused); the people
already enrolled are numbered in the order they joined (their row order).

Revision ID: 0017
Revises: 0016
"""

from alembic import op
import sqlalchemy as sa


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('cohorts', sa.Column('last_number', sa.Integer(), server_default='0', nullable=False))
    op.add_column('participants', sa.Column('cohort_number', sa.Integer(), nullable=True))
    op.execute(
        "UPDATE participants SET cohort_number = (SELECT COUNT(*) FROM participants AS earlier "
        "WHERE earlier.cohort_id = participants.cohort_id AND earlier.id <= participants.id) "
        "WHERE cohort_id IS NOT NULL"
    )
    op.execute(
        "UPDATE cohorts SET last_number = (SELECT COUNT(*) FROM participants WHERE participants.cohort_id = cohorts.id)"
    )
    op.create_index('uq_participant_cohort_number', 'participants', ['cohort_id', 'cohort_number'], unique=True)


def downgrade() -> None:
    op.drop_index('uq_participant_cohort_number', table_name='participants')
    # Plain ALTER TABLE (SQLite 3.35+ and PostgreSQL): a batch rebuild of these tables would drop tables other
    # tables' foreign keys point at.
    op.execute('ALTER TABLE participants DROP COLUMN cohort_number')
    op.execute('ALTER TABLE cohorts DROP COLUMN last_number')
