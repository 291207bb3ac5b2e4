"""Prometheus metrics at /metrics (issue #12, "Operations"; collab/metrics.py): ops by type and result,
replays, op latency, fan-out, connections, uploads; summed over the processes that share
COLLAB_METRICS_DIR; the optional bearer token."""

from __future__ import annotations

import logging
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import requests
from prometheus_client.parser import text_string_to_metric_families

from .support.peers import Peer, Room, make_op
from .support.server import ROOT, LiveServer, wait_for

TOKEN = "metrics-Sc3ret"


def scrape(server: LiveServer, token: str | None = None) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """{(sample name, sorted labels): value} of the server's /metrics."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = requests.get(server.url + "/metrics", headers=headers, timeout=5)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("text/plain")
    samples = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples: dict[Any, float], name: str, **labels: str) -> float:
    """The sum of the samples of this name whose labels include `labels`."""
    return sum(v for (n, ls), v in samples.items() if n == name and set(labels.items()) <= set(ls))


def test_metrics_count_ops_replays_latency_fanout_and_connections(make_server: Any) -> None:
    server = make_server()
    room = Room(server, groups=1)
    board = room.boards[0]
    writer, reader = room.peer("Alice"), room.peer("Bob")
    writer.join(board)
    reader.join(board)
    first = writer.create(board)
    writer.create(board)
    retried = make_op(board, "card.create", {"text": "Encore"})
    assert writer.call("op", retried)["ok"] and writer.call("op", retried)["ok"]  # the outbox's retry
    refused = writer.op(board, "card.move", {"card_id": str(uuid.uuid4()), "zone_id": "nowhere"})
    assert not refused["ok"]
    reader.wait_seq(board, first["seq"] + 2)

    samples = scrape(server)
    assert value(samples, "collab_ops_total", type="card.create", result="ok") == 4
    assert value(samples, "collab_ops_total", type="card.move", result=refused["error"]["code"]) == 1
    assert value(samples, "collab_op_replays_total") == 1
    assert value(samples, "collab_op_duration_seconds_count") == 4
    events = value(samples, "collab_fanout_connections_count")
    assert events >= 3  # the three fresh events (and the retry's, should it be sent again)
    assert value(samples, "collab_fanout_connections_sum") == events  # each to the reader (not the writer)
    assert value(samples, "collab_fanout_seconds_count") == events
    assert value(samples, "collab_connections") == 2
    writer.close()
    wait_for(lambda: value(scrape(server), "collab_connections") == 1, message="a closed connection")


def test_an_upload_is_counted_by_result(make_server: Any) -> None:
    server = make_server()
    room = Room(server, groups=1)
    token = room.person("Alice")["token"]
    response = requests.post(server.url + "/api/v1/media", headers={"Authorization": f"Bearer {token}"},
                             files={"file": ("x.jpg", b"not a photo", "image/jpeg")}, timeout=5)
    assert response.status_code == 400, response.text
    assert value(scrape(server), "collab_uploads_total", result=response.json()["error"]["code"]) == 1


def test_a_bearer_token_protects_the_metrics(make_server: Any) -> None:
    server = make_server({"COLLAB_METRICS_TOKEN": TOKEN})
    assert requests.get(server.url + "/metrics", timeout=5).status_code == 401
    wrong = requests.get(server.url + "/metrics", headers={"Authorization": "Bearer nope"}, timeout=5)
    assert wrong.status_code == 401 and wrong.headers["WWW-Authenticate"] == "Bearer"
    assert wrong.json()["error"]["code"] == "unauthorized"
    assert ("collab_connections", ()) in scrape(server, TOKEN)


def test_processes_sharing_a_metrics_folder_sum_their_counters(make_server: Any, postgres_url: str,
                                                                tmp_path: Path) -> None:
    env = {"COLLAB_DATABASE_URL": postgres_url, "COLLAB_MESSAGE_QUEUE": "redis://127.0.0.1:6379/15",
           "COLLAB_METRICS_DIR": str(tmp_path / "metrics")}
    stale = tmp_path / "metrics" / "counter_999999999.db"  # a previous run's file: no process alive
    stale.parent.mkdir()
    stale.write_bytes(b"\0" * 8)
    first = make_server(env)
    assert not stale.exists()  # the first process emptied the folder
    second = make_server(env)
    room = Room(first, groups=1)
    board = room.boards[0]
    on_first = room.peer("Alice")
    on_second = Peer(second, room.person("Bob")["token"]).connect()
    room.peers.append(on_second)
    on_first.join(board)
    on_second.join(board)
    mine = on_first.create(board)
    on_second.create(board)
    ack = on_second.create(board)
    on_first.wait_seq(board, ack["seq"])
    on_second.wait_seq(board, mine["seq"])
    for server in (first, second):
        samples = scrape(server)
        assert value(samples, "collab_ops_total", type="card.create", result="ok") == 3
        assert value(samples, "collab_fanout_connections_count") == 6  # each event, on each process
        assert value(samples, "collab_fanout_connections_sum") == 3  # to the other writer
        assert value(samples, "collab_connections") == 2
        pids = {dict(labels)["pid"] for (name, labels) in samples if name == "collab_connections"}
        assert len(pids) == 2  # connections per process
    second.kill()  # its connection is no more (its counters stay in the sums)
    wait_for(lambda: value(scrape(first), "collab_connections") == 1, message="the killed process's gauge")
    assert value(scrape(first), "collab_ops_total", type="card.create", result="ok") == 3
    # A command (here: the app made and dropped, as `flask db upgrade` does) leaves no files there.
    command = [sys.executable, "-c", "from collab import create_app; create_app()"]
    subprocess.run(command, cwd=ROOT, env=first.env, check=True, capture_output=True, timeout=60)
    pids = {int(f.stem.rsplit("_", 1)[1]) for f in (tmp_path / "metrics").glob("*.db")}
    assert pids == {first.process.pid, second.process.pid}  # type: ignore[union-attr]
    assert not list((tmp_path / "metrics").glob(f"gauge_*_{second.process.pid}.db"))  # type: ignore[union-attr]


def test_internal_errors_are_counted(app: Any, caplog: Any, monkeypatch: Any) -> None:
    """An op answered `internal` and a 5xx answer count as server errors; the op error's line names
    no made-up board id of a client (one line, whatever it sent)."""
    from collab import mutations
    from collab.models import Participant
    from collab.sync.access import Actor

    from .test_api import join, make_workshop

    def broken(*args: Any) -> Any:
        raise RuntimeError("a bug")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.add_url_rule("/boom", "boom", lambda: broken())
    client = app.test_client()
    ws = make_workshop(app)
    participant_id = join(client, ws)["participant"]["id"]
    with app.extensions["collab"].sessions() as db:
        actor = Actor.of(db.get(Participant, participant_id))

    def errors(kind: str) -> float:
        samples = text_string_to_metric_families(client.get("/metrics").get_data(as_text=True))
        return sum(s.value for f in samples for s in f.samples
                   if s.name == "collab_errors_total" and s.labels["kind"] == kind)

    before_op, before_http = errors("op"), errors("http")
    monkeypatch.setattr(mutations, "apply_op", broken)
    caplog.set_level(logging.INFO, logger="collab.mutations")
    with app.test_request_context():
        answer = mutations.submit_op(actor, {"op_id": "op-1", "type": "card.create", "board_id": ws.boards[0],
                                             "data": {"text": "x"}})
        assert answer["error"]["code"] == "internal"
        assert not mutations.submit_op(actor, {"type": "card.create", "board_id": "b\nforged line"})["ok"]
    assert client.get("/boom").status_code == 500
    assert (errors("op"), errors("http")) == (before_op + 2, before_http + 1)
    lines = [r.getMessage() for r in caplog.records if r.name == "collab.mutations" and "op_error" in r.getMessage()]
    assert lines[0] == f"op_error type=card.create board={ws.boards[0]} code=internal actor={participant_id}"
    assert lines[1] == f"op_error type=card.create board=- code=internal actor={participant_id}"
