"""A photo whose file is missing from disk is `404 not_found`, never a 500, and the exports that embed
photos leave it out (issue #10, "Smaller": a missing photo file answered 500)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from .test_api import API, Workshop, assert_error, bearer, join, make_workshop
from .test_exports import Atelier, build_atelier
from .test_present_api import control, op, photo, token_for


def remove_photo_files(app: Any) -> None:
    media_dir = Path(app.config["MEDIA_DIR"])
    files = [p for p in media_dir.rglob("*.jpg") if p.is_file()]
    assert files
    for path in files:
        path.unlink()


def test_a_missing_photo_file_is_not_found_for_members_and_the_audience(app: Any) -> None:
    """Issue #10 (smaller): `GET /api/v1/media/<id>`, its thumb and the audience thumb answered 500 when
    the photo's file was gone from disk."""
    ws: Workshop = make_workshop(app)
    camille = join(app.test_client(), ws, "Camille", 0)["token"]
    media_id = photo(app, camille)
    op(app, camille, ws.boards[0], "card.create", {"text": "Photo", "media_id": media_id})
    control(app, ws, type="present", group_id=ws.groups[0], slide=0)
    token = token_for(app, ws)
    client = app.test_client()
    assert client.get(f"{API}/media/{media_id}", headers=bearer(camille)).status_code == 200
    remove_photo_files(app)
    assert_error(client.get(f"{API}/media/{media_id}", headers=bearer(camille)), 404, "not_found")
    assert_error(client.get(f"{API}/media/{media_id}/thumb", headers=bearer(camille)), 404, "not_found")
    assert_error(client.get(f"{API}/audience/{token}/media/{media_id}/thumb"), 404, "not_found")


@pytest.fixture
def atelier(app: Any, client: Any) -> Atelier:
    return build_atelier(client, app.extensions["collab"].sessions)


def test_exports_leave_a_missing_photo_out(app: Any, atelier: Atelier, tmp_path: Path) -> None:
    """Issue #10 (smaller): the exports that embed photos must not crash on a photo lost from disk."""
    remove_photo_files(app)
    for route in ("report.md", "report.html", "cards.csv"):
        assert atelier.get(route).status_code == 200, route
    backup = atelier.get("backup.json")
    assert backup.status_code == 200
    (media,) = json.loads(backup.get_data())["tables"]["media"]
    assert media["file"] is None and media["thumb"] is None
    response = atelier.get("report.pdf")
    assert response.status_code == 200 and response.get_data().startswith(b"%PDF"), response.get_data()[:300]
    if shutil.which("pdftotext") is not None:
        pdf = tmp_path / "report.pdf"
        pdf.write_bytes(response.get_data())
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert "Reconversion des friches" in text
