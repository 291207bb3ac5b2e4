"""Workshop backup and import (docs/protocol.md, "Exports and backup"): export, import into an empty
database, export again → the same file but for `exported_at`; on SQLite and PostgreSQL; refusals."""

from __future__ import annotations

import io
import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from collab import create_app
from collab.models import Media, Workshop

from .test_cli import assert_clean, cli
from .test_exports import Atelier, build_atelier, jpeg


def make_app(instance: Path, database_url: str | None = None) -> Any:
    return create_app({"INSTANCE_DIR": str(instance), "ASYNC_MODE": "threading", "TESTING": True,
                       "SECRET_KEY": "test", "DATABASE_URL": database_url or f"sqlite:///{instance / 'test.db'}"})


def backup_of(client: Any, workshop_id: str, token: str) -> bytes:
    response = client.get(f"/api/v1/workshops/{workshop_id}/backup.json", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].endswith('-sauvegarde.json"')
    return response.get_data()


def without_time(backup: bytes) -> dict[str, Any]:
    """The backup's content but for the one field documented to differ between exports."""
    doc = json.loads(backup)
    del doc["exported_at"]
    return doc


def same_but_export_time(first: bytes, second: bytes) -> None:
    one, two = first.decode().splitlines(), second.decode().splitlines()
    assert len(one) == len(two)
    differing = [(a, b) for a, b in zip(one, two, strict=True) if a != b]
    assert len(differing) == 1 and '"exported_at"' in differing[0][0], differing[:3]  # byte for byte otherwise


def count(app: Any, model: Any) -> int:
    with app.extensions["collab"].sessions() as db:
        return db.scalar(select(func.count()).select_from(model))


def run_cli(app: Any, *args: str) -> Any:
    """A `flask collab …` command in this process (the flask command pushes the app context itself)."""
    with app.app_context():
        return app.test_cli_runner().invoke(args=["collab", *args])


def import_cli(app: Any, path: Path) -> dict[str, Any]:
    result = run_cli(app, "import-backup", "--json", str(path))
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.fixture
def atelier(app: Any, client: Any) -> Atelier:
    return build_atelier(client, app.extensions["collab"].sessions)


@pytest.fixture
def backup(atelier: Atelier) -> bytes:
    return backup_of(atelier.client, atelier.workshop_id, atelier.facilitator_token)


def test_backup_holds_every_table_with_photos_and_a_version(atelier: Atelier, backup: bytes) -> None:
    doc = json.loads(backup)
    assert list(doc)[:4] == ["format", "version", "exported_at", "workshop_id"]
    assert (doc["format"], doc["version"], doc["workshop_id"]) == ("collab-workshop-backup", 1, atelier.workshop_id)
    tables = doc["tables"]
    assert list(tables) == ["workshop", "group", "visit", "participant", "media", "board", "theme", "card",
                            "comment", "vote", "vote_dot", "event", "prompt", "prompt_answer", "prompt_evaluated"]
    assert len(tables["card"]) == 6 and any(c["deleted"] for c in tables["card"])  # the bin is kept too
    assert len(tables["theme"]) == 3 and len(tables["comment"]) == 2 and len(tables["vote"]) == 2
    (media,) = tables["media"]
    assert "file_name" not in media and media["file"] and media["thumb"]
    assert all("id" not in e for e in tables["event"])
    assert [e["seq"] for e in tables["event"] if e["board_id"] == atelier.boards[0]] == list(
        range(1, 1 + sum(e["board_id"] == atelier.boards[0] for e in tables["event"])))


def test_round_trip_into_an_empty_sqlite_database_is_identical(app: Any, atelier: Atelier, backup: bytes,
                                                               tmp_path: Path) -> None:
    path = tmp_path / "sauvegarde.json"
    path.write_bytes(backup)
    fresh = make_app(tmp_path / "fresh")
    assert count(fresh, Workshop) == 0
    summary = import_cli(fresh, path)
    assert (summary["workshop_id"], summary["join_code"], summary["code_changed"]) == (
        atelier.workshop_id, atelier.code, False)
    # The facilitator's access key still works: tokens are kept hashed in the backup.
    again = backup_of(fresh.test_client(), atelier.workshop_id, atelier.facilitator_token)
    same_but_export_time(backup, again)
    with app.extensions["collab"].sessions() as db_a, fresh.extensions["collab"].sessions() as db_b:
        media_a, media_b = db_a.get(Media, atelier.media_id), db_b.get(Media, atelier.media_id)
        assert media_a.file_name != media_b.file_name  # new names on disk, same bytes
        for attribute in ("file_name", "thumb_name"):
            a = Path(app.config["MEDIA_DIR"]) / atelier.workshop_id / getattr(media_a, attribute)
            b = Path(fresh.config["MEDIA_DIR"]) / atelier.workshop_id / getattr(media_b, attribute)
            assert a.read_bytes() == b.read_bytes()
    # The restored server serves the workshop as the first did: its report, its photo, its boards.
    client = fresh.test_client()
    headers = {"Authorization": f"Bearer {atelier.tokens['Alice']}"}
    assert client.get(f"/api/v1/media/{atelier.media_id}", headers=headers).status_code == 200
    snap = client.get(f"/api/v1/boards/{atelier.boards[0]}", headers=headers).get_json()
    assert snap["seq"] > 0 and len(snap["cards"]) == 4 and snap["vote"]["tally"] == {
        atelier.ids["photo"]: 3, atelier.ids["quote"]: 1}
    report = client.get(f"/api/v1/workshops/{atelier.workshop_id}/report.md",
                        headers={"Authorization": f"Bearer {atelier.facilitator_token}"})
    assert "Reconversion des friches — 4 points" in report.get_data(as_text=True)


