"""A rolling restart behind nginx (docs/deploy.md, "Updating"): one of the two Collab processes is
killed and started again while participants post through the proxy. Its clients reconnect through
nginx (to the other process while it is down), catch up with `board:join` + `since`, retry what was not
acknowledged with the same op_id, and no acknowledged op is lost or doubled."""

from __future__ import annotations

import threading
import uuid
from pathlib import Path

import pytest

from .conftest import REDIS_URL, need
from .support.deploy import (
    ProxyPeer,
    ProxyProcess,
    Site,
    TestCertificate,
    collab_processes,
    https_session,
    proxy_available,
    route_cookies,
)
from .support.server import LiveServer, wait_for

pytestmark = pytest.mark.live

OPS_PER_PEER = 25


class Writer:
    """One participant posting notes one after the other, as the outbox does: an op is sent again with
    the same op_id until it is acknowledged; after a reconnection the board is joined again from the
    last seq known (catch-up)."""

    def __init__(self, peer: ProxyPeer, board: str, name: str) -> None:
        self.peer = peer
        self.board = board
        self.name = name
        self.acked: dict[str, int] = {}  # op_id -> seq
        self.known: set[int] = set()  # seqs this client has seen: events, catch-ups, its own acks
        self.retries = 0
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _seen(self) -> set[int]:
        return self.known | set(self.peer.seqs(self.board))

    def _join(self) -> None:
        seen = self._seen()
        ack = self.peer.join(self.board, since=max(seen) if seen else None)
        assert ack["ok"], ack
        self.known |= {event["seq"] for event in ack.get("events", [])}
        if "cards" in ack:  # a snapshot: the board as of its seq, every event up to it included
            self.known |= set(range(1, ack["seq"] + 1))

    def _run(self) -> None:
        try:
            self._join()
            for n in range(OPS_PER_PEER):
                op_id = f"op-{uuid.uuid4().hex}"
                while True:
                    try:
                        ack = self.peer.op(self.board, data={"text": f"{self.name} {n}"}, op_id=op_id)
                    except Exception:  # noqa: BLE001 - a timeout or a dropped connection: send it again
                        ack = None
                    if ack and ack.get("ok"):
                        self.acked[op_id] = ack["seq"]
                        self.known.add(ack["seq"])
                        break
                    self.retries += 1
                    wait_for(lambda: self.peer.client.connected, 20, interval=0.05, message=f"{self.name} back")
                    try:
                        self._join()
                    except Exception:  # noqa: BLE001 - lost again: the loop waits for the next connection
                        pass
        except BaseException as err:  # noqa: BLE001 - reported by the test
            self.error = err


def test_a_rolling_restart_loses_and_doubles_nothing(tmp_path: Path, postgres_url: str) -> None:
    need(proxy_available("nginx"), "nginx (apt-get install nginx-light)")
    cert = TestCertificate(tmp_path / "tls")
    servers = collab_processes(tmp_path, postgres_url, REDIS_URL)
    proxy = ProxyProcess("nginx", tmp_path / "nginx", cert, [s.port for s in servers])
    restarted: LiveServer | None = None
    writers: list[Writer] = []
    try:
        proxy.start()
        site = Site(proxy, cert)
        routes = route_cookies(proxy, cert, servers, "collab_route")
        workshop = servers[0].create_workshop("Atelier en ligne", groups=1)
        board, group = workshop["groups"][0]["board_id"], workshop["groups"][0]["id"]
        for i in range(4):
            peer = ProxyPeer(site, site.join(workshop["join_code"], f"Personne {i}", group)["token"],
                             reconnection=True)
            peer.session.cookies.set("collab_route", routes[i % 2], domain="127.0.0.1", path="/")
            writers.append(Writer(peer.connect(), board, f"Personne {i}"))
        for writer in writers:
            writer.thread.start()
        wait_for(lambda: all(len(w.acked) >= 5 for w in writers), 30, message="the first notes")

        servers[1].kill()  # no goodbye: its clients' connections drop
        wait_for(lambda: all(len(w.acked) >= 10 for w in writers), 30, message="notes while one process is down")
        restarted = LiveServer(servers[1].instance_dir, servers[1].env, port=servers[1].port).start()

        for writer in writers:
            writer.thread.join(90)
            assert not writer.thread.is_alive(), f"{writer.name} is stuck"
            assert writer.error is None, writer.error
        moved = writers[1::2]
        assert all(w.peer.connects >= 2 for w in moved), [w.peer.connects for w in moved]  # reconnected
        assert sum(w.retries for w in moved) >= 1

        every = {seq for w in writers for seq in w.acked.values()}
        assert len(every) == 4 * OPS_PER_PEER  # one seq per acknowledged op
        for writer in writers:  # everyone caught up with everything
            wait_for(lambda w=writer: every <= w._seen(), 20, message=f"{writer.name} caught up")

        response = https_session(cert).get(f"{proxy.url}/api/v1/boards/{board}", timeout=10,
                                           headers={"Authorization": f"Bearer {workshop['facilitator_token']}"})
        response.raise_for_status()
        texts = sorted(card["text"] for card in response.json()["cards"])
        assert texts == sorted(f"Personne {i} {n}" for i in range(4) for n in range(OPS_PER_PEER))
    finally:
        for writer in writers:
            writer.peer.client.reconnection = False
            writer.peer.close()
        proxy.stop()
        if restarted:
            restarted.stop()
        for server in servers:
            server.stop()

