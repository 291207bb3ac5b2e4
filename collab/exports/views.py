"""Routes of the exports (docs/protocol.md, "Exports and backup"): the report (Markdown, printable
HTML, PDF), the CSV of all notes, the JSON backup, and importing a backup.

Only the workshop's facilitators: a facilitator account that manages it, or a facilitator's access
key (bearer token or session) of that workshop. A participant of the workshop gets 403; anyone from
elsewhere, 404: another workshop does not exist for them.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from flask import Response, current_app, jsonify, render_template, request, stream_with_context
from flask_babel import force_locale, gettext
from werkzeug.exceptions import RequestEntityTooLarge

from ..api.errors import error_response
from ..auth import bearer_token, current_actor
from ..extensions import csrf
from ..services import services
from ..sync.errors import N_, OpError
from . import bp
from .backup import write_backup
from .csv_export import to_csv
from .data import WorkshopData, load, report_timezone
from .pdf import LocalFiles, one_at_a_time, render_pdf
from .report import Report, build, render_html
from .report_markdown import to_markdown
from .restore import Restored, read_json, restore, validate


def _account_manages(workshop_id: str) -> tuple[bool, bool]:
    """(a facilitator account is signed in, it manages `workshop_id`)."""
    from ..facilitator.accounts import current_account
    from ..models import WorkshopFacilitator

    account = current_account()
    if account is None:
        return False, False
    with services().sessions() as db:
        return True, db.get(WorkshopFacilitator, (workshop_id, account.id)) is not None


def facilitator_of(workshop_id: str) -> None:
    """Let the request through only for this workshop's facilitators (401, 403 or 404 otherwise)."""
    actor, _ = current_actor()
    if actor is not None and actor.workshop_id == workshop_id and actor.is_facilitator:
        return
    signed_in, manages = _account_manages(workshop_id)
    if manages:
        return
    if actor is not None and actor.workshop_id == workshop_id:
        raise OpError("forbidden", N_("Only the workshop's facilitators can export it."))
    if actor is None and not signed_in:
        raise OpError("unauthorized", N_("Join the workshop first."))
    raise OpError("not_found", N_("This workshop does not exist."))


def slug(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:50].strip("-") or "collab"


def file_name(data: WorkshopData, suffix: str, extension: str) -> str:
    """atelier-<slug>-2026-11-26.pdf: the workshop's title and today's date, in its language."""
    with force_locale(data.workshop.locale):
        prefix = gettext("workshop")
        what = gettext(suffix) if suffix else ""
    day = datetime.now(UTC).astimezone(report_timezone()).date().isoformat()
    title = slug(data.workshop.title)
    lead = title if title == slug(prefix) or title.startswith(slug(prefix) + "-") else f"{slug(prefix)}-{title}"
    parts = [lead, day] + ([slug(what)] if what else [])
    return "-".join(parts) + "." + extension


