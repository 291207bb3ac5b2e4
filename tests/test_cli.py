"""The command line, as an operator runs it: `flask --app wsgi collab …` and `flask --app wsgi db …`
(README, "Command line")."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import requests

from .support.server import ROOT, LiveServer

TABLES = {"workshop", "group", "participant", "board", "card", "event", "alembic_version"}


def cli(instance: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `flask --app wsgi ARGS` with this instance folder, as the README shows."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("COLLAB_")}
    full_env.update({"COLLAB_INSTANCE_DIR": str(instance), **(env or {})})
    return subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=full_env,
                          capture_output=True, text=True, timeout=120)


def assert_clean(done: subprocess.CompletedProcess[str]) -> None:
    """Exit 0, and nothing alarming on stderr: no traceback, no eventlet (deprecation or monkey-patch)
    warning."""
    assert done.returncode == 0, (done.stdout, done.stderr)
    for word in ("Traceback", "eventlet", "Eventlet", "Warning", "monkey"):
        assert word not in done.stderr, done.stderr


def sqlite_tables(instance: Path) -> set[str]:
    with sqlite3.connect(instance / "collab.db") as db:
        return {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_create_workshop_json(tmp_path: Path) -> None:
    """`create-workshop TITLE --groups N --json` prints one JSON object: the workshop id, its join code
    and link, its groups with their boards, and the facilitator token and sign-in link."""
    done = cli(tmp_path, "collab", "create-workshop", "Les forces innovantes hors des métropoles", "--groups", "3",
               "--json")
    assert_clean(done)
    summary = json.loads(done.stdout)
    assert {"workshop_id", "join_code", "join_url", "groups", "facilitator_token"} <= set(summary)
    assert len(summary["join_code"]) == 6 and summary["join_code"].isalnum() and summary["join_code"].isupper()
    assert summary["join_url"].endswith(f"/j/{summary['join_code']}")
    assert [g["name"] for g in summary["groups"]] == ["Groupe 1", "Groupe 2", "Groupe 3"]
    assert all(set(g) == {"id", "name", "board_id"} for g in summary["groups"])
    assert len({g["board_id"] for g in summary["groups"]}) == 3
    if "facilitator_url" in summary:
        assert summary["facilitator_token"] in summary["facilitator_url"]


def test_create_workshop_output_works_against_the_server(tmp_path: Path) -> None:
    """What the CLI prints is usable: the join code joins through the API, the facilitator token
    authenticates as the facilitator of that workshop, and the board ids are its boards."""
    server = LiveServer(tmp_path).start()
    try:
        summary = server.create_workshop("Atelier CLI", groups=2)
        joined = server.join(summary["join_code"].lower(), "Camille", summary["groups"][1]["id"])
        assert joined["workshop"]["id"] == summary["workshop_id"]
        assert [g["board_id"] for g in joined["workshop"]["groups"]] == [g["board_id"] for g in summary["groups"]]
        facilitator = {"Authorization": f"Bearer {summary['facilitator_token']}"}
        me = requests.get(f"{server.url}/api/v1/me", headers=facilitator, timeout=10)
        assert me.status_code == 200 and me.json()["participant"]["role"] == "facilitator"
        assert me.json()["workshop"]["code"] == summary["join_code"]
        page = requests.get(summary["join_url"].replace("http://127.0.0.1:5000", server.url), timeout=10)
        assert page.status_code == 200
    finally:
        server.stop()


def test_create_workshop_in_english_and_with_a_public_url(tmp_path: Path) -> None:
    """`--locale en` names the groups in English; COLLAB_PUBLIC_URL is the base of the printed links."""
    done = cli(tmp_path, "collab", "create-workshop", "Field trip", "--groups", "2", "--locale", "en", "--json",
               env={"COLLAB_PUBLIC_URL": "https://collab.example.org/"})
    assert_clean(done)
    summary = json.loads(done.stdout)
    assert [g["name"] for g in summary["groups"]] == ["Group 1", "Group 2"]
    assert summary["join_url"] == f"https://collab.example.org/j/{summary['join_code']}"


def test_create_workshop_human_summary(tmp_path: Path) -> None:
    """Without `--json` the CLI prints a summary a person reads: the title, the code and the link."""
    done = cli(tmp_path, "collab", "create-workshop", "Atelier lisible", "--groups", "2")
    assert_clean(done)
    assert "Atelier lisible" in done.stdout
    code = next(line.split()[-1] for line in done.stdout.splitlines() if "/j/" in line).rsplit("/", 1)[-1]
    assert len(code) == 6 and code in done.stdout


def test_create_workshop_refuses_a_bad_group_count(tmp_path: Path) -> None:
    """A bad `--groups` (1 to 12) is a usage error (exit 2) with a message, not a traceback."""
    for groups in ("0", "13"):
        done = cli(tmp_path, "collab", "create-workshop", "X", "--groups", groups)
        assert done.returncode == 2
        assert "--groups" in done.stderr and "Traceback" not in done.stderr


def test_db_upgrade_on_a_fresh_instance(tmp_path: Path) -> None:
    """`db upgrade` creates the schema in a fresh instance folder (with automatic migration off, as in
    a deployment that migrates once), and running it again changes nothing."""
    off = {"COLLAB_AUTO_MIGRATE": "0"}
    assert not (tmp_path / "collab.db").exists() or not sqlite_tables(tmp_path) & TABLES
    done = cli(tmp_path, "db", "upgrade", env=off)
    assert_clean(done)
    assert "up to date" in done.stdout
    assert TABLES <= sqlite_tables(tmp_path)
    again = cli(tmp_path, "db", "upgrade", env=off)
    assert_clean(again)
    created = cli(tmp_path, "collab", "create-workshop", "Après migration", "--json", env=off)
    assert_clean(created)
    assert json.loads(created.stdout)["join_code"]




@pytest.mark.postgres
def test_db_upgrade_on_a_postgres_urlql_database(tmp_path: Path, postgres_url: str) -> None:
    """`db upgrade` with a plain `postgresql://` COLLAB_DATABASE_URL (the scale-out setup migrates once)."""
    env = {"COLLAB_AUTO_MIGRATE": "0", "COLLAB_DATABASE_URL": postgres_url}
    assert_clean(cli(tmp_path, "db", "upgrade", env=env))
    import psycopg2

    with psycopg2.connect(postgres_url) as connection, connection.cursor() as cur:
        cur.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
        assert TABLES <= {row[0] for row in cur.fetchall()}
    done = cli(tmp_path, "collab", "create-workshop", "Sur PostgreSQL", "--json", env=env)
    assert_clean(done)
    assert json.loads(done.stdout)["join_code"]


def test_demo_is_created_once(tmp_path: Path) -> None:
    """`collab demo` creates the demo workshop once and prints the same code the next time."""
    first = cli(tmp_path, "collab", "demo")
    second = cli(tmp_path, "collab", "demo")
    assert_clean(first)
    assert_clean(second)

    def code(out: str) -> Any:
        return next(line.split()[-1] for line in out.splitlines() if "/j/" in line).rsplit("/", 1)[-1]

    assert code(first.stdout) == code(second.stdout)
