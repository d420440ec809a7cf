"""Partnership health: pauses, per-cohort thresholds, the nudge ladder, private check-ins, unreachable alerts.

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('partnerships', schema=None) as batch_op:
        batch_op.add_column(sa.Column('paused_until', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('resumed_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('pause_reason', sa.String(length=32), server_default='', nullable=False))

    with op.batch_alter_table('cohorts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('quiet_weeks', sa.Integer(), server_default='4', nullable=False))
        batch_op.add_column(sa.Column('inactive_weeks', sa.Integer(), server_default='8', nullable=False))

    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unreachable_alerted_at', sa.DateTime(timezone=True), nullable=True))

    op.create_table('nudges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=True),
    sa.Column('step', sa.Integer(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnerships.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('nudges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_nudges_partnership_id'), ['partnership_id'], unique=False)

    op.create_table('checkins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('answer', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnerships.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checkins_partnership_id'), ['partnership_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checkins_partnership_id'))

    op.drop_table('checkins')
    with op.batch_alter_table('nudges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_nudges_partnership_id'))

    op.drop_table('nudges')
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.drop_column('unreachable_alerted_at')

    with op.batch_alter_table('cohorts', schema=None) as batch_op:
        batch_op.drop_column('inactive_weeks')
        batch_op.drop_column('quiet_weeks')

    with op.batch_alter_table('partnerships', schema=None) as batch_op:
        batch_op.drop_column('pause_reason')
        batch_op.drop_column('resumed_on')
        batch_op.drop_column('paused_until')
