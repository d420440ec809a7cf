"""Tenants and facilitator pins: each participant's Teams tenant, and FACILITATORS entries pinned to one person.

`participants.tenant_id` is filled from the tenant of each person's stored conversation
reference (the address the bot already keeps), so people known before this revision are
recognised in their tenant at once. `facilitator_pins` holds each FACILITATORS entry once it
has named someone: the person's row, tenant and Entra object id; a removal in chat revokes it.

Revision ID: 0015
Revises: 0014
"""
from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tenant_id', sa.String(length=64), server_default='', nullable=False))
    op.execute(
        "UPDATE participants SET tenant_id = COALESCE(("
        "SELECT conversation_refs.tenant_id FROM conversation_refs "
        "WHERE conversation_refs.participant_id = participants.id), '')"
    )
    op.create_table(
        'facilitator_pins',
        sa.Column('entry', sa.String(length=320), nullable=False),
        sa.Column('participant_id', sa.Integer(), nullable=False),
        sa.Column('tenant_id', sa.String(length=64), nullable=False),
        sa.Column('aad_object_id', sa.String(length=64), nullable=False),
        sa.Column('pinned_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('entry'),
    )
    op.create_index('ix_facilitator_pins_participant_id', 'facilitator_pins', ['participant_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_facilitator_pins_participant_id', table_name='facilitator_pins')
    op.drop_table('facilitator_pins')
    # Why not batch mode: on SQLite it rebuilds `participants`, and dropping the old table with foreign
    # keys on deletes (or refuses) every row that refers to it. SQLite 3.35+ drops a column in place.
    op.drop_column('participants', 'tenant_id')
