"""Personal data (docs/protocol.md, "Your own notes"): the join page's privacy notice, before the name
field, configurable and escaped; a participant downloads their own notes, and only theirs."""

from __future__ import annotations

import csv
import html
import io
from pathlib import Path
from typing import Any

from collab import create_app

from .test_api import make_workshop
from .test_exports import build_atelier


def make_app(tmp_path: Path, **settings: Any) -> Any:
    return create_app({"INSTANCE_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'test.db'}",
                       "ASYNC_MODE": "threading", "TESTING": True, "SECRET_KEY": "test", **settings})


def notice(page: str) -> str:
    start = page.index('id="privacy-notice">') + len('id="privacy-notice">')
    return html.unescape(page[start:page.index("</p>", start)]).strip()


def test_the_join_page_says_what_is_kept_who_sees_it_and_how_long(app: Any, client: Any) -> None:
    french = make_workshop(app, locale="fr")
    page = client.get(f"/j/{french.code}").get_data(as_text=True)
    assert page.index('id="privacy-notice"') < page.index('id="name"')  # read before typing a name
    said = notice(page)
    assert "Votre nom, votre groupe et ce que vous publiez" in said and "animateurs les voient" in said
    assert "supprimés 90 jours après l’archivage" in said and "télécharger vos propres notes" in said
    english = make_workshop(app, locale="en")
    said = notice(client.get(f"/j/{english.code}").get_data(as_text=True))
    assert "They are deleted 90 days after the workshop is archived." in said


def test_the_retention_setting_shows_in_the_notice(tmp_path: Path) -> None:
    app = make_app(tmp_path, RETENTION_DAYS=1)
    english = make_workshop(app, locale="en")
    assert "deleted 1 day after" in notice(app.test_client().get(f"/j/{english.code}").get_data(as_text=True))
    app.config["RETENTION_DAYS"] = 0
    said = notice(app.test_client().get(f"/j/{english.code}").get_data(as_text=True))
    assert "kept until the facilitator deletes the workshop" in said


def test_a_configured_notice_is_text_not_markup(tmp_path: Path) -> None:
    app = make_app(tmp_path, PRIVACY_NOTICE="<b onclick=x()>Données</b> gardées 30 jours\nContact : dpo@example.org")
    ws = make_workshop(app)
    page = app.test_client().get(f"/j/{ws.code}").get_data(as_text=True)
    assert "<b onclick" not in page and "&lt;b onclick=x()&gt;Données&lt;/b&gt;" in page
    assert notice(page) == "<b onclick=x()>Données</b> gardées 30 jours\nContact : dpo@example.org"


def test_a_participant_downloads_their_own_notes_and_only_theirs(app: Any, client: Any) -> None:
    atelier = build_atelier(client, app.extensions["collab"].sessions)
    response = client.get("/api/v1/me/notes.csv", headers={"Authorization": f"Bearer {atelier.tokens['Alice']}"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="mes-notes.csv"'
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["id", "groupe", "visite"]
    ids = [row[0] for row in rows[1:]]
    assert ids == [atelier.ids["photo"], atelier.ids["formula"]]  # not Bob's, not her deleted card
    texts = {row[0]: row[7] for row in rows[1:]}
    assert texts[atelier.ids["formula"]].startswith("'=HYPERLINK")  # a spreadsheet shows it, never runs it
    assert rows[1][8] == f"/api/v1/media/{atelier.media_id}"
    carole = client.get("/api/v1/me/notes.csv", headers={"Authorization": f"Bearer {atelier.tokens['Carole']}"})
    assert [row[0] for row in csv.reader(io.StringIO(carole.get_data(as_text=True)))][1:] == [atelier.ids["port"]]


def test_without_a_session_the_answer_is_an_error_not_notes(client: Any) -> None:
    response = client.get("/api/v1/me/notes.csv")
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "unauthorized"


def test_the_board_page_links_to_the_download(app: Any, client: Any) -> None:
    ws = make_workshop(app)
    joined = client.post("/api/v1/join", json={"code": ws.code, "name": "Camille", "group": ws.groups[0]})
    assert joined.status_code == 200
    page = client.get(f"/b/{ws.boards[0]}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200, text[:300]
    assert 'href="/api/v1/me/notes.csv" download>Télécharger mes notes (CSV)</a>' in text
