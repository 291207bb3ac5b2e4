"""The report in a real browser, from the real (eventlet) server: a facilitator signed in with their
access key opens the printable report (photo shown, no CSP violation), downloads the PDF from its
link, and the PDF holds the theme titles (pdftotext). Waits on conditions only."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import requests
from PIL import Image

from ..conftest import need
from .pages import SHOTS, Watched

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = [pytest.mark.live, pytest.mark.browser]

LAPTOP = {"viewport": {"width": 1280, "height": 900}, "timezone_id": "Europe/Paris", "locale": "fr-FR",
          "accept_downloads": True}


def _op(base: str, token: str, board_id: str, type_: str, data: dict[str, Any]) -> dict[str, Any]:
    import uuid

    response = requests.post(f"{base}/api/v1/boards/{board_id}/ops", headers={"Authorization": f"Bearer {token}"},
                             json={"op_id": f"op-{uuid.uuid4().hex}", "type": type_, "data": data}, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()["event"]["data"]


def _photo(base: str, token: str) -> str:
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (40, 110, 180)).save(out, "JPEG")
    response = requests.post(f"{base}/api/v1/media", headers={"Authorization": f"Bearer {token}"},
                             files={"file": ("port.jpg", out.getvalue(), "image/jpeg")}, timeout=10)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def test_facilitator_opens_the_printable_report_and_downloads_the_pdf(live_server: Any, browser: Any,
                                                                      tmp_path: Path) -> None:
    need(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    base = live_server.url
    workshop = live_server.create_workshop("Atelier rapport — Sète", groups=2)
    board = workshop["groups"][0]["board_id"]
    alice = live_server.join(workshop["join_code"], "Alice", workshop["groups"][0]["id"])["token"]
    media_id = _photo(base, alice)
    card = _op(base, alice, board, "card.create", {"text": "Le port se tourne vers l'éolien en mer",
                                                    "kind": "observation", "media_id": media_id})["card"]
    theme = _op(base, alice, board, "theme.create", {"title": "Économie maritime"})["theme"]
    _op(base, alice, board, "theme.update", {"id": theme["id"], "synthesis": "Un **port** qui se réinvente.",
                                             "base_synthesis": ""})
    _op(base, alice, board, "card.update", {"id": card["id"], "theme_id": theme["id"]})

    fac = Watched(browser, **LAPTOP)
    page = fac.page
    page.goto(f"{base}/login#token={workshop['facilitator_token']}")
    page.wait_for_url(f"{base}/b/{board}")
    page.goto(f"{base}/api/v1/workshops/{workshop['workshop_id']}/report.html")
    expect(page.locator(".report-cover__title")).to_have_text("Atelier rapport — Sète")
    expect(page.locator(".report-theme__title").first).to_contain_text("Économie maritime")
    expect(page.locator(".report-synthesis strong")).to_have_text("port")
    photo = page.locator(f'.report-card__photo[src="/api/v1/media/{media_id}/thumb"]').first
    expect(photo).to_be_visible()
    expect(photo).to_have_attribute("alt", "Photo\u202f: Le port se tourne vers l'éolien en mer")
    assert photo.evaluate("img => img.complete && img.naturalWidth") == 400
    page.screenshot(path=str(SHOTS / "exports-report.png"), full_page=True)

    with page.expect_download() as info:
        page.get_by_role("link", name="Télécharger le PDF").click()
    download = info.value
    assert download.suggested_filename.startswith("atelier-rapport-sete-") and download.suggested_filename.endswith(
        ".pdf")
    pdf = tmp_path / "rapport.pdf"
    download.save_as(pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Économie maritime" in text and "Groupe 1" in text and "Le port se tourne vers l'éolien en mer" in text
    fac.close()
    assert "Traceback" not in live_server.log()