def test_import_over_http_as_a_file_or_a_json_body(tmp_path: Path, atelier: Atelier, backup: bytes) -> None:
    for how in ("file", "json", "page"):
        server = make_app(tmp_path / how)
        with server.extensions["collab"].sessions() as db:
            from collab.workshops import create_workshop

            token = create_workshop(db, "Hôte", 1).token
        client = server.test_client()
        headers = {"Authorization": f"Bearer {token}"}
        if how == "page":  # a browser's form: the answer is a page
            response = client.post("/api/v1/workshops/import", headers={**headers, "Accept": "text/html"},
                                   data={"file": (io.BytesIO(backup), "sauvegarde.json")},
                                   content_type="multipart/form-data")
            assert response.status_code == 201 and response.mimetype == "text/html"
            page = response.get_data(as_text=True)
            assert "Atelier importé" in page and atelier.code in page
            assert f'href="/facilitator/w/{atelier.workshop_id}"' in page
            continue
        if how == "file":
            response = client.post("/api/v1/workshops/import", headers=headers,
                                   data={"file": (io.BytesIO(backup), "sauvegarde.json")},
                                   content_type="multipart/form-data")
        else:
            response = client.post("/api/v1/workshops/import", headers=headers, data=backup,
                                   content_type="application/json")
        assert response.status_code == 201, response.get_json()
        body = response.get_json()
        assert body["workshop"]["title"] == "Atelier « Territoires » : forces innovantes"
        assert body["counts"]["card"] == 6 and body["counts"]["media"] == 1 and body["code_changed"] is False
        same_but_export_time(backup, backup_of(client, body["workshop"]["id"], atelier.facilitator_token))


def test_importing_twice_or_a_wrong_file_is_refused_with_a_clear_message(app: Any, atelier: Atelier,
                                                                           backup: bytes) -> None:
    def post(body: bytes, token: str | None = None) -> Any:
        return atelier.client.post("/api/v1/workshops/import",
                                   headers={"Authorization": f"Bearer {token or atelier.facilitator_token}",
                                            "Accept-Language": "en"},
                                   data=body, content_type="application/json")

    already = post(backup)
    assert already.status_code == 409 and already.get_json()["error"]["code"] == "conflict"
    assert "déjà sur ce serveur" in already.get_json()["error"]["message"]  # in the workshop's language
    doc = json.loads(backup)
    assert post(json.dumps({**doc, "version": 2}).encode()).get_json()["error"]["message"].startswith(
        "Cette sauvegarde a été faite par une version plus récente de Collab (format 2)")
    assert post(json.dumps({**doc, "format": "autre"}).encode()).status_code == 400
    assert post(b"{pas du json").get_json()["error"]["message"].startswith("Ce fichier n’est pas une sauvegarde")
    broken = json.loads(backup)
    broken["tables"]["card"][0]["visit_id"] = str(uuid.uuid4())
    message = post(json.dumps(broken).encode()).get_json()["error"]["message"]
    assert "incohérente" in message and "visit" in message
    wrong_type = json.loads(backup)
    wrong_type["tables"]["card"][0]["version"] = "2"
    assert "card" in post(json.dumps(wrong_type).encode()).get_json()["error"]["message"]
    assert post(backup, atelier.tokens["Alice"]).status_code == 403
    assert atelier.client.post("/api/v1/workshops/import", data=backup,
                               content_type="application/json").status_code == 401
    assert count(app, Workshop) == 1


