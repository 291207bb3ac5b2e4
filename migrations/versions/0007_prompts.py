"""prompts: the opening word cloud and the closing bilan

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 13:05:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0007'
down_revision: Union[str, None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'prompt',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('workshop_id', sa.String(length=36), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('question', sa.String(length=200), nullable=False),
        sa.Column('config', sa.JSON(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], name=op.f('fk_prompt_workshop_id_workshop'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_prompt')),
    )
    op.create_index(op.f('ix_prompt_workshop_id'), 'prompt', ['workshop_id'], unique=False)
    op.create_table(
        'prompt_answer',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('prompt_id', sa.String(length=36), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('participant_id', sa.String(length=36), nullable=True),
        sa.Column('author_name', sa.String(length=60), nullable=False),
        sa.Column('data', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_prompt_answer_participant_id_participant'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['prompt_id'], ['prompt.id'], name=op.f('fk_prompt_answer_prompt_id_prompt'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_prompt_answer')),
    )
    op.create_index(op.f('ix_prompt_answer_prompt_id'), 'prompt_answer', ['prompt_id'], unique=False)
    op.create_table(
        'prompt_evaluated',
        sa.Column('prompt_id', sa.String(length=36), nullable=False),
        sa.Column('participant_id', sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_prompt_evaluated_participant_id_participant'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['prompt_id'], ['prompt.id'], name=op.f('fk_prompt_evaluated_prompt_id_prompt'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('prompt_id', 'participant_id', name=op.f('pk_prompt_evaluated')),
    )


def downgrade() -> None:
    op.drop_table('prompt_evaluated')
    op.drop_index(op.f('ix_prompt_answer_prompt_id'), table_name='prompt_answer')
    op.drop_table('prompt_answer')
    op.drop_index(op.f('ix_prompt_workshop_id'), table_name='prompt')
    op.drop_table('prompt')
