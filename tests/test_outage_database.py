"""A database that stops answering (packets dropped, not refused): every request gets a clear error in
bounded time, readiness says so, and service comes back by itself (docs/protocol.md, "Outages")."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from sqlalchemy.engine import make_url

from .support.peers import Room, make_op
from .support.proxy import BlackHoleProxy
from .support.server import wait_for

pytestmark = [pytest.mark.live, pytest.mark.postgres]
BOUND = 10  # seconds: every answer during the outage comes within this (COLLAB_DB_TIMEOUT=2)


@pytest.fixture
def proxied_database(postgres_url: str) -> Iterator[tuple[str, BlackHoleProxy]]:
    """A fresh PostgreSQL database, reached through a proxy that can black-hole the traffic."""
    real = make_url(postgres_url)
    proxy = BlackHoleProxy((real.host or "127.0.0.1", real.port or 5432))
    try:
        yield real.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False), proxy
    finally:
        proxy.close()


def _timed(action: Any) -> tuple[Any, float]:
    started = time.monotonic()
    result = action()
    return result, time.monotonic() - started


def test_a_silent_database_gets_clear_errors_in_bounded_time(
    make_server: Any, proxied_database: tuple[str, BlackHoleProxy]
) -> None:
    url, proxy = proxied_database
    server = make_server({"COLLAB_DATABASE_URL": url, "COLLAB_DB_TIMEOUT": "2"})
    room = Room(server)
    board = room.boards[0]
    person = room.person("Alice")
    peer = room.peer("Bruno")
    assert peer.join(board)["ok"]
    ready = requests.get(server.url + "/readyz", timeout=5)
    assert ready.status_code == 200 and ready.json() == {"ok": True, "database": "ok"}

    proxy.hold()
    try:
        ack, took = _timed(lambda: peer.call("op", make_op(board), timeout=BOUND + 5))
        assert ack["ok"] is False and ack["error"]["code"] == "unavailable" and took < BOUND, (ack, took)

        snapshot, took = _timed(lambda: room.rest(person["token"], f"/boards/{board}"))
        assert snapshot.status_code == 503 and took < BOUND, (snapshot.text, took)
        assert snapshot.json()["error"]["code"] == "unavailable" and snapshot.headers["Retry-After"]

        posted, took = _timed(lambda: requests.post(
            f"{server.url}/api/v1/boards/{board}/ops", json=make_op(board),
            headers={"Authorization": f"Bearer {person['token']}"}, timeout=BOUND + 5))
        assert posted.status_code == 503 and posted.headers["Retry-After"] and took < BOUND, (posted.text, took)

        joined, took = _timed(lambda: peer.call("board:join", {"board_id": board}, timeout=BOUND + 5))
        assert joined["ok"] is False and joined["error"]["code"] == "unavailable" and took < BOUND, (joined, took)

        ready, took = _timed(lambda: requests.get(server.url + "/readyz", timeout=BOUND + 5))
        assert ready.status_code == 503 and took < BOUND, (ready.text, took)
        assert ready.json()["ok"] is False and ready.json()["database"] != "ok"
        alive, took = _timed(lambda: requests.get(server.url + "/healthz", timeout=BOUND))
        assert alive.status_code == 200 and took < 1
    finally:
        proxy.release()

    # Back without a restart: the pool's broken connections are replaced.
    wait_for(lambda: requests.get(server.url + "/readyz", timeout=BOUND).status_code == 200, BOUND,
             message="ready again")
    assert peer.create(board, "après la panne")["ok"]
    assert peer.join(board)["ok"]
    assert room.rest(person["token"], f"/boards/{board}").status_code == 200
    room.close()
