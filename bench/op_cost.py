"""What one op costs the server, without sockets: Collab's op pipeline in a tight loop.

    .venv/bin/python bench/op_cost.py [--ops 2000]

Builds the app on a temporary SQLite database (the same engine settings as the server), creates a
workshop and a participant, then applies `card.create` ops through `collab.sync.pipeline.apply_op`
(what the socket handler calls, minus rate limit, gate and broadcast) and reports the time per op,
split into time inside the sqlite3 driver (cursor execute, measured with SQLAlchemy's cursor
events, and commit) and the rest (SQLAlchemy ORM, validation, building the event). Under eventlet all of it
blocks the hub: no frame goes out to any client while an op is in here. Single-threaded, no
network. It uses Collab's internal API, so it follows that API's changes.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ops", type=int, default=2000)
    ap.add_argument("--text-size", type=int, default=80)
    args = ap.parse_args()
    if not 1 <= args.ops <= 100_000:
        ap.error("--ops must be in [1, 100000]")

    tmp = tempfile.mkdtemp(prefix="collab-opcost-")
    os.environ.update(
        {
            "COLLAB_DATABASE_URL": f"sqlite:///{tmp}/opcost.db",
            "COLLAB_INSTANCE_DIR": f"{tmp}/instance",
            "COLLAB_SECRET_KEY": "bench-not-secret",
            "COLLAB_OP_RATE_LIMIT": "off",
            "COLLAB_MAX_CONNECTIONS_PER_ADDRESS": "0",  # every client comes from 127.0.0.1
        }
    )
    from sqlalchemy import event

    from collab import create_app
    from collab.services import services
    from collab.sync.access import Actor
    from collab.sync.pipeline import apply_op
    from collab.workshops import create_workshop, join

    app = create_app({"ASYNC_MODE": "threading"})
    driver_s = [0.0]
    commit_s = [0.0]
    statements = [0]

    with app.app_context():
        svc = services()

        @event.listens_for(svc.engine, "before_cursor_execute")
        def _before(conn, cursor, statement, parameters, context, executemany):
            conn.info["t0"] = time.perf_counter()

        @event.listens_for(svc.engine, "after_cursor_execute")
        def _after(conn, cursor, statement, parameters, context, executemany):
            driver_s[0] += time.perf_counter() - conn.info.pop("t0")
            statements[0] += 1

        dialect = svc.engine.dialect
        do_commit = dialect.do_commit

        def timed_commit(dbapi_connection):
            t0 = time.perf_counter()
            do_commit(dbapi_connection)
            commit_s[0] += time.perf_counter() - t0

        dialect.do_commit = timed_commit

        with svc.sessions() as db:
            ws = create_workshop(db, "Bench", 1, "en").workshop
            board_id = ws.groups[0].board.id
            group_id = ws.groups[0].id
            actor = Actor.of(join(db, ws, "bench", group_id).participant)

        text = ("bench " * 400)[: args.text_size]
        warm = min(200, args.ops)
        times = []
        for i in range(warm + args.ops):
            if i == warm:
                driver_s[0], commit_s[0], statements[0] = 0.0, 0.0, 0
            raw = {"board_id": board_id, "op_id": f"opcost-{i:08d}", "type": "card.create", "data": {"text": text}}
            t0 = time.perf_counter()
            apply_op(svc.sessions, actor, raw)
            if i >= warm:
                times.append(time.perf_counter() - t0)

    n = len(times)
    total_ms = 1000 * sum(times) / n
    driver_ms = 1000 * (driver_s[0] + commit_s[0]) / n
    times.sort()
    print(f"{n} card.create ops through apply_op on SQLite (after {warm} warm-up ops)")
    print(
        f"  per op: mean {total_ms:.2f} ms, median {1000 * statistics.median(times):.2f} ms, "
        f"p99 {1000 * times[int(0.99 * (n - 1))]:.2f} ms"
    )
    print(f"  {statements[0] / n:.1f} SQL statements per op (plus BEGIN/COMMIT)")
    print(
        f"  inside the sqlite3 driver (execute + commit): {driver_ms:.2f} ms/op "
        f"(commit {1000 * commit_s[0] / n:.2f}); the rest (Python): {total_ms - driver_ms:.2f} ms/op"
    )
    print(f"  objects tracked by the garbage collector: {len(gc.get_objects())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
