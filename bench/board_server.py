"""The Collab server of the board budget benchmark (bench/board_budget.py): exported from a commit
(or the work tree), started as users run it (`python wsgi.py`, eventlet) on 127.0.0.1, on SQLite or
on a private schema of a PostgreSQL database, and a group board filled through the op pipeline.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import requests
from board_cards import board_cards

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PY = ROOT / ".venv" / "bin" / "python"
MEMBERS = ("Camille", "Mehdi", "Louise", "Yann", "Aïcha")  # the group: the authors of the cards
VISITS = (
    (0, 14, "Chalon-sur-Saône — accueil et cadrage", "Chalon-sur-Saône"),
    (1, 8, "Le Creusot — Industeel et la métallurgie", "Le Creusot"),
    (1, 14, "Montceau-les-Mines — reconversion du bassin minier", "Montceau-les-Mines"),
    (2, 9, "Communauté urbaine Creusot-Montceau", "Le Creusot"),
    (2, 14, "Tiers-lieu et entreprises de l'essaimage", "Montceau-les-Mines"),
    (28, 14, "Sète — le port et la filière conchylicole", "Sète"),
    (29, 9, "Port-la-Nouvelle — transition énergétique du port", "Port-la-Nouvelle"),
    (29, 15, "Coopérative agricole des Corbières", "Lézignan-Corbières"),
)


def log(msg: str) -> None:
    print(f"[board-budget {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def export_app(rev: str, workdir: Path) -> Path:
    """The app to measure: `worktree`, or a commit exported with `git archive` (a half-edited work
    tree cannot break a run), with the work tree's generated files (vendored JS, compiled catalogs)
    and the pages' bundles made from it."""
    if rev == "worktree":
        return ROOT
    app = workdir / "app"
    app.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", rev], capture_output=True, timeout=120)
    if archive.returncode != 0:
        raise SystemExit(f"git archive {rev}: {archive.stderr.decode(errors='replace').strip()}")
    subprocess.run(["tar", "-x", "-C", str(app)], input=archive.stdout, check=True, timeout=120)
    shutil.copytree(ROOT / "static" / "vendor", app / "static" / "vendor", dirs_exist_ok=True)
    if (app / "static" / "build-bundles.mjs").exists():  # the pages' bundles, as setup makes them
        (app / "node_modules").symlink_to(ROOT / "node_modules")
        subprocess.run(["node", "static/build-bundles.mjs"], cwd=app, check=True, timeout=120)
    for mo in (ROOT / "translations").glob("*/LC_MESSAGES/*.mo"):
        target = app / mo.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(mo, target)
    return app


class PgSchema:
    """A private schema in the shared PostgreSQL database, dropped at the end: other people's
    tests use the same database."""

    def __init__(self, url: str) -> None:
        import psycopg2  # only needed with --database-url

        self.name = f"board_budget_{os.getpid()}"
        self.base_url = url
        self.conn = psycopg2.connect(url.replace("postgresql+psycopg2://", "postgresql://"))
        self.conn.autocommit = True
        with self.conn.cursor() as cur:
            cur.execute(f'CREATE SCHEMA "{self.name}"')

    @property
    def url(self) -> str:
        sep = "&" if "?" in self.base_url else "?"
        return f"{self.base_url}{sep}options={quote(f'-csearch_path={self.name}')}"

    def drop(self) -> None:
        with self.conn.cursor() as cur:
            cur.execute(f'DROP SCHEMA IF EXISTS "{self.name}" CASCADE')
        self.conn.close()


class Server:
    """`python wsgi.py` on a free 127.0.0.1 port, stopped by its own pid."""

    def __init__(self, app_dir: Path, workdir: Path, database_url: str | None, port: int) -> None:
        self.app_dir = app_dir
        self.workdir = workdir
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.logfile = workdir / "server.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self.env = {
            **os.environ,
            "COLLAB_DATABASE_URL": database_url or f"sqlite:///{workdir / 'board.db'}",
            "COLLAB_INSTANCE_DIR": str(workdir / "instance"),
            "COLLAB_SECRET_KEY": "bench-not-secret",
            "COLLAB_HOST": "127.0.0.1",
            "COLLAB_PORT": str(port),
            "COLLAB_OP_RATE_LIMIT": "off",
            "COLLAB_MAX_CONNECTIONS_PER_ADDRESS": "0",  # every client comes from 127.0.0.1
            "PYTHONUNBUFFERED": "1",
        }
        self.env.pop("COLLAB_MESSAGE_QUEUE", None)

    def cli(self, *args: str) -> str:
        done = subprocess.run(
            [str(PY), "-m", "flask", "--app", "wsgi", *args],
            cwd=self.app_dir,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if done.returncode != 0:
            raise RuntimeError(f"flask {' '.join(args)}: {done.stderr.strip()[-2000:]}")
        return done.stdout

    def start(self, timeout: float = 40.0) -> None:
        self.proc = subprocess.Popen(
            [str(PY), "wsgi.py"],
            cwd=self.app_dir,
            env=self.env,
            stdout=self.logfile.open("wb"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}: {self.logfile.read_text()[-2000:]}")
            try:
                if requests.get(self.url + "/healthz", timeout=1).ok:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"server not ready after {timeout}s")

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)


def bearer(token: str) -> requests.Session:
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    return session


def seed_board(server: Server, count: int) -> dict[str, Any]:
    """A workshop; visits (facilitator, REST); five members of group 1; `count` cards created by
    them through the op pipeline (`POST /api/v1/boards/<id>/ops`, one op per card), as the board
    would get them in a workshop, so that the board's event log holds them too."""
    workshop = json.loads(
        server.cli("collab", "create-workshop", "Atelier — budget 2 000 cartes", "--groups", "4", "--json")
    )
    group = workshop["groups"][0]
    facilitator = bearer(workshop["facilitator_token"])
    first_day = datetime(2017, 11, 15, tzinfo=UTC)
    visit_ids = []
    for day, hour, title, place in VISITS:
        start = first_day + timedelta(days=day, hours=hour - 1)
        body = {
            "title": title,
            "place": place,
            "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=3)).isoformat(),
        }
        response = facilitator.post(server.url + "/api/v1/visits", json=body, timeout=10)
        response.raise_for_status()
        visit_ids.append(response.json()["id"])
    members = []
    for name in MEMBERS:
        response = requests.post(
            server.url + "/api/v1/join",
            json={"code": workshop["join_code"], "name": name, "group": group["id"]},
            timeout=10,
        )
        response.raise_for_status()
        members.append(response.json()["token"])
    authors = [bearer(token) for token in members]
    cards = board_cards(count, visit_ids)
    board_id = group["board_id"]
    started = time.perf_counter()
    for index, data in enumerate(cards):
        op = {"board_id": board_id, "op_id": f"seed-{uuid.uuid4().hex}", "type": "card.create", "data": data}
        response = authors[index % len(authors)].post(f"{server.url}/api/v1/boards/{board_id}/ops", json=op, timeout=30)
        if response.status_code != 200:
            raise RuntimeError(f"card {index}: {response.status_code} {response.text[:500]}")
        if index and index % 500 == 0:
            log(f"  {index} cards")
    seconds = time.perf_counter() - started
    return {
        "workshop": workshop,
        "board_id": board_id,
        "group_id": group["id"],
        "member_tokens": members,
        "visit_ids": visit_ids,
        "cards": cards,
        "seed_seconds": round(seconds, 1),
        "seed_ms_per_op": round(seconds * 1000 / max(1, count), 2),
    }


def temp_workdir() -> Path:
    return Path(tempfile.mkdtemp(prefix="collab-board-budget-"))
