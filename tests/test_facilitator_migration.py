"""Migration 0005 (facilitator accounts, workshop dates and archiving) on SQLite and PostgreSQL:
upgrade and downgrade keep every existing row (on SQLite no table that others reference is copied
and dropped, which with foreign keys on would cascade), and the schema matches the models."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from collab.db import make_engine
from collab.migrate import alembic_config, upgrade
from collab.models import Base

NEW_TABLES = {"facilitator_account", "workshop_facilitator", "facilitator_invitation"}
NEW_COLUMNS = {"starts_on", "ends_on", "archived_at"}


def downgrade(engine: Engine, revision: str) -> None:
    with engine.begin() as connection:
        config = alembic_config(engine)
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def seed(engine: Engine) -> None:
    """A workshop with a group, board, participant and card, as 0004 knows them."""
    with engine.begin() as db:
        db.execute(text("INSERT INTO workshop (id, title, join_code, locale, created_at) "
                        "VALUES ('w1', 'Atelier', 'ABCDEF', 'fr', CURRENT_TIMESTAMP)"))
        db.execute(text('INSERT INTO "group" (id, workshop_id, name, colour, position) '
                        "VALUES ('g1', 'w1', 'Groupe 1', '#e76f51', 0)"))
        db.execute(text("INSERT INTO board (id, workshop_id, group_id, title, locked, template, zones, seq, "
                        "pruned_seq) VALUES ('b1', 'w1', 'g1', 'Groupe 1', false, 'territory', '[]', 0, 0)"))
        db.execute(text("INSERT INTO participant (id, workshop_id, group_id, name, role, token_hash, created_at) "
                        "VALUES ('p1', 'w1', 'g1', 'Camille', 'participant', 'h1', CURRENT_TIMESTAMP)"))
        db.execute(text("INSERT INTO card (id, board_id, author_id, author_name, text, kind, colour, zone, "
                        "position, actor, tags, reactions, version, deleted, created_at, updated_at) VALUES "
                        "('c1', 'b1', 'p1', 'Camille', 'Une note', 'note', 'yellow', 'inbox', 'a0', '', '[]', "
                        "'{}', 1, false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))


def rows(engine: Engine) -> tuple[int, ...]:
    with engine.connect() as db:
        counts = tuple(db.scalar(text(f'SELECT count(*) FROM "{t}"')) for t in
                       ("workshop", "group", "board", "participant", "card"))
        author = db.scalar(text("SELECT author_id FROM card WHERE id = 'c1'"))
    assert author == "p1"
    return counts


def check_round_trip(engine: Engine) -> None:
    upgrade(engine, "0004")
    seed(engine)
    upgrade(engine, "0005")
    schema = inspect(engine)
    assert NEW_TABLES <= set(schema.get_table_names())
    assert NEW_COLUMNS <= {c["name"] for c in schema.get_columns("workshop")}
    assert rows(engine) == (1, 1, 1, 1, 1)
    with engine.connect() as db:  # the 0005 tables and columns match the models
        context = MigrationContext.configure(db, opts={"compare_type": True})
        diff = [d for d in compare_metadata(context, Base.metadata)
                if any(name in str(d) for name in (*NEW_TABLES, *NEW_COLUMNS))]
    assert diff == []
    with engine.begin() as db:
        db.execute(text("INSERT INTO facilitator_account (id, email, name, password_hash, session_epoch, "
                        "created_at) VALUES ('a1', 'a@b.org', 'A', 'x', 0, CURRENT_TIMESTAMP)"))
        db.execute(text("INSERT INTO workshop_facilitator (workshop_id, account_id, participant_id, added_at) "
                        "VALUES ('w1', 'a1', 'p1', CURRENT_TIMESTAMP)"))
        db.execute(text("UPDATE workshop SET starts_on = '2030-11-13', archived_at = CURRENT_TIMESTAMP"))
    downgrade(engine, "0004")
    schema = inspect(engine)
    assert not NEW_TABLES & set(schema.get_table_names())
    assert not NEW_COLUMNS & {c["name"] for c in schema.get_columns("workshop")}
    assert rows(engine) == (1, 1, 1, 1, 1)
    upgrade(engine, "0005")  # and up again
    assert rows(engine) == (1, 1, 1, 1, 1)


def test_migration_0005_on_sqlite(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'm.db'}")  # foreign keys on, as the server runs it
    check_round_trip(engine)




@pytest.mark.postgres
def test_migration_0005_on_postgresql(postgres_url: str) -> None:
    engine = make_engine(postgres_url)
    try:
        check_round_trip(engine)
    finally:
        engine.dispose()
