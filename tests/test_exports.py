"""Exports (docs/protocol.md, "Exports and backup"): the report in Markdown, HTML and PDF, the CSV of
all notes, and who may have them. The workshop is built through the real op pipeline."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sqlalchemy.orm import Session, sessionmaker

from collab.models import Visit
from collab.sync.access import Actor
from collab.sync.pipeline import apply_op
from collab.workshops import create_workshop, join, workshop_dict

from .conftest import need

SYNTHESIS = "## Constat\nLes **friches** industrielles deviennent des lieux d'innovation.\n- tiers-lieux\n- formation"


@dataclass
class Atelier:
    """A workshop with two groups, visits, a photo, themes, comments and a closed dot vote."""

    client: Any
    sessions: sessionmaker[Session]
    workshop_id: str
    code: str
    boards: list[str]
    group_names: list[str]
    facilitator_token: str
    tokens: dict[str, str]  # participant name -> token
    actors: dict[str, Actor]
    visits: list[str]
    media_id: str = ""
    ids: dict[str, str] = field(default_factory=dict)  # label -> card or theme id

    def run(self, who: str, type_: str, data: dict[str, Any], board: int = 0) -> dict[str, Any]:
        raw = {"board_id": self.boards[board], "op_id": f"op-{uuid.uuid4().hex}", "type": type_, "data": data}
        return apply_op(self.sessions, self.actors[who], raw).event["data"]

    def card(self, who: str, label: str, text: str, board: int = 0, **data: Any) -> str:
        card = self.run(who, "card.create", {"text": text, **data}, board)["card"]
        self.ids[label] = card["id"]
        return card["id"]

    def get(self, path: str, token: str | None = None) -> Any:
        headers = {"Authorization": f"Bearer {token or self.facilitator_token}"}
        return self.client.get(f"/api/v1/workshops/{self.workshop_id}/{path}", headers=headers)


def jpeg(colour: tuple[int, int, int] = (200, 40, 40), size: tuple[int, int] = (640, 480)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return out.getvalue()


def build_atelier(client: Any, sessions: sessionmaker[Session]) -> Atelier:
    with sessions() as db:
        made = create_workshop(db, "Atelier « Territoires » : forces innovantes", 2, "fr")
        data = workshop_dict(db, made.workshop)
        g1, g2 = data["groups"]
        tokens = {"Animation": made.token}
        actors = {"Animation": Actor.of(made.participant)}
        for name, group in (("Alice", g1), ("Bob", g1), ("Carole", g2)):
            joined = join(db, made.workshop, name, group["id"])
            tokens[name], actors[name] = joined.token, Actor.of(joined.participant)
        visits = []
        for day, title, place in ((13, "Nicéphore Cité — ancien site Kodak", "Chalon-sur-Saône"),
                                  (14, "Port de Sète", "Sète")):
            visit = Visit(workshop_id=made.workshop.id, title=title, place=place,
                          starts_at=datetime(2017, 11, day, 8, 30, tzinfo=UTC),
                          ends_at=datetime(2017, 11, day, 11, 0, tzinfo=UTC))
            db.add(visit)
            db.flush()
            visits.append(visit.id)
        db.commit()
        atelier = Atelier(client=client, sessions=sessions, workshop_id=made.workshop.id, code=data["code"],
                          boards=[g1["board_id"], g2["board_id"]], group_names=[g1["name"], g2["name"]],
                          facilitator_token=made.token, tokens=tokens, actors=actors, visits=visits)
    upload = client.post("/api/v1/media", headers={"Authorization": f"Bearer {tokens['Alice']}"},
                         data={"file": (io.BytesIO(jpeg()), "usine.jpg")}, content_type="multipart/form-data")
    assert upload.status_code == 201, upload.get_json()
    atelier.media_id = upload.get_json()["id"]

    a = atelier
    a.card("Alice", "photo", "La friche Kodak accueille 40 start-up", kind="observation", visit_id=a.visits[0],
           media_id=a.media_id, zone="resources", tags=["économie"], actor="Directrice de Nicéphore Cité")
    a.card("Bob", "quote", "« On a transformé une ruine en totem »\n— le maire", kind="quote", visit_id=a.visits[0],
           zone="actors")
    a.card("Alice", "formula", "=HYPERLINK(\"http://example.invalid\")", visit_id=a.visits[1])
    a.card("Bob", "markdown", "# pas un titre *ni gras*", kind="question")
    a.card("Alice", "gone", "Carte supprimée")
    a.run("Alice", "card.delete", {"id": a.ids["gone"]})
    theme = a.run("Alice", "theme.create", {"title": "Reconversion des friches"})["theme"]
    a.ids["theme"] = theme["id"]
    a.run("Bob", "theme.update", {"id": theme["id"], "synthesis": SYNTHESIS, "base_synthesis": ""})
    for label in ("photo", "quote"):
        a.run("Alice", "card.update", {"id": a.ids[label], "theme_id": theme["id"]})
    dropped = a.run("Bob", "theme.create", {"title": "Thème abandonné"})["theme"]
    a.run("Bob", "theme.delete", {"id": dropped["id"]})
    comment = a.run("Bob", "comment.add", {"card_id": a.ids["photo"], "text": "Source : visite du 13"})["comment"]
    a.run("Alice", "comment.add", {"card_id": a.ids["photo"], "parent_id": comment["id"], "text": "Oui"})
    a.run("Alice", "card.react", {"id": a.ids["quote"], "reaction": "👍", "on": True})
    vote = a.run("Animation", "vote.open", {"dots": 3})["vote"]
    for who, label in (("Alice", "photo"), ("Alice", "photo"), ("Bob", "photo"), ("Bob", "quote")):
        a.run(who, "vote.dot", {"vote_id": vote["id"], "card_id": a.ids[label], "delta": 1})
    a.run("Animation", "vote.close", {"id": vote["id"]})
    a.card("Carole", "port", "Le port mise sur l'éolien en mer", board=1, visit_id=a.visits[1], zone="drivers")
    mob = a.run("Carole", "theme.create", {"title": "Transition énergétique"}, board=1)["theme"]
    a.run("Carole", "card.update", {"id": a.ids["port"], "theme_id": mob["id"]}, board=1)
    hidden = a.run("Animation", "vote.open", {"dots": 2, "hidden": True}, board=1)["vote"]
    a.run("Carole", "vote.dot", {"vote_id": hidden["id"], "card_id": a.ids["port"], "delta": 1}, board=1)
    return a


@pytest.fixture
def atelier(app: Any, client: Any) -> Atelier:
    return build_atelier(client, app.extensions["collab"].sessions)


# --- the report ---------------------------------------------------------------------------------------


def test_markdown_report_has_groups_themes_evidence_votes_and_appendix(atelier: Atelier) -> None:
    response = atelier.get("report.md")
    assert response.status_code == 200
    assert response.mimetype == "text/markdown"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="atelier-territoires-forces-innovantes-')
    assert disposition.endswith('.md"')
    text = response.get_data(as_text=True)
    assert text.startswith("# Atelier « Territoires » : forces innovantes\n")
    assert "13 novembre 2017 – 14 novembre 2017" in text  # the agenda's span, in French
    assert "## Groupe 1" in text and "## Groupe 2" in text
    assert "#### 1. Reconversion des friches — 4 points" in text  # 3 dots on the photo + 1 on the quote
    assert "##### Constat" in text  # the synthesis's heading, under the theme's
    assert "Les **friches** industrielles" in text
    assert "La friche Kodak accueille 40 start-up" in text and "3 points" in text
    assert f"/api/v1/media/{atelier.media_id})" in text  # the photo
    assert "Carte supprimée" not in text and "Thème abandonné" not in text
    assert "\\# pas un titre \\*ni gras\\*" in text  # people's words are not Markdown
    assert "#### Ressources (1)" in text and "#### Acteurs (1)" in text
    # Group 2's vote is hidden and open: no counts at all.
    group2 = text.split("## Groupe 2")[1].split("## Annexe")[0]
    assert "#### 1. Transition énergétique\n" in group2 and "point" not in group2.split("### Zones")[1]
    appendix = text.split("## Annexe\u202f: toutes les observations par visite")[1]
    kodak, sete = appendix.index("### Nicéphore Cité"), appendix.index("### Port de Sète")
    assert kodak < sete < appendix.index("### Notes sans visite")
    assert appendix.index("La friche Kodak") < sete < appendix.index("Le port mise sur l'éolien")
    assert "Carole (Groupe 2)" in appendix


def test_markdown_keeps_a_synthesis_inert_for_other_readers() -> None:
    from collab.exports.report_markdown import demote, escape

    assert demote("# Titre\n<img src=x onerror=alert(1)> ![pixel](http://t.invalid/p.png)") == (
        "#### Titre\n\\<img src=x onerror=alert(1)> !\\[pixel](http://t.invalid/p.png)")
    assert escape("- liste\n1. un\n> cite <b>") == "\\- liste\n\\1. un\n\\> cite \\<b\\>"


UNSAFE_LINKS = [
    "[x](javascript:alert(1))", "[x]( javascript:alert(1) )", "[x](JaVaScRiPt:alert(1))",
    "[x](&#106;avascript:alert(1))", "[x](&#x6A;avascript&colon;alert(1))", "[x](java\\script:alert(1))",
    "[x](<javascript:alert(1)>)", "[x](\njavascript:alert(1))", "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", "![i](javascript:alert(1))",
    "[x][r]\n\n[r]: javascript:alert(1)", "[x]\n\n[x]:\n  javascript:alert(1)", "[x](file:///etc/passwd)",
    "[x]((javascript:alert(1)))", "[x](//evil.example/)",
]


def link_targets(markdown: str) -> list[str]:
    """Every link and image address a lax CommonMark reader (no URL check of its own) would make."""
    from markdown_it import MarkdownIt

    reader = MarkdownIt("commonmark")
    reader.validateLink = lambda url: True
    found: list[str] = []

    def walk(tokens: Any) -> None:
        for token in tokens:
            if token.type in ("link_open", "image"):
                found.append(str(token.attrGet("href") or token.attrGet("src")))
            walk(token.children or [])

    walk(reader.parse(markdown))
    return found


@pytest.mark.parametrize("payload", UNSAFE_LINKS)
def test_the_markdown_report_keeps_only_web_and_mail_links_from_a_synthesis(payload: str) -> None:
    """Issue #10 (smaller): the Markdown report kept `javascript:` links from syntheses; only http(s)
    and mailto links may stay links (the HTML and PDF report, through collab.markdown, neither)."""
    import html
    import re
    from urllib.parse import urlsplit

    from collab.exports.report_markdown import demote
    from collab.markdown import render

    assert link_targets(payload), payload  # the payload is a link to a lax reader
    assert link_targets(demote(payload)) == [], demote(payload)
    for href in re.findall(r'href="([^"]*)"', render(payload)):  # the HTML report: no script, relative at most
        assert urlsplit(html.unescape(href)).scheme in ("", "http", "https", "mailto"), href
    kept = "[site](https://example.org/a_(b)) et [écrire](mailto:anne@example.org) [x](HTTP://EXAMPLE.ORG)"
    assert link_targets(demote(f"{kept}\n\n{payload}")) == [
        "https://example.org/a_(b)", "mailto:anne@example.org", "HTTP://EXAMPLE.ORG"]


def test_html_report_is_a_printable_page_with_photos(atelier: Atelier) -> None:
    response = atelier.get("report.html")
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert '<html lang="fr">' in html and '/static/css/report.css' in html
    assert f'src="/api/v1/media/{atelier.media_id}/thumb"' in html
    assert "<h2>Constat</h2>" in html  # the sanitised synthesis
    assert "Reconversion des friches" in html and "Annexe\u202f: toutes les observations par visite" in html
    assert "&lt;script" not in html and "<script" not in html


def test_pdf_report_holds_theme_titles_groups_and_a_photo(atelier: Atelier, tmp_path: Path) -> None:
    need(shutil.which("pdftotext") is not None and shutil.which("pdfimages") is not None,
         "pdftotext and pdfimages (poppler-utils)")
    response = atelier.get("report.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].endswith('.pdf"')
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.get_data())
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    for expected in ("Reconversion des friches", "Transition énergétique", "Groupe 1", "Groupe 2",
                     "La friche Kodak accueille 40 start-up", "Port de Sète"):
        assert expected in text, expected
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in images.splitlines()[2:] if line.strip()]
    assert rows and all(row[2] == "image" for row in rows)
    assert {row[3] for row in rows} == {"400"}  # the 400 px thumbnail, embedded (not fetched from anywhere)


def test_report_follows_the_workshop_language(atelier: Atelier) -> None:
    with atelier.sessions() as db:
        from collab.models import Workshop

        db.get(Workshop, atelier.workshop_id).locale = "en"
        db.commit()
    text = atelier.get("report.md").get_data(as_text=True)
    assert "## Appendix: every observation by visit" in text and "4 dots" in text
    assert atelier.get("cards.csv").headers["Content-Disposition"].startswith('attachment; filename="workshop-')


# --- CSV ----------------------------------------------------------------------------------------------


def _csv_rows(atelier: Atelier) -> tuple[bytes, list[dict[str, str]]]:
    response = atelier.get("cards.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "-notes.csv" in response.headers["Content-Disposition"]
    body = response.get_data()
    return body, list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def test_csv_has_one_row_per_live_card_with_the_documented_columns(atelier: Atelier) -> None:
    body, rows = _csv_rows(atelier)
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark, for Excel
    assert list(rows[0]) == ["id", "groupe", "visite", "zone", "thème", "type", "étiquettes", "auteur",
                             "personne rencontrée", "texte", "photo", "points", "commentaires",
                             "créée (Europe/Paris)", "modifiée (Europe/Paris)"]
    live = {atelier.ids[k] for k in ("photo", "quote", "formula", "markdown", "port")}
    assert {r["id"] for r in rows} == live and len(rows) == len(live)
    photo = next(r for r in rows if r["id"] == atelier.ids["photo"])
    assert (photo["groupe"], photo["visite"], photo["zone"], photo["thème"], photo["type"]) == (
        "Groupe 1", "Nicéphore Cité — ancien site Kodak", "Ressources", "Reconversion des friches", "Observation")
    assert (photo["étiquettes"], photo["auteur"], photo["points"], photo["commentaires"]) == (
        "économie", "Alice", "3", "2")
    assert photo["personne rencontrée"] == "Directrice de Nicéphore Cité"
    assert photo["photo"].endswith(f"/api/v1/media/{atelier.media_id}")
    assert photo["créée (Europe/Paris)"][:4] == str(datetime.now(UTC).year)
    quote = next(r for r in rows if r["id"] == atelier.ids["quote"])
    assert quote["texte"] == "« On a transformé une ruine en totem »\n— le maire"  # quoted, line break kept
    port = next(r for r in rows if r["id"] == atelier.ids["port"])
    assert port["points"] == ""  # its vote is hidden and open


def test_csv_guards_against_formulas(atelier: Atelier) -> None:
    _body, rows = _csv_rows(atelier)
    formula = next(r for r in rows if r["id"] == atelier.ids["formula"])
    assert formula["texte"] == "'=HYPERLINK(\"http://example.invalid\")"
    from collab.exports.csv_export import guard

    assert [guard(v) for v in ("=1", "+1", "-1", "@A1", "\tx", "ok", "1-2")] == [
        "'=1", "'+1", "'-1", "'@A1", "'\tx", "ok", "1-2"]


# --- who may export -----------------------------------------------------------------------------------

ROUTES = ("report.md", "report.html", "report.pdf", "cards.csv", "backup.json")


@pytest.mark.parametrize("route", ROUTES)
def test_participants_get_403_and_other_workshops_404(atelier: Atelier, route: str) -> None:
    assert atelier.get(route, atelier.tokens["Alice"]).status_code == 403
    assert atelier.get(route, atelier.tokens["Alice"]).get_json()["error"]["code"] == "forbidden"
    with atelier.sessions() as db:
        other = create_workshop(db, "Autre atelier", 1)
    response = atelier.get(route, other.token)
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"
    assert atelier.client.get(f"/api/v1/workshops/{atelier.workshop_id}/{route}").status_code == 401
    assert atelier.client.get(f"/api/v1/workshops/{other.workshop.id}/{route}",
                              headers={"Authorization": f"Bearer {atelier.facilitator_token}"}).status_code == 404


def test_a_facilitator_account_that_manages_the_workshop_may_export(app: Any, atelier: Atelier) -> None:
    from collab.models import WorkshopFacilitator

    from .test_facilitator_accounts import login, make_account

    make_account(app, "autre@example.org", name="Dominique")
    account_id = make_account(app, "anim@example.org", name="Camille")
    with atelier.sessions() as db:
        db.add(WorkshopFacilitator(workshop_id=atelier.workshop_id, account_id=account_id))
        db.commit()
    for email, status in (("autre@example.org", 404), ("anim@example.org", 200)):
        client = app.test_client()
        assert login(client, email).status_code == 200
        assert client.get(f"/api/v1/workshops/{atelier.workshop_id}/report.md").status_code == status


def test_the_pdf_loads_only_its_stylesheet_and_this_workshops_photos(app: Any, atelier: Atelier) -> None:
    from collab.exports.data import load
    from collab.exports.pdf import BASE_URL, LocalFiles

    with atelier.sessions() as db:
        media = load(db, atelier.workshop_id).media
    files = LocalFiles(Path(app.static_folder), Path(app.config["MEDIA_DIR"]), media)
    assert files.read(BASE_URL + "static/css/report.css")[1].startswith("text/css")
    body, kind = files.read(f"{BASE_URL}api/v1/media/{atelier.media_id}/thumb")
    assert kind == "image/jpeg" and body[:2] == b"\xff\xd8"
    for url in ("http://example.org/x.png", "file:///etc/passwd", f"{BASE_URL}static/css/app.css",
                f"{BASE_URL}api/v1/media/{uuid.uuid4()}", f"https://example.org/api/v1/media/{atelier.media_id}",
                f"{BASE_URL}api/v1/media/../../../etc/passwd"):
        with pytest.raises(ValueError):
            files.read(url)


# --- hooks and the console's partials -----------------------------------------------------------------


def test_other_features_add_sections_to_the_report(atelier: Atelier) -> None:
    from collab.exports import report

    def bilan(db: Any, workshop: Any) -> list[report.ReportSection]:
        from flask_babel import get_locale

        return [report.ReportSection(key="bilan", title=f"Bilan ({get_locale()})",
                                     markdown="- **4,2 / 5** en moyenne\n- <script>x</script>")]

    report.report_section(bilan)
    try:
        text = atelier.get("report.md").get_data(as_text=True)
        html = atelier.get("report.html").get_data(as_text=True)
    finally:
        report._PROVIDERS.remove(bilan)
    assert text.index("## Bilan (fr)") < text.index("## Annexe") and "- **4,2 / 5** en moyenne" in text
    assert '<section class="report-extra" id="section-bilan">' in html and "<strong>4,2 / 5</strong>" in html
    assert "<script>" not in html  # a section's Markdown is sanitised like a synthesis
    assert 'href="#section-bilan"' in html


def test_the_console_panel_links_every_export_and_imports_without_script(app: Any, atelier: Atelier) -> None:
    from flask import render_template

    with app.test_request_context("/facilitator/w/x", headers={"Accept-Language": "fr"}):
        html = render_template("exports/_panel.html", w={"id": atelier.workshop_id})
    for route in ("report.pdf", "report.html", "report.md", "cards.csv", "backup.json"):
        assert f'href="/api/v1/workshops/{atelier.workshop_id}/{route}"' in html
    assert 'action="/api/v1/workshops/import"' in html and 'name="csrf_token"' in html
    assert "Rapport et exports" in html and "Importer la sauvegarde d" in html
    # The form's answer is a page: success here, since the workshop exists already, a clear refusal.
    client = app.test_client()
    client.post("/api/v1/session", json={"token": atelier.facilitator_token})
    token = client.get("/api/v1/me").get_json()["csrf_token"]
    backup = atelier.get("backup.json").get_data()
    response = client.post("/api/v1/workshops/import", headers={"Accept": "text/html"},
                           content_type="multipart/form-data",
                           data={"csrf_token": token, "file": (io.BytesIO(backup), "sauvegarde.json")})
    assert response.status_code == 409 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "La sauvegarde n’a pas été importée" in page and "déjà sur ce serveur" in page
    no_csrf = client.post("/api/v1/workshops/import", content_type="multipart/form-data",
                          data={"file": (io.BytesIO(backup), "sauvegarde.json")})
    assert no_csrf.status_code == 403
