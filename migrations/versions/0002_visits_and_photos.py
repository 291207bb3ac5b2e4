"""visits and photos

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 09:57:57.194624
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0002'
down_revision: Union[str, None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('visit',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('workshop_id', sa.String(length=36), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], name=op.f('fk_visit_workshop_id_workshop'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit'))
    )
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visit_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('media',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('workshop_id', sa.String(length=36), nullable=False),
    sa.Column('uploader_id', sa.String(length=36), nullable=True),
    sa.Column('file_name', sa.String(length=100), nullable=False),
    sa.Column('thumb_name', sa.String(length=100), nullable=False),
    sa.Column('content_type', sa.String(length=32), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['uploader_id'], ['participant.id'], name=op.f('fk_media_uploader_id_participant'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], name=op.f('fk_media_workshop_id_workshop'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_media'))
    )
    with op.batch_alter_table('media', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_media_workshop_id'), ['workshop_id'], unique=False)

    with op.batch_alter_table('card', schema=None) as batch_op:
        batch_op.add_column(sa.Column('visit_id', sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column('actor', sa.String(length=120), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('media_id', sa.String(length=36), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_card_media_id_media'), 'media', ['media_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_card_visit_id_visit'), 'visit', ['visit_id'], ['id'], ondelete='SET NULL')



def downgrade() -> None:
    with op.batch_alter_table('card', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_card_visit_id_visit'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_card_media_id_media'), type_='foreignkey')
        batch_op.drop_column('media_id')
        batch_op.drop_column('actor')
        batch_op.drop_column('visit_id')

    with op.batch_alter_table('media', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_media_workshop_id'))

    op.drop_table('media')
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visit_workshop_id'))

    op.drop_table('visit')
