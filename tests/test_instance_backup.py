"""Whole-instance backup and restore (`collab backup` / `collab restore`, docs/deploy.md "Backups"): a
workshop with cards, events and a photo → backup → restore into a new instance → the same rows, the same
photo bytes, and a server started on it serves the board; on SQLite and on PostgreSQL; refusals."""

from __future__ import annotations

import io
import json
import shutil
import tarfile
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import select

from collab.models import Card, Event, Participant

from .conftest import need
from .support.server import LiveServer
from .test_cli import assert_clean, cli
from .test_exports import build_atelier
from .test_exports_backup import make_app, run_cli


def rows(app: Any) -> dict[str, Any]:
    with app.extensions["collab"].sessions() as db:
        return {
            "cards": sorted((c.id, c.text, c.author_id) for c in db.scalars(select(Card))),
            "events": sorted((e.id, e.op_id) for e in db.scalars(select(Event))),
            "participants": sorted((p.id, p.name) for p in db.scalars(select(Participant))),
        }


def photos(media: Path) -> dict[str, bytes]:
    return {path.relative_to(media).as_posix(): path.read_bytes() for path in media.rglob("*") if path.is_file()}


def round_trip(tmp_path: Path, source_url: str | None, target_url: str | None) -> None:
    source = make_app(tmp_path / "one", source_url)
    atelier = build_atelier(source.test_client(), source.extensions["collab"].sessions)
    before, media_before = rows(source), photos(tmp_path / "one" / "media")
    assert before["cards"] and before["events"] and media_before
    archive = tmp_path / "instance.tar"
    result = run_cli(source, "backup", str(archive))
    assert result.exit_code == 0, result.output
    manifest = json.loads(result.output)
    assert manifest["database"] == ("postgresql" if source_url else "sqlite")
    assert manifest["counts"]["cards"] == len(before["cards"]) and manifest["counts"]["photos"] == len(media_before)

    target_dir = tmp_path / "two"
    target = make_app(target_dir, target_url)  # a fresh instance: its empty tables already made
    result = run_cli(target, "restore", str(archive))
    assert result.exit_code == 0, result.output
    assert rows(target) == before
    assert photos(target_dir / "media") == media_before

    env = {"COLLAB_DATABASE_URL": target_url or f"sqlite:///{target_dir / 'test.db'}", "COLLAB_ASYNC_MODE": "threading"}
    server = LiveServer(target_dir, env).start()
    try:
        headers = {"Authorization": f"Bearer {atelier.tokens['Alice']}"}
        board = requests.get(f"{server.url}/api/v1/boards/{atelier.boards[0]}", headers=headers, timeout=5)
        assert board.status_code == 200, board.text
        assert atelier.ids["photo"] in json.dumps(board.json())
        photo = requests.get(f"{server.url}/api/v1/media/{atelier.media_id}", headers=headers, timeout=5)
        assert photo.status_code == 200 and photo.content in media_before.values()
    finally:
        server.stop()


def test_round_trip_on_sqlite(tmp_path: Path) -> None:
    round_trip(tmp_path, None, None)


def test_round_trip_on_postgresql(tmp_path: Path, postgres_url: str, module_postgres_url: str) -> None:
    need(shutil.which("pg_dump") is not None and shutil.which("pg_restore") is not None, "pg_dump")
    round_trip(tmp_path, postgres_url, module_postgres_url)


def test_restore_refuses_a_used_instance_unless_forced(tmp_path: Path) -> None:
    source = make_app(tmp_path / "one")
    build_atelier(source.test_client(), source.extensions["collab"].sessions)
    archive = tmp_path / "instance.tar.gz"
    assert run_cli(source, "backup", str(archive)).exit_code == 0
    result = run_cli(source, "restore", str(archive))
    assert result.exit_code != 0 and "--force" in result.output
    forced = run_cli(source, "restore", "--force", str(archive))
    assert forced.exit_code == 0, forced.output


def evil_archive(path: Path, manifest: dict[str, Any], member: str) -> None:
    with tarfile.open(path, "w") as tar:
        for name, data in (("manifest.json", json.dumps(manifest).encode()), (member, b"pwned")):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


@pytest.mark.parametrize("member", ["media/../../outside.txt", "/tmp/absolute.txt"])
def test_no_photo_leaves_the_media_folder(tmp_path: Path, member: str) -> None:
    source = make_app(tmp_path / "one")
    archive = tmp_path / "good.tar"
    assert run_cli(source, "backup", str(archive)).exit_code == 0
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
        database = tar.extractfile("database.sqlite").read()  # type: ignore[union-attr]
    evil = tmp_path / "evil.tar"
    with tarfile.open(evil, "w") as tar:
        for name, data in (("manifest.json", json.dumps(manifest).encode()), ("database.sqlite", database),
                           (member, b"pwned")):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    target = make_app(tmp_path / "two")
    result = run_cli(target, "restore", str(evil))
    assert not (tmp_path / "outside.txt").exists() and not Path("/tmp/absolute.txt").exists()
    if member.startswith("media/"):
        assert result.exit_code != 0 and "leave the media folder" in result.output


def test_not_a_backup_is_refused(tmp_path: Path) -> None:
    app = make_app(tmp_path / "one")
    bogus = tmp_path / "bogus.tar"
    evil_archive(bogus, {"format": "something-else"}, "x")
    result = run_cli(app, "restore", str(bogus))
    assert result.exit_code != 0 and "not a Collab instance backup" in result.output
    (tmp_path / "text.tar").write_text("hello")
    assert run_cli(app, "restore", str(tmp_path / "text.tar")).exit_code != 0


def test_the_backup_command_runs_as_the_readme_shows(tmp_path: Path) -> None:
    instance = tmp_path / "instance"
    assert_clean(cli(instance, "collab", "create-workshop", "Atelier", "--json"))
    done = cli(instance, "collab", "backup", str(tmp_path / "b.tar"))
    assert_clean(done)
    assert json.loads(done.stdout)["counts"]["workshops"] == 1
    fresh = tmp_path / "fresh"
    done = cli(fresh, "collab", "restore", str(tmp_path / "b.tar"))
    assert_clean(done)
    assert json.loads(done.stdout)["counts"]["workshops"] == 1
