"""facilitator accounts, co-facilitators, invitations; workshop dates and archiving

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 10:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0005'
down_revision: Union[str, None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # Plain ADD COLUMN, no batch: on SQLite a batch would copy and drop `workshop`, and with
    # foreign keys on, dropping it would delete every row that cascades from it.
    op.add_column('workshop', sa.Column('starts_on', sa.Date(), nullable=True))
    op.add_column('workshop', sa.Column('ends_on', sa.Date(), nullable=True))
    op.add_column('workshop', sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True))

    op.create_table('facilitator_account',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('session_epoch', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_facilitator_account')),
    sa.UniqueConstraint('email', name=op.f('uq_facilitator_account_email'))
    )
    op.create_table('workshop_facilitator',
    sa.Column('workshop_id', sa.String(length=36), nullable=False),
    sa.Column('account_id', sa.String(length=36), nullable=False),
    sa.Column('participant_id', sa.String(length=36), nullable=True),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['facilitator_account.id'], name=op.f('fk_workshop_facilitator_account_id_facilitator_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_workshop_facilitator_participant_id_participant'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], name=op.f('fk_workshop_facilitator_workshop_id_workshop'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('workshop_id', 'account_id', name=op.f('pk_workshop_facilitator'))
    )
    op.create_index(op.f('ix_workshop_facilitator_account_id'), 'workshop_facilitator', ['account_id'], unique=False)
    op.create_table('facilitator_invitation',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('workshop_id', sa.String(length=36), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('invited_by', sa.String(length=36), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['invited_by'], ['facilitator_account.id'], name=op.f('fk_facilitator_invitation_invited_by_facilitator_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], name=op.f('fk_facilitator_invitation_workshop_id_workshop'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_facilitator_invitation')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_facilitator_invitation_token_hash'))
    )
    op.create_index(op.f('ix_facilitator_invitation_workshop_id'), 'facilitator_invitation', ['workshop_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_facilitator_invitation_workshop_id'), table_name='facilitator_invitation')
    op.drop_table('facilitator_invitation')
    op.drop_index(op.f('ix_workshop_facilitator_account_id'), table_name='workshop_facilitator')
    op.drop_table('workshop_facilitator')
    op.drop_table('facilitator_account')
    # ALTER TABLE … DROP COLUMN (SQLite 3.35+ too), never a batch copy of `workshop` (see upgrade).
    op.drop_column('workshop', 'archived_at')
    op.drop_column('workshop', 'ends_on')
    op.drop_column('workshop', 'starts_on')
