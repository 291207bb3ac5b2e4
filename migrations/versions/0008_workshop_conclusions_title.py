"""workshop: the title of the closing presentation's conclusions slide, set by the facilitators

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 19:10:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0008'
down_revision: Union[str, None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # Plain ADD COLUMN, no batch: on SQLite a batch would copy and drop `workshop` (see 0005).
    # Nullable: backups made before it (which lack the column) still import.
    op.add_column('workshop', sa.Column('conclusions_title', sa.String(length=200), nullable=True))


def downgrade() -> None:
    op.drop_column('workshop', 'conclusions_title')
