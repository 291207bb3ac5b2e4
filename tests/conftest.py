"""Shared fixtures: an in-process app for unit tests, the real server in a subprocess for the rest.

Under CI=true, tests that need a service (Chromium, PostgreSQL, Redis) fail instead of skipping.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from collab import create_app
from collab.db import make_engine, make_session_factory
from collab.migrate import upgrade

from .support.server import LiveServer

IN_CI = os.environ.get("CI") == "true"
POSTGRES_URL = os.environ.get("COLLAB_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("COLLAB_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
CHROMIUM = os.environ.get("COLLAB_TEST_CHROMIUM", "/usr/bin/chromium")


def need(available: bool, what: str) -> None:
    """Skip when `what` is missing on a developer's machine; fail under CI=true."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{what} is required under CI=true")
    pytest.skip(f"{what} is not available")


@pytest.fixture
def app(tmp_path: Path) -> Any:
    return create_app(
        {"INSTANCE_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'test.db'}",
         "ASYNC_MODE": "threading", "TESTING": True, "SECRET_KEY": "test"}
    )


@pytest.fixture
def client(app: Any) -> Any:
    return app.test_client()


@pytest.fixture
def sessions(tmp_path: Path) -> sessionmaker[Session]:
    """A migrated SQLite database and its session factory, with no Flask at all."""
    engine = make_engine(f"sqlite:///{tmp_path / 'sync.db'}")
    upgrade(engine)
    return make_session_factory(engine)


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The real eventlet server on SQLite, shared by the tests of one module."""
    server = LiveServer(tmp_path_factory.mktemp("live")).start()
    yield server
    server.stop()


@pytest.fixture
def make_server(tmp_path: Path) -> Iterator[Any]:
    """Start servers with extra settings; all are stopped at the end of the test."""
    servers: list[LiveServer] = []

    def start(env: dict[str, str] | None = None, instance_dir: Path | None = None) -> LiveServer:
        server = LiveServer(instance_dir or tmp_path / f"server{len(servers)}", env).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def chromium_path() -> str:
    need(shutil.which(CHROMIUM) is not None or Path(CHROMIUM).exists(), f"Chromium at {CHROMIUM}")
    return CHROMIUM


@contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """A new, empty PostgreSQL database as a plain `postgresql://` URL, dropped afterwards (skipped
    without PostgreSQL on a developer's machine, a failure under CI=true)."""
    try:
        import psycopg2

        admin = psycopg2.connect(POSTGRES_URL, connect_timeout=3)
    except Exception:  # noqa: BLE001 - any failure means "not available"
        need(False, f"PostgreSQL at {POSTGRES_URL}")
        raise
    admin.autocommit = True
    from sqlalchemy.engine import make_url

    name = f"collab_test_{uuid.uuid4().hex[:12]}"
    with admin.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for one test."""
    with fresh_postgres_database() as url:
        yield url


@pytest.fixture(scope="module")
def module_postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for the tests of one module."""
    with fresh_postgres_database() as url:
        yield url
