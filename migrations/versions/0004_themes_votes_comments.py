"""themes, votes, comments, reactions; order keys for every card

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 12:30:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
from fractional_indexing import generate_n_keys_between


revision: str = '0004'
down_revision: Union[str, None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

ORDER_KEY = sa.String(length=64).with_variant(sa.String(length=64, collation='C'), 'postgresql')


def upgrade() -> None:
    op.create_table(
        'theme',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('board_id', sa.String(length=36), nullable=False),
        sa.Column('title', sa.String(length=120), nullable=False),
        sa.Column('synthesis', sa.Text(), nullable=False),
        sa.Column('colour', sa.String(length=16), nullable=False),
        sa.Column('position', ORDER_KEY, nullable=False),
        sa.Column('author_id', sa.String(length=36), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('deleted', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['author_id'], ['participant.id'], name=op.f('fk_theme_author_id_participant'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['board_id'], ['board.id'], name=op.f('fk_theme_board_id_board'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_theme')),
    )
    op.create_index(op.f('ix_theme_board_id'), 'theme', ['board_id'], unique=False)

    op.create_table(
        'vote',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('board_id', sa.String(length=36), nullable=False),
        sa.Column('dots', sa.Integer(), nullable=False),
        sa.Column('hidden', sa.Boolean(), nullable=False),
        sa.Column('revealed', sa.Boolean(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['board_id'], ['board.id'], name=op.f('fk_vote_board_id_board'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_vote')),
    )
    op.create_index(op.f('ix_vote_board_id'), 'vote', ['board_id'], unique=False)

    with op.batch_alter_table('card', schema=None) as batch_op:
        batch_op.add_column(sa.Column('theme_id', sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column('reactions', sa.JSON(), nullable=False, server_default='{}'))
        batch_op.create_foreign_key(batch_op.f('fk_card_theme_id_theme'), 'theme', ['theme_id'], ['id'], ondelete='SET NULL')
        batch_op.alter_column('position', type_=ORDER_KEY, existing_type=sa.String(length=64), existing_nullable=False)

    op.create_table(
        'comment',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('board_id', sa.String(length=36), nullable=False),
        sa.Column('card_id', sa.String(length=36), nullable=False),
        sa.Column('parent_id', sa.String(length=36), nullable=True),
        sa.Column('author_id', sa.String(length=36), nullable=True),
        sa.Column('author_name', sa.String(length=60), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('deleted', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['author_id'], ['participant.id'], name=op.f('fk_comment_author_id_participant'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['board_id'], ['board.id'], name=op.f('fk_comment_board_id_board'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['card_id'], ['card.id'], name=op.f('fk_comment_card_id_card'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['parent_id'], ['comment.id'], name=op.f('fk_comment_parent_id_comment'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_comment')),
    )
    op.create_index(op.f('ix_comment_board_id'), 'comment', ['board_id'], unique=False)
    op.create_index(op.f('ix_comment_card_id'), 'comment', ['card_id'], unique=False)

    op.create_table(
        'vote_dot',
        sa.Column('vote_id', sa.String(length=36), nullable=False),
        sa.Column('participant_id', sa.String(length=36), nullable=False),
        sa.Column('card_id', sa.String(length=36), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['card_id'], ['card.id'], name=op.f('fk_vote_dot_card_id_card'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_vote_dot_participant_id_participant'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['vote_id'], ['vote.id'], name=op.f('fk_vote_dot_vote_id_vote'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('vote_id', 'participant_id', 'card_id', name=op.f('pk_vote_dot')),
    )

    _give_cards_order_keys()


def _give_cards_order_keys() -> None:
    """Every card gets a fractional order key in its zone, in the order the board showed them."""
    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT id, board_id, zone FROM card ORDER BY board_id, zone, position, created_at, id"
    )).fetchall()
    by_zone: dict[tuple[str, str], list[str]] = {}
    for card_id, board_id, zone in rows:
        by_zone.setdefault((board_id, zone), []).append(card_id)
    for ids in by_zone.values():
        for card_id, key in zip(ids, generate_n_keys_between(None, None, len(ids))):
            bind.execute(sa.text("UPDATE card SET position = :key WHERE id = :id"), {"key": key, "id": card_id})


def downgrade() -> None:
    op.drop_table('vote_dot')
    op.drop_index(op.f('ix_comment_card_id'), table_name='comment')
    op.drop_index(op.f('ix_comment_board_id'), table_name='comment')
    op.drop_table('comment')
    with op.batch_alter_table('card', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_card_theme_id_theme'), type_='foreignkey')
        batch_op.alter_column('position', type_=sa.String(length=64), existing_type=ORDER_KEY, existing_nullable=False)
        batch_op.drop_column('reactions')
        batch_op.drop_column('theme_id')
    op.drop_index(op.f('ix_vote_board_id'), table_name='vote')
    op.drop_table('vote')
    op.drop_index(op.f('ix_theme_board_id'), table_name='theme')
    op.drop_table('theme')
