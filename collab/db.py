"""Database engine and sessions, for SQLite (embedded default) and PostgreSQL (scale-out)."""

from __future__ import annotations

import math
import select
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, Engine, ExceptionContext, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from .sync.errors import unavailable


def normalise_url(url: str) -> URL:
    """Pick the driver: a plain `postgresql://` URL means psycopg2, which eventlet can green
    (SQLAlchemy 2.1 would otherwise choose psycopg 3, which blocks the hub)."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg2")
    return parsed


def make_engine(url: str, timeout: float = 5) -> Engine:
    """An engine whose requests never wait for ever: `timeout` (COLLAB_DB_TIMEOUT) seconds bound a
    connection, a statement and a wait for a pooled connection; past it, the request fails with
    `unavailable` (docs/protocol.md, "Outages")."""
    parsed = normalise_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(parsed, connect_args={"check_same_thread": False, "timeout": 10})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        _install_wait_callback(timeout)
        engine = create_engine(
            parsed,
            poolclass=_Pool,
            pool_pre_ping=True,
            pool_size=10,
            max_overflow=20,
            pool_timeout=timeout,
            connect_args=_postgres_timeouts(timeout),
        )
    event.listen(engine, "handle_error", _outage)
    return engine


def _postgres_timeouts(timeout: float) -> dict[str, Any]:
    """libpq settings: the server cancels a statement after `timeout` s; TCP keepalives and
    tcp_user_timeout notice a peer that went silent (packets dropped) while a connection idles or
    waits for an answer."""
    seconds = max(2, math.ceil(timeout))
    return {
        "connect_timeout": seconds,
        "options": f"-c statement_timeout={int(timeout * 1000)}",
        "keepalives": 1,
        "keepalives_idle": seconds,
        "keepalives_interval": max(1, seconds // 3),
        "keepalives_count": 3,
        "tcp_user_timeout": seconds * 1000,
    }


class _Pool(QueuePool):
    """Waiting too long for a pooled connection (every one busy) is an outage too."""

    def _do_get(self) -> Any:
        try:
            return super()._do_get()
        except sa_exc.TimeoutError as err:
            raise unavailable() from err


def _outage(context: ExceptionContext) -> BaseException | None:
    """SQLAlchemy's `handle_error`: a database that cannot be reached, is too slow (statement
    timeout), or is locked (SQLite) becomes `unavailable`. A failed pre-ping is left alone: the
    pool then reconnects, and only that failing becomes the error."""
    if context.is_pre_ping:
        return None
    original = context.original_exception
    if not isinstance(context.sqlalchemy_exception, sa_exc.OperationalError) and not context.is_disconnect:
        return None
    if context.dialect.name == "sqlite" and "locked" not in str(original) and "busy" not in str(original):
        return None  # SQLite also calls a missing table "operational": a bug, not an outage
    return unavailable()


# ---- a deadline on every wait for PostgreSQL ------------------------------------------------------
# libpq's own timeouts cover the connection and a silent network, but not a peer that accepts the
# bytes and never answers (a stuck proxy or server). psycopg2 lets a "wait callback" do the waiting
# (eventlet installs one to wait on its hub); this one waits on select() with a deadline, which
# eventlet and gevent make green and the threading mode runs as is.

_wait_seconds = {"default": 5.0}
_wait_local = threading.local()  # another deadline for one thread: readiness checks, migrations
_UNSET = object()


def _install_wait_callback(seconds: float) -> None:
    import psycopg2.extensions

    _wait_seconds["default"] = seconds
    psycopg2.extensions.set_wait_callback(_wait_with_deadline)


@contextmanager
def deadline(seconds: float | None) -> Iterator[None]:
    """Wait at most `seconds` (None: for ever) for PostgreSQL in this block, in this thread only."""
    previous = getattr(_wait_local, "seconds", _UNSET)
    _wait_local.seconds = seconds
    try:
        yield
    finally:
        _wait_local.seconds = previous


def _wait_with_deadline(connection: Any) -> None:
    import psycopg2
    import psycopg2.extensions as ext

    seconds = getattr(_wait_local, "seconds", _UNSET)
    if seconds is _UNSET:
        seconds = _wait_seconds["default"]
    until = None if seconds is None else time.monotonic() + seconds
    while True:
        state = connection.poll()
        if state == ext.POLL_OK:
            return
        remaining = None if until is None else until - time.monotonic()
        if remaining is not None and remaining <= 0:
            # The wording is one SQLAlchemy takes for a lost connection: it is thrown away.
            raise psycopg2.OperationalError(f"could not receive data from server: no answer within {seconds:g} s")
        fd = connection.fileno()
        if state == ext.POLL_READ:
            select.select([fd], [], [], remaining)
        elif state == ext.POLL_WRITE:
            select.select([], [fd], [], remaining)
        else:
            raise psycopg2.OperationalError(f"bad state from poll: {state}")


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