def _download(body: Any, content_type: str, name: str, *, inline: bool = False) -> Response:
    """`content_type` is the whole header, charset included (Werkzeug adds one to a bare text/ mimetype)."""
    response = Response(body, content_type=content_type)
    response.headers["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@contextmanager
def _workshop(workshop_id: str) -> Iterator[tuple[Any, WorkshopData]]:
    facilitator_of(workshop_id)
    with services().sessions() as db:
        data = load(db, workshop_id)
        if data is None:
            raise OpError("not_found", N_("This workshop does not exist."))
        with force_locale(data.workshop.locale):
            yield db, data


def _report(workshop_id: str, render: Callable[[Report, WorkshopData], Any]) -> tuple[Any, WorkshopData]:
    with _workshop(workshop_id) as (db, data):
        return render(build(db, data, datetime.now(UTC)), data), data


def _media_url(media_id: str) -> str:
    return f"{request.host_url.rstrip('/')}/api/v1/media/{media_id}"


@bp.get("/workshops/<workshop_id>/report.md")
def report_markdown(workshop_id: str) -> Response:
    text, data = _report(workshop_id, lambda report, _data: to_markdown(report, _media_url))
    return _download(text, "text/markdown; charset=utf-8", file_name(data, "", "md"))


@bp.get("/workshops/<workshop_id>/report.html")
def report_page(workshop_id: str) -> Response:
    html, data = _report(workshop_id, lambda report, _data: render_html(report))
    return _download(html, "text/html; charset=utf-8", file_name(data, "", "html"), inline=True)


@bp.get("/workshops/<workshop_id>/report.pdf")
def report_pdf(workshop_id: str) -> Response:
    html, data = _report(workshop_id, lambda report, _data: render_html(report, for_pdf=True))
    files = LocalFiles(Path(current_app.static_folder or ""), Path(current_app.config["MEDIA_DIR"]), data.media)
    with one_at_a_time():
        pdf = services().offload(render_pdf, html, files)
    return _download(pdf, "application/pdf", file_name(data, "", "pdf"))


@bp.get("/workshops/<workshop_id>/cards.csv")
def cards_csv(workshop_id: str) -> Response:
    with _workshop(workshop_id) as (_db, data):
        text = to_csv(data, f"{request.host_url.rstrip('/')}/api/v1/media/")
    return _download(text.encode("utf-8"), "text/csv; charset=utf-8", file_name(data, N_("notes"), "csv"))


@bp.get("/workshops/<workshop_id>/backup.json")
def backup_json(workshop_id: str) -> Response:
    with _workshop(workshop_id) as (db, data):
        chunks = write_backup(db, workshop_id, Path(current_app.config["MEDIA_DIR"]))
    body = (chunk.encode("utf-8") for chunk in chunks)
    name = file_name(data, N_("backup"), "json")
    return _download(stream_with_context(body), "application/json; charset=utf-8", name)


def _importer() -> Callable[[Any, str], None] | None:
    """Who may import: a facilitator account (it then manages the new workshop) or a facilitator's key."""
    from ..facilitator.accounts import current_account
    from ..models import WorkshopFacilitator

    account = current_account()
    actor, from_cookie = current_actor()
    if account is None and actor is None:
        raise OpError("unauthorized", N_("Sign in as a facilitator first."))
    if bearer_token() is None:
        csrf.protect()
    if account is not None:
        return lambda db, workshop_id: db.add(WorkshopFacilitator(workshop_id=workshop_id, account_id=account.id))
    if actor is None or not actor.is_facilitator:
        raise OpError("forbidden", N_("Only facilitators can import a workshop."))
    return None


def _wants_page() -> bool:
    return bool(request.files) and request.accept_mimetypes.best_match(["application/json", "text/html"]) == "text/html"


@bp.post("/workshops/import")
def import_backup() -> tuple[Response | str, int]:
    request.max_content_length = current_app.config["MAX_BACKUP_BYTES"]
    try:
        restored = _import()
    except RequestEntityTooLarge:
        restored = OpError("too_large", N_("This backup is too large for this server."))
    except OpError as err:
        restored = err
    if isinstance(restored, OpError):
        if _wants_page():
            message = restored.to_wire(gettext)["error"]["message"]
            return render_template("exports/imported.html", error=message), restored.http_status
        return error_response(restored)
    result = {"workshop": {"id": restored.workshop_id, "title": restored.title, "code": restored.join_code},
              "code_changed": restored.code_changed, "counts": restored.counts}
    if _wants_page():
        return render_template("exports/imported.html", error=None, result=result), 201
    return jsonify(result), 201


def _parse(stream: IO[bytes]) -> dict[str, list[dict[str, Any]]]:
    return validate(read_json(stream))


def _import() -> Restored:
    on_created = _importer()
    upload = request.files.get("file")  # parsed to a temporary file by now
    if upload is not None:
        stream: IO[bytes] = upload.stream
    elif request.mimetype == "application/json":
        stream = io.BytesIO(request.get_data())
    else:
        raise OpError("invalid", N_("Send the backup as the form field “file”, or as a JSON body."))
    svc = services()
    tables = svc.offload(_parse, stream)  # CPU-bound: off the event loop
    with svc.sessions() as db:
        return restore(db, tables, Path(current_app.config["MEDIA_DIR"]), on_created)
