"""Issue #11 §6, the exports' small things: one charset per download, `/favicon.ico`, and the PDF
report — a group with no notes takes a line, a photo note shows its thumbnail in its zone, the
dates are the workshop's time zone (TIMEZONE)."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from collab import create_app
from collab.models import Visit
from collab.sync.access import Actor
from collab.sync.pipeline import apply_op
from collab.workshops import create_workshop, workshop_dict

from .conftest import need
from .test_exports import Atelier, atelier  # noqa: F401  (the fixture)


def _pdf_pages(pdf_bytes: bytes, tmp_path: Path) -> tuple[list[str], list[int]]:
    """(the text of each page, the page of each image)."""
    need(shutil.which("pdftotext") is not None and shutil.which("pdfimages") is not None,
         "pdftotext and pdfimages (poppler-utils)")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(pdf_bytes)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    return text.split("\f"), [int(line.split()[0]) for line in images.splitlines()[2:] if line.strip()]


@pytest.mark.parametrize(("route", "expected"), [
    ("report.md", "text/markdown; charset=utf-8"),
    ("report.html", "text/html; charset=utf-8"),
    ("cards.csv", "text/csv; charset=utf-8"),
    ("backup.json", "application/json; charset=utf-8"),
])
def test_every_download_names_one_charset(atelier: Atelier, route: str, expected: str) -> None:  # noqa: F811
    response = atelier.get(route)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == expected


def test_favicon_ico_is_the_apps_icon(client: Any) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype in {"image/vnd.microsoft.icon", "image/x-icon"}
    assert response.get_data()[:4] == b"\x00\x00\x01\x00"  # an ICO file


def test_a_photo_note_shows_its_thumbnail_in_its_zone(atelier: Atelier, tmp_path: Path) -> None:  # noqa: F811
    pages, image_pages = _pdf_pages(atelier.get("report.pdf").get_data(), tmp_path)
    starts = {page.strip().splitlines()[0]: n for n, page in enumerate(pages, 1) if page.strip()}
    group_one = range(starts["Groupe 1"], starts["Groupe 2"])  # its section, over one page or more
    # The photo in its theme's evidence and again in its zone, "Ressources" (before: only the first).
    assert sum(1 for page in image_pages if page in group_one) == 2
    html = atelier.get("report.html").get_data(as_text=True)
    zones = html.split('class="report-subtitle">Zones')[1]
    assert f'src="/api/v1/media/{atelier.media_id}/thumb"' in zones.split("report-group")[0]


def test_a_group_with_no_notes_takes_a_line_not_a_page(app: Any, client: Any, tmp_path: Path) -> None:
    sessions = app.extensions["collab"].sessions
    with sessions() as db:
        made = create_workshop(db, "Atelier à trois groupes", 3, "fr")
        board = workshop_dict(db, made.workshop)["groups"][0]["board_id"]
        op = {"board_id": board, "op_id": f"op-{uuid.uuid4().hex}", "type": "card.create",
              "data": {"text": "Seule note"}}
        apply_op(sessions, Actor.of(made.participant), op)
        workshop_id, token = made.workshop.id, made.token
    response = client.get(f"/api/v1/workshops/{workshop_id}/report.pdf", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    pages, _ = _pdf_pages(response.get_data(), tmp_path)
    second = next(page for page in pages if "Groupe 2" in page and "Aucune note" in page)
    assert "Groupe 3" in second  # both empty groups on one page, each a line
    assert "Zones" not in second and "Thèmes" not in second


def test_the_report_dates_are_in_the_workshops_time_zone(tmp_path: Path) -> None:
    app = create_app({"INSTANCE_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'test.db'}",
                      "ASYNC_MODE": "threading", "TESTING": True, "SECRET_KEY": "test",
                      "TIMEZONE": "Pacific/Auckland"})
    sessions = app.extensions["collab"].sessions
    with sessions() as db:
        made = create_workshop(db, "Atelier aux antipodes", 1, "fr")
        # 13 November, 20:30 UTC is 14 November, 09:30 in Auckland.
        db.add(Visit(workshop_id=made.workshop.id, title="Port", place="Auckland",
                     starts_at=datetime(2017, 11, 13, 20, 30, tzinfo=UTC),
                     ends_at=datetime(2017, 11, 13, 22, 0, tzinfo=UTC)))
        db.commit()
        workshop_id, token = made.workshop.id, made.token
    client = app.test_client()
    response = client.get(f"/api/v1/workshops/{workshop_id}/report.pdf", headers={"Authorization": f"Bearer {token}"})
    pages, _ = _pdf_pages(response.get_data(), tmp_path)
    text = " ".join(" ".join(pages).split())
    assert "mardi 14 novembre 2017" in text and "09:30" in text and "Pacific/Auckland" in text
    assert "13 novembre" not in text
