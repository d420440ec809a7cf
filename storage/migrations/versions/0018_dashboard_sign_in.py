"""The facilitator dashboard's sign-in: used sign-in links and browser sessions.

`dashboard_link_uses` keeps each single-use link's random id once it has been opened (so a
second use is refused); `dashboard_sessions` keeps a SHA-256 digest of each session cookie,
its CSRF token and when it was last used. Both rows go with the person.

Revision ID: 0018
Revises: 0017
"""
from alembic import op
import sqlalchemy as sa


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'dashboard_link_uses',
        sa.Column('link_id', sa.String(length=64), nullable=False),
        sa.Column('participant_id', sa.Integer(), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('link_id'),
    )
    op.create_index('ix_dashboard_link_uses_participant_id', 'dashboard_link_uses', ['participant_id'], unique=False)
    op.create_index('ix_dashboard_link_uses_expires_at', 'dashboard_link_uses', ['expires_at'], unique=False)
    op.create_table(
        'dashboard_sessions',
        sa.Column('id', sa.String(length=64), nullable=False),
        sa.Column('participant_id', sa.Integer(), nullable=False),
        sa.Column('csrf_token', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_dashboard_sessions_participant_id', 'dashboard_sessions', ['participant_id'], unique=False)
    op.create_index('ix_dashboard_sessions_last_seen_at', 'dashboard_sessions', ['last_seen_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_dashboard_sessions_last_seen_at', table_name='dashboard_sessions')
    op.drop_index('ix_dashboard_sessions_participant_id', table_name='dashboard_sessions')
    op.drop_table('dashboard_sessions')
    op.drop_index('ix_dashboard_link_uses_expires_at', table_name='dashboard_link_uses')
    op.drop_index('ix_dashboard_link_uses_participant_id', table_name='dashboard_link_uses')
    op.drop_table('dashboard_link_uses')
