"""Alembic migrations, run from code: at server start, from the CLI (`flask db ...`)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import Engine

from .db import deadline

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
PG_MIGRATION_LOCK = 7_203_114  # advisory lock: several processes may start at once


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    config = alembic_config(engine)
    # No request waits on a migration: no statement timeout (COLLAB_DB_TIMEOUT), here or while
    # waiting for another process's migration.
    with deadline(None), engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("SET LOCAL statement_timeout = 0"))
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_MIGRATION_LOCK})
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
