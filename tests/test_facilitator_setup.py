"""The first run (docs/protocol.md, "First run"): the first facilitator account is made in the browser
with the setup key the command line prints; the setup closes once an account exists; the first
account manages the workshops made before it; the command line gives new workshops to the only
account (or `--owner`) and prints where the facilitator goes."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from collab.facilitator.setup import setup_key
from collab.models import FacilitatorAccount
from collab.workshops import create_workshop

from .support.server import ROOT
from .test_cli import assert_clean, cli
from .test_facilitator_accounts import FAC, PASSWORD, Console, csrf, error_code, make_account

ME = {"name": "Anne Animatrice", "email": "anne@example.org", "password": PASSWORD}


def key_of(app: Any) -> str:
    with app.app_context():
        return setup_key()


def post_setup(client: Any, body: dict[str, Any]) -> Any:
    return client.post(f"{FAC}/setup", json=body, headers={"X-CSRFToken": csrf(client)})


def test_the_first_account_is_made_with_the_setup_key_and_takes_the_unmanaged_workshops(app: Any) -> None:
    with app.extensions["collab"].sessions() as db:
        workshop_id = create_workshop(db, "Atelier CLI", 2, "fr").workshop.id
    client = app.test_client()
    page = client.get("/facilitator/setup")
    assert page.status_code == 200 and b"setup-form" in page.data
    # The sign-in page has nobody to sign in yet: it points to the setup page, `next` kept.
    login = client.get("/facilitator/login?next=/facilitator/w/x/console")
    assert login.status_code == 200 and b'id="first-run"' in login.data
    assert b'href="/facilitator/setup?next=/facilitator/w/x/console"' in login.data

    made = post_setup(client, {**ME, "key": key_of(app)})
    assert made.status_code == 200, made.json
    assert made.json["account"]["email"] == "anne@example.org"
    # The only workshop: straight to its console, signed in, managing it.
    assert made.json["next"] == f"/facilitator/w/{workshop_id}/console"
    assert client.get(made.json["next"]).status_code == 200
    assert client.get(f"{FAC}/workshops").json["workshops"][0]["id"] == workshop_id


def test_a_stranger_cannot_make_an_account_without_the_key(app: Any) -> None:
    client = app.test_client()
    for wrong in ("", "x", key_of(app)[:-1] + "A" if not key_of(app).endswith("A") else key_of(app)[:-1] + "B"):
        answer = post_setup(client, {**ME, "key": wrong})
        assert answer.status_code == 400 and error_code(answer) == "invalid"
    with app.extensions["collab"].sessions() as db:
        assert db.query(FacilitatorAccount).count() == 0
    # Wrong keys are counted like wrong passwords: after ten, even the right one waits.
    for _ in range(10):
        post_setup(client, {**ME, "key": "wrong-key-0000"})
    assert error_code(post_setup(client, {**ME, "key": key_of(app)})) == "rate_limited"


def test_the_setup_is_gone_once_an_account_exists(app: Any) -> None:
    make_account(app, "bruno@example.org")
    client = app.test_client()
    page = client.get("/facilitator/setup")
    assert page.status_code == 302 and page.location.startswith("/facilitator/login")
    # Not even with the right key: an instance with accounts cannot be taken over.
    answer = post_setup(client, {**ME, "key": key_of(app)})
    assert answer.status_code == 404 and error_code(answer) == "not_found"
    with app.extensions["collab"].sessions() as db:
        assert db.query(FacilitatorAccount).count() == 1
    login = client.get("/facilitator/login")
    assert login.status_code == 200 and b'id="first-run"' not in login.data


def test_the_setup_needs_the_csrf_token_and_valid_fields(app: Any) -> None:
    client = app.test_client()
    assert client.post(f"{FAC}/setup", json={**ME, "key": key_of(app)}).status_code in (400, 403)
    short = post_setup(client, {**ME, "password": "short", "key": key_of(app)})
    assert short.status_code == 400 and error_code(short) == "invalid"
    odd = post_setup(client, {**ME, "email": "no-at-sign", "key": key_of(app)})
    assert odd.status_code == 400
    # An outside `next` is never followed.
    made = post_setup(client, {**ME, "key": key_of(app), "next": "https://evil.example/"})
    assert made.status_code == 200 and made.json["next"] == "/facilitator/"


def test_the_claim_page_needs_an_account(app: Any) -> None:
    console = Console(app)
    stranger = app.test_client()
    answer = stranger.get("/facilitator/claim")
    assert answer.status_code == 302 and "/facilitator/login" in answer.location
    assert console.client.get("/facilitator/claim").status_code == 200


# ---- the command line -----------------------------------------------------------------------------


def make_facilitator(instance: Path, email: str, env: dict[str, str]) -> None:
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "collab", "create-facilitator", email,
                           "--password-stdin"], cwd=ROOT, input=PASSWORD + "\n", text=True, capture_output=True,
                          timeout=120, env={**os.environ, "COLLAB_INSTANCE_DIR": str(instance), **env})
    assert_clean(done)


def managers(instance: Path, workshop_id: str) -> list[str]:
    with sqlite3.connect(instance / "collab.db") as db:
        return [row[0] for row in db.execute(
            "SELECT a.email FROM workshop_facilitator f JOIN facilitator_account a ON a.id = f.account_id"
            " WHERE f.workshop_id = ?", (workshop_id,))]


def test_the_command_line_prints_where_the_facilitator_goes(tmp_path: Path) -> None:
    """No account: the setup link (also `setup-link`). The first account (here made on the command
    line) takes the workshops made before it; the next workshops are the only account's and print
    its console; with several accounts and no `--owner`, the one-click claim link."""
    env = {"COLLAB_SECRET_KEY": "cli-secret"}

    def create(*args: str) -> dict[str, Any]:
        done = cli(tmp_path, "collab", "create-workshop", *args, "--json", env=env)
        assert_clean(done)
        return json.loads(done.stdout)

    before = create("Avant")
    assert before["console_step"] == "setup" and before["owner"] is None
    assert "/facilitator/setup#key=" in before["console_url"]
    link = cli(tmp_path, "collab", "setup-link", env=env)
    assert_clean(link)
    assert link.stdout.strip() == before["console_url"]

    make_facilitator(tmp_path, "anne@example.org", env)
    assert managers(tmp_path, before["workshop_id"]) == ["anne@example.org"]
    after = create("Après")
    assert after["owner"] == "anne@example.org" and after["console_step"] == "console"
    assert after["console_url"].endswith(f"/facilitator/w/{after['workshop_id']}/console")
    assert cli(tmp_path, "collab", "setup-link", env=env).returncode == 1

    make_facilitator(tmp_path, "bruno@example.org", env)
    assert managers(tmp_path, before["workshop_id"]) == ["anne@example.org"]  # only the first account adopts
    nobody = create("Sans propriétaire")
    assert nobody["owner"] is None and nobody["console_step"] == "claim"
    assert nobody["console_url"].endswith(f"/facilitator/claim#token={nobody['facilitator_token']}")
    chosen = create("Pour Bruno", "--owner", "BRUNO@example.org")
    assert chosen["owner"] == "bruno@example.org" and managers(tmp_path, chosen["workshop_id"]) == ["bruno@example.org"]
    unknown = cli(tmp_path, "collab", "create-workshop", "X", "--owner", "nobody@example.org", env=env)
    assert unknown.returncode == 1 and "nobody@example.org" in unknown.stderr and "Traceback" not in unknown.stderr
