"""The snapshot reads cards as Core rows (collab.sync.catchup, for speed): each card must look
exactly as card_dict makes it from the ORM object — what events carry — whatever its fields hold."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from collab.models import Card, Participant, Theme, Visit
from collab.sync.access import Actor
from collab.sync.catchup import snapshot
from collab.sync.wire import CARD_FIELDS, card_dict
from collab.workshops import create_workshop, join, workshop_dict


def test_snapshot_cards_are_card_dicts_in_order(sessions: sessionmaker[Session]) -> None:
    with sessions() as db:
        made = create_workshop(db, "Atelier", 1)
        group = workshop_dict(db, made.workshop)["groups"][0]
        alice = join(db, made.workshop, "Alice", group["id"]).participant
        board_id = group["board_id"]
        t0 = datetime(2017, 11, 16, 9, 30, tzinfo=UTC)
        visit = Visit(workshop_id=made.workshop.id, title="Le Creusot", starts_at=t0, ends_at=t0 + timedelta(hours=3))
        theme = Theme(id=str(uuid.uuid4()), board_id=board_id, title="Emploi", position="a0")
        db.add_all([visit, theme])
        db.flush()
        full = Card(
            id=str(uuid.uuid4()),
            board_id=board_id,
            author_id=alice.id,
            author_name="Alice",
            text="« Ici, tout le monde se connaît. »",
            kind="quote",
            colour="blue",
            zone="actors",
            position="a1",
            visit_id=visit.id,
            actor="Maire",
            tags=["sociale", "port"],
            theme_id=theme.id,
            reactions={"👍": [alice.id]},
            version=4,
            created_at=t0,
            updated_at=t0 + timedelta(microseconds=1),
        )
        plain = Card(
            id=str(uuid.uuid4()),
            board_id=board_id,
            author_id=None,
            author_name="Anonyme",
            text="a",
            position="a0",
            reactions=None,
            created_at=t0,
            updated_at=t0,
        )
        same_key = Card(
            id=str(uuid.uuid4()),
            board_id=board_id,
            author_name="B",
            text="b",
            position="a1",
            created_at=t0 - timedelta(days=1),
            updated_at=t0,
        )
        gone = Card(
            id=str(uuid.uuid4()),
            board_id=board_id,
            author_name="C",
            text="c",
            deleted=True,
            created_at=t0,
            updated_at=t0,
        )
        db.add_all([full, plain, same_key, gone])
        db.commit()
        expected = [card_dict(db.get(Card, c.id)) for c in (plain, same_key, full)]  # position, created_at, id
        reader = Actor.of(db.get(Participant, alice.id))

    with sessions() as db:
        cards = snapshot(db, reader, board_id)["cards"]
    assert cards == expected
    assert [list(c) for c in cards] == [list(CARD_FIELDS)] * 3
