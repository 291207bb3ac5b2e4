"""Importing a workshop backup cannot reach another workshop's photos nor leave the media folder, and
takes older data with control characters (issue #10, holes 1 and 2, and the import side of hole 8)."""

from __future__ import annotations

import json
import shutil
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from collab.models import Card, Theme, Workshop, WorkshopFacilitator

from .test_exports import Atelier, build_atelier
from .test_exports_backup import backup_of, import_cli, make_app, run_cli
from .test_facilitator_accounts import Console

IMPORT = "/api/v1/workshops/import"


@pytest.fixture
def atelier(app: Any, client: Any) -> Atelier:
    return build_atelier(client, app.extensions["collab"].sessions)


@pytest.fixture
def backup(atelier: Atelier) -> dict[str, Any]:
    return json.loads(backup_of(atelier.client, atelier.workshop_id, atelier.facilitator_token))


def photo_answers(atelier: Atelier) -> tuple[int, int]:
    headers = {"Authorization": f"Bearer {atelier.tokens['Alice']}"}
    full = atelier.client.get(f"/api/v1/media/{atelier.media_id}", headers=headers).status_code
    thumb = atelier.client.get(f"/api/v1/media/{atelier.media_id}/thumb", headers=headers).status_code
    return full, thumb


def only_the_workshop(backup: dict[str, Any], workshop_id: str) -> dict[str, Any]:
    """A backup of the workshop row alone, under another id (every other table empty)."""
    row = {**backup["tables"]["workshop"][0], "id": workshop_id}
    tables = {key: [] for key in backup["tables"]} | {"workshop": [row]}
    return {**backup, "workshop_id": workshop_id, "tables": tables}


def under_another_id(backup: dict[str, Any], workshop_id: str) -> dict[str, Any]:
    """The whole backup, its workshop id replaced everywhere by `workshop_id`."""
    return json.loads(json.dumps(backup).replace(backup["workshop_id"], workshop_id))


@pytest.mark.parametrize("spelling", ["upper", "hex", "braces"])
def test_an_import_cannot_take_another_workshops_id_and_delete_its_photos(
        app: Any, atelier: Atelier, backup: dict[str, Any], spelling: str) -> None:
    """Issue #10 hole 1: a backup whose workshop id is the victim's, spelt otherwise (capitals, no
    dashes), was imported; deleting it removed the victim's photo folder (its photos then answered 500)."""
    victim = uuid.UUID(atelier.workshop_id)
    other_id = {"upper": str(victim).upper(), "hex": victim.hex, "braces": f"{{{victim}}}"}[spelling]
    attacker = Console(app, "mallory@example.org", "Mallory")
    response = attacker.client.post(IMPORT, json=only_the_workshop(backup, other_id),
                                    headers={"X-CSRFToken": attacker.token, "Accept-Language": "en"})
    if response.status_code == 201:  # the hole: now delete "its own" workshop
        code = response.json["workshop"]["code"]
        attacker.call("DELETE", f"/workshops/{response.json['workshop']['id']}", {"confirm": code})
    assert response.status_code == 409 and response.json["error"]["code"] == "conflict", response.json
    assert photo_answers(atelier) == (200, 200)
    with app.extensions["collab"].sessions() as db:
        assert db.scalars(select(Workshop.id)).all() == [atelier.workshop_id]


def test_deleting_a_workshop_whose_id_is_not_canonical_leaves_other_folders_alone(
        app: Any, atelier: Atelier) -> None:
    """Issue #10 hole 1: a workshop imported before the fix under another spelling of the victim's id
    must not name the victim's photo folder when it is deleted."""
    attacker = Console(app, "mallory@example.org", "Mallory")
    spelt = atelier.workshop_id.upper()
    with app.extensions["collab"].sessions() as db:
        db.add(Workshop(id=spelt, title="Leurre", join_code="LEURRE"))
        db.add(WorkshopFacilitator(workshop_id=spelt, account_id=attacker.account_id))
        db.commit()
    response = attacker.call("DELETE", f"/workshops/{spelt}", {"confirm": "LEURRE"})
    assert response.status_code == 200, response.json
    assert photo_answers(atelier) == (200, 200)


@pytest.mark.parametrize("where", ["relative", "absolute"])
def test_an_import_cannot_write_photos_outside_the_media_folder(
        tmp_path: Path, backup: dict[str, Any], where: str) -> None:
    """Issue #10 hole 2: a workshop id of `../x` or an absolute path put the imported photo files there."""
    server = make_app(tmp_path / "server")
    outside = Path(f"/tmp/collab-escape-{uuid.uuid4().hex[:8]}") if where == "absolute" else (
        tmp_path / "server" / "escaped")
    bad_id = str(outside) if where == "absolute" else "../escaped"
    assert len(bad_id) <= 36
    path = tmp_path / "evil.json"
    path.write_text(json.dumps(under_another_id(backup, bad_id)))
    try:
        result = run_cli(server, "import-backup", str(path))
        assert not outside.exists(), list(outside.rglob("*"))
        assert result.exit_code != 0 and "workshop" in result.output, result.output
        assert "is not valid" in result.output
    finally:
        shutil.rmtree(outside, ignore_errors=True)
    with server.extensions["collab"].sessions() as db:
        assert db.scalars(select(Workshop.id)).all() == []


