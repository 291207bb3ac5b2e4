"""Database engine and sessions, for SQLite (embedded default) and PostgreSQL (scale-out)."""

from __future__ import annotations

import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.orm import Session, sessionmaker


def normalise_url(url: str) -> URL:
    """Pick the driver: a plain `postgresql://` URL means psycopg2, which eventlet can green
    (SQLAlchemy 2.1 would otherwise choose psycopg 3, which blocks the hub)."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg2")
    return parsed


def make_engine(url: str) -> Engine:
    parsed = normalise_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(parsed, connect_args={"check_same_thread": False, "timeout": 10})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(parsed, pool_pre_ping=True, pool_size=10, max_overflow=20)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL: readers never block the writer. synchronous=NORMAL in WAL mode keeps every committed
    # transaction through a crash of the process (only a power cut may lose the last ones).
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


class WriteGate:
    """Serialises the writes of one process, per board (SYNC-3, SYNC-8).

    Held around a transaction *and* the broadcast that follows it, so that one process sends a
    board's events in seq order. With SQLite one lock covers every board: SQLite has one writer,
    and a writer that yields while another waits inside a transaction would stall the process.
    Otherwise a board id maps to one of a fixed set of locks: the same board always to the same
    lock, and no memory grows with the ids clients send.
    """

    STRIPES = 64

    def __init__(self, single_writer: bool) -> None:
        count = 1 if single_writer else self.STRIPES
        self._locks = [threading.Lock() for _ in range(count)]

    @contextmanager
    def board(self, board_id: str) -> Iterator[None]:
        with self._locks[zlib.crc32(board_id.encode()) % len(self._locks)]:
            yield
