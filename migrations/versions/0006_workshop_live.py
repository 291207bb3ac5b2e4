"""workshop live controls (timer, announcement, hidden groups)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 13:30:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0006'
down_revision: Union[str, None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'workshop_live',
        sa.Column('workshop_id', sa.String(length=36), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('state', sa.JSON(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], name=op.f('fk_workshop_live_workshop_id_workshop'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('workshop_id', name=op.f('pk_workshop_live')),
    )


def downgrade() -> None:
    op.drop_table('workshop_live')