def test_an_import_names_no_file_and_rewrites_ids_the_apps_way(tmp_path: Path, atelier: Atelier,
                                                               backup: dict[str, Any]) -> None:
    """Issue #10 holes 1 and 2: file names never come from a backup; ids are stored lower case with
    dashes, whatever their spelling in the file, references included."""
    server = make_app(tmp_path / "server")
    path = tmp_path / "named.json"
    named = json.loads(json.dumps(backup))
    named["tables"]["media"][0]["file_name"] = "../../evil.jpg"
    path.write_text(json.dumps(named))
    result = run_cli(server, "import-backup", str(path))
    assert result.exit_code != 0 and "file_name" in result.output
    path.write_text(json.dumps(under_another_id(backup, uuid.UUID(atelier.workshop_id).hex.upper())))
    assert import_cli(server, path)["workshop_id"] == atelier.workshop_id
    with server.extensions["collab"].sessions() as db:
        assert db.scalar(select(Card.id).where(Card.board_id == atelier.boards[0]).limit(1)) is not None
    media_dir = Path(server.config["MEDIA_DIR"])
    assert [p.parent for p in media_dir.rglob("*.jpg")] == [media_dir / atelier.workshop_id] * 2


def test_one_function_builds_media_paths_and_refuses_any_other_spelling(tmp_path: Path) -> None:
    """Issue #10 holes 1 and 2: a path under the media folder comes from a canonical workshop id and a
    plain file name, and never leaves the folder."""
    from collab.media import media_file, workshop_media_dir

    workshop_id = str(uuid.uuid4())
    assert workshop_media_dir(tmp_path, workshop_id) == tmp_path.resolve() / workshop_id
    assert media_file(tmp_path, workshop_id, "a.jpg") == tmp_path.resolve() / workshop_id / "a.jpg"
    for bad in (workshop_id.upper(), uuid.UUID(workshop_id).hex, "../x", "/etc", "", "..", f"{workshop_id}/.."):
        with pytest.raises(ValueError):
            workshop_media_dir(tmp_path, bad)
    for name in ("../a.jpg", "/etc/passwd", "", ".", "..", "sub/a.jpg", ".hidden", "a\\..\\b"):
        with pytest.raises(ValueError):
            media_file(tmp_path, workshop_id, name)
    root, outside = tmp_path / "media", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (root / workshop_id).symlink_to(outside)  # a link out of the media folder is not followed
    with pytest.raises(ValueError):
        workshop_media_dir(root, workshop_id)


# --- control characters: a SQLite workshop holding NUL imports into PostgreSQL ----------------------


def with_controls(backup: dict[str, Any]) -> dict[str, Any]:
    doc = json.loads(json.dumps(backup))
    tables = doc["tables"]
    card = tables["card"][0]
    card["text"] = "avant\x00après\x07\tfin"
    card["tags"] = [*card["tags"], "mot\x00clé"]
    tables["theme"][0]["synthesis"] = "## Titre\x00\n- point\x1b"
    tables["participant"][0]["name"] = "Ali\x00ce"
    event = tables["event"][0]
    event["data"] = {**event["data"], "note\x00": ["a\x00b", {"c": "d\x00"}]}
    return doc


@pytest.mark.postgres
def test_a_backup_with_nul_characters_imports_into_postgresql(tmp_path: Path, atelier: Atelier,
                                                              backup: dict[str, Any], postgres_url: str) -> None:
    """Issue #10 hole 8 (import side): SQLite stores NUL in text, PostgreSQL refuses it: an import strips
    control characters (but tab, line feed, carriage return) from every text, JSON values included."""
    doc = with_controls(backup)
    path = tmp_path / "nul.json"
    path.write_text(json.dumps(doc))
    server = make_app(tmp_path / "pg", postgres_url)
    try:
        import_cli(server, path)
        with server.extensions["collab"].sessions() as db:
            card = db.get(Card, doc["tables"]["card"][0]["id"])
            assert card.text == "avantaprès\tfin" and card.tags[-1] == "motclé"
            theme = db.get(Theme, doc["tables"]["theme"][0]["id"])
            assert theme.synthesis == "## Titre\n- point"
        again = json.loads(backup_of(server.test_client(), atelier.workshop_id, atelier.facilitator_token))
        assert "\\u0000" not in json.dumps(again)
        event = next(e for e in again["tables"]["event"] if e["seq"] == doc["tables"]["event"][0]["seq"]
                     and e["board_id"] == doc["tables"]["event"][0]["board_id"])
        assert event["data"]["note"] == ["ab", {"c": "d"}]
    finally:
        server.extensions["collab"].engine.dispose()


def test_an_imported_photo_is_no_larger_than_the_photos_collab_keeps(tmp_path: Path, backup: dict[str, Any]) -> None:
    """Issue #10 hole 6 (import side): a backup's photo is stored as it is, and the PDF report decodes
    it: it may not be larger than an uploaded photo would be (2,048 px; its thumbnail 400 px)."""
    import base64

    from .test_exports import jpeg

    server = make_app(tmp_path / "server")
    path = tmp_path / "large.json"
    for field, size in (("file", (6000, 4000)), ("thumb", (800, 600))):
        doc = json.loads(json.dumps(backup))
        row = doc["tables"]["media"][0]
        row[field] = base64.b64encode(jpeg(size=size)).decode()
        row["size"] = len(base64.b64decode(row["file"]))
        path.write_text(json.dumps(doc))
        result = run_cli(server, "import-backup", str(path))
        assert result.exit_code != 0 and "larger than the photos Collab keeps" in result.output, result.output
    with server.extensions["collab"].sessions() as db:
        assert db.scalars(select(Workshop.id)).all() == []
