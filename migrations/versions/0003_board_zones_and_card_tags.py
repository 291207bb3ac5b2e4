"""board zones and card tags

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 10:47:40.858213
"""
from typing import Sequence, Union

import json

from alembic import op
import sqlalchemy as sa


revision: str = '0003'
down_revision: Union[str, None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


# The "territory" template's zones as they were when this migration was written (a migration must not
# depend on application code that changes later).
TERRITORY = {
    "fr": ["Boîte de réception", "Acteurs", "Ressources", "Forces motrices", "Résistances",
           "Attentes des parties prenantes", "Potentiels d'innovation"],
    "en": ["Inbox", "Actors", "Resources", "Driving forces", "Resistances", "Stakeholders' expectations",
           "Innovation potential"],
}
ZONE_IDS = ["inbox", "actors", "resources", "drivers", "resistances", "expectations", "innovation"]


def upgrade() -> None:
    with op.batch_alter_table('board', schema=None) as batch_op:
        batch_op.add_column(sa.Column('template', sa.String(length=32), nullable=False, server_default='territory'))
        batch_op.add_column(sa.Column('zones', sa.JSON(), nullable=False, server_default='[]'))

    with op.batch_alter_table('card', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tags', sa.JSON(), nullable=False, server_default='[]'))

    # Boards made before templates existed get the default template, in their workshop's language.
    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT board.id, workshop.locale FROM board JOIN workshop ON workshop.id = board.workshop_id"
    )).fetchall()
    for board_id, locale in rows:
        titles = TERRITORY.get(locale, TERRITORY["fr"])
        zones = [{"id": zone_id, "title": title} for zone_id, title in zip(ZONE_IDS, titles)]
        bind.execute(sa.text("UPDATE board SET zones = :zones WHERE id = :id"),
                     {"zones": json.dumps(zones), "id": board_id})


def downgrade() -> None:
    with op.batch_alter_table('card', schema=None) as batch_op:
        batch_op.drop_column('tags')

    with op.batch_alter_table('board', schema=None) as batch_op:
        batch_op.drop_column('zones')
        batch_op.drop_column('template')