def test_a_failed_import_writes_nothing_and_a_taken_code_gets_a_new_one(tmp_path: Path, backup: bytes) -> None:
    server = make_app(tmp_path / "other")
    with server.extensions["collab"].sessions() as db:
        from collab.workshops import create_workshop

        host = create_workshop(db, "Hôte", 1)
        host.workshop.join_code = json.loads(backup)["tables"]["workshop"][0]["join_code"]
        db.commit()
    clash = json.loads(backup)
    boards = clash["tables"]["board"]
    boards[1]["group_id"] = boards[0]["group_id"]  # two boards for one group: the database refuses it
    path = tmp_path / "clash.json"
    path.write_text(json.dumps(clash))
    result = run_cli(server, "import-backup", str(path))
    assert result.exit_code != 0 and "clashes with data already on this server" in result.output
    assert count(server, Workshop) == 1 and count(server, Media) == 0
    media_dir = Path(server.config["MEDIA_DIR"])
    assert not media_dir.exists() or not any(p.is_file() for p in media_dir.rglob("*"))  # photos removed again
    path.write_bytes(backup)
    summary = import_cli(server, path)
    assert summary["code_changed"] is True and summary["join_code"] != host.workshop.join_code


def test_cli_export_matches_the_route(tmp_path: Path, atelier: Atelier, backup: bytes) -> None:
    out = tmp_path / "cli.json"
    done = cli(tmp_path, "collab", "export-backup", atelier.workshop_id, str(out),
               env={"COLLAB_DATABASE_URL": f"sqlite:///{tmp_path / 'test.db'}"})
    assert_clean(done)
    same_but_export_time(backup, out.read_bytes())
    missing = cli(tmp_path, "collab", "export-backup", str(uuid.uuid4()), str(tmp_path / "none.json"),
                  env={"COLLAB_DATABASE_URL": f"sqlite:///{tmp_path / 'test.db'}"})
    assert missing.returncode != 0 and "No workshop has the id" in missing.stderr


def test_a_photo_that_is_not_a_jpeg_is_refused(atelier: Atelier, backup: bytes, tmp_path: Path) -> None:
    import base64

    doc = json.loads(backup)
    doc["tables"]["media"][0]["file"] = base64.b64encode(b"<svg onload=alert(1)>").decode()
    fresh = make_app(tmp_path / "fresh")
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc))
    result = run_cli(fresh, "import-backup", str(path))
    assert result.exit_code != 0 and "is not a valid JPEG image" in result.output
    doc["tables"]["media"][0]["file"] = base64.b64encode(jpeg((1, 2, 3))).decode()  # a JPEG, wrong size
    path.write_text(json.dumps(doc))
    result = run_cli(fresh, "import-backup", str(path))
    assert result.exit_code != 0 and "does not have its recorded size" in result.output


# --- PostgreSQL ---------------------------------------------------------------------------------------




@pytest.mark.postgres
def test_round_trip_through_postgresql_is_identical(atelier: Atelier, backup: bytes, tmp_path: Path,
                                                    postgres_url: str) -> None:
    path = tmp_path / "sauvegarde.json"
    path.write_bytes(backup)
    server = make_app(tmp_path / "pg", postgres_url)
    try:
        assert count(server, Workshop) == 0
        import_cli(server, path)
        again = backup_of(server.test_client(), atelier.workshop_id, atelier.facilitator_token)
        same_but_export_time(backup, again)
        # And back from PostgreSQL into another empty SQLite database.
        path.write_bytes(again)
        sqlite = make_app(tmp_path / "back")
        import_cli(sqlite, path)
        same_but_export_time(backup, backup_of(sqlite.test_client(), atelier.workshop_id, atelier.facilitator_token))
    finally:
        server.extensions["collab"].engine.dispose()


def test_a_facilitator_account_imports_into_a_fresh_server_and_then_manages_the_workshop(
        tmp_path: Path, atelier: Atelier, backup: bytes) -> None:
    from .test_facilitator_accounts import csrf, login, make_account

    server = make_app(tmp_path / "fresh")
    make_account(server, "anim@example.org", name="Camille")
    client = server.test_client()
    assert login(client, "anim@example.org").status_code == 200
    refused = client.post("/api/v1/workshops/import", data=backup, content_type="application/json")
    assert refused.status_code == 403  # the CSRF token is needed with the session cookie
    response = client.post("/api/v1/workshops/import", data=backup, content_type="application/json",
                           headers={"X-CSRFToken": csrf(client)})
    assert response.status_code == 201, response.get_json()
    listed = client.get("/api/v1/facilitator/workshops").get_json()["workshops"]
    assert [w["id"] for w in listed] == [atelier.workshop_id]
    report = client.get(f"/api/v1/workshops/{atelier.workshop_id}/report.md")
    assert report.status_code == 200 and "Reconversion des friches" in report.get_data(as_text=True)
