"""Guide progress, saved prompts and mutual aims (hopes, shared aims, progress ratings).

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('guide_saved',
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('prompt_id', sa.String(length=32), nullable=False),
    sa.Column('saved_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('participant_id', 'prompt_id')
    )
    op.create_table('aim_hopes',
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('learn', sa.Text(), nullable=False),
    sa.Column('offer', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnerships.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('partnership_id', 'participant_id')
    )
    op.create_table('aim_ratings',
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=8), nullable=False),
    sa.Column('ratings', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnerships.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('partnership_id', 'participant_id', 'stage')
    )
    op.create_table('guide_progress',
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('prompt_id', sa.String(length=32), nullable=False),
    sa.Column('queued_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnerships.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('partnership_id', 'prompt_id')
    )
    with op.batch_alter_table('guide_progress', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_guide_progress_queued_at'), ['queued_at'], unique=False)

    op.create_table('shared_aims',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('aims', sa.JSON(), nullable=False),
    sa.Column('proposed_by', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('proposed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('agreed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('shared_with_team', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnerships.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposed_by'], ['participants.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('shared_aims', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shared_aims_partnership_id'), ['partnership_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('shared_aims', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shared_aims_partnership_id'))

    op.drop_table('shared_aims')
    with op.batch_alter_table('guide_progress', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_guide_progress_queued_at'))

    op.drop_table('guide_progress')
    op.drop_table('aim_ratings')
    op.drop_table('aim_hopes')
    op.drop_table('guide_saved')
