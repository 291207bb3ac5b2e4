"""Photo upload and download: only members of the workshop see its photos."""

from __future__ import annotations

import os
import secrets
import uuid
from pathlib import Path
from typing import Any

from flask import Response, current_app, jsonify, request, send_file
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import RequestEntityTooLarge

from .. import metrics
from ..media import DECODES, Processed, media_file, process_image, workshop_media_dir
from ..models import Media
from ..services import services
from ..sync.access import Actor
from ..sync.errors import N_, OpError
from . import bp
from .errors import require_actor

# How long an upload waits for a free decoding slot before the server says it is busy.
DECODE_WAIT_SECONDS = 30


def media_dict(media: Media) -> dict[str, Any]:
    return {
        "id": media.id,
        "url": f"/api/v1/media/{media.id}",
        "thumb_url": f"/api/v1/media/{media.id}/thumb",
        "width": media.width,
        "height": media.height,
    }


@bp.post("/media")
@metrics.count_uploads
def upload_media() -> tuple[Response, int]:
    limit = current_app.config["MAX_UPLOAD_BYTES"]
    request.max_content_length = limit
    try:
        actor = require_actor(writing=True)  # the CSRF check may read the form
        upload = request.files.get("file")
        client_id = request.form.get("id")
    except RequestEntityTooLarge:
        raise _too_large(limit) from None
    if upload is None:
        raise OpError("invalid", N_("Send the photo in the form field “file”."))
    media_id = _media_id(client_id)
    svc = services()
    with svc.sessions() as db:
        existing = db.get(Media, media_id)
        if existing is not None:  # a retried upload (offline outbox): the first one stands
            if existing.uploader_id != actor.id:
                raise OpError("invalid", N_("This photo id is already taken."))
            return jsonify(media_dict(existing)), 200
    svc.limits.hit("upload", actor.id)  # a retried upload above is not counted
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _too_large(limit)
    processed = _decode(data)
    del data
    return jsonify(media_dict(_store(actor, media_id, processed))), 201


def _decode(data: bytes) -> Processed:
    """The photo processed off the event loop, at most DECODE_SLOTS at a time in this process."""
    if not DECODES.acquire(timeout=DECODE_WAIT_SECONDS):
        busy = OpError("rate_limited", N_("The server is busy with other photos: send this one again in a moment."))
        busy.retry_after = 5
        raise busy
    try:
        return services().offload(process_image, data)
    finally:
        DECODES.release()


def _too_large(limit: int) -> OpError:
    return OpError("too_large", N_("This photo is too large: %(mb)s MB at most."), mb=limit // (1024 * 1024))


def _media_id(client_id: str | None) -> str:
    if not client_id:
        return str(uuid.uuid4())
    try:
        return str(uuid.UUID(client_id))
    except ValueError:
        raise OpError("invalid", N_("Invalid field: %(field)s."), field="id") from None


def _store(actor: Actor, media_id: str, processed: Processed) -> Media:
    folder = workshop_media_dir(current_app.config["MEDIA_DIR"], actor.workshop_id)
    folder.mkdir(parents=True, exist_ok=True)
    stem = secrets.token_urlsafe(24)
    file_name, thumb_name = f"{stem}.jpg", f"{stem}.thumb.jpg"
    _write(folder / file_name, processed.full)
    _write(folder / thumb_name, processed.thumb)
    media = Media(
        id=media_id,
        workshop_id=actor.workshop_id,
        uploader_id=actor.id,
        file_name=file_name,
        thumb_name=thumb_name,
        content_type=processed.content_type,
        width=processed.width,
        height=processed.height,
        size=len(processed.full),
    )
    with services().sessions() as db:
        db.add(media)
        try:
            db.commit()
        except IntegrityError:  # the same id uploaded twice at once: keep the first
            db.rollback()
            for name in (file_name, thumb_name):
                (folder / name).unlink(missing_ok=True)
            existing = db.get(Media, media_id)
            if existing is None or existing.uploader_id != actor.id:
                raise OpError("invalid", N_("This photo id is already taken.")) from None
            return existing
    return media


def _write(path: Path, data: bytes) -> None:
    temporary = path.with_suffix(".part")
    temporary.write_bytes(data)
    os.replace(temporary, path)


@bp.get("/media/<media_id>")
def get_media(media_id: str) -> Response:
    return _send(media_id, thumb=False)


@bp.get("/media/<media_id>/thumb")
def get_media_thumb(media_id: str) -> Response:
    return _send(media_id, thumb=True)


def _send(media_id: str, thumb: bool) -> Response:
    actor = require_actor()
    with services().sessions() as db:
        media = db.get(Media, media_id)
    if media is None or media.workshop_id != actor.workshop_id:
        raise OpError("not_found", N_("This photo does not exist."))
    response = send_media(media, thumb)
    response.headers["Cache-Control"] = "private, max-age=31536000, immutable"
    return response


def send_media(media: Media, thumb: bool) -> Response:
    """The photo's file (or its thumbnail); 404 `not_found` when the file is not on disk."""
    try:
        path = media_file(current_app.config["MEDIA_DIR"], media.workshop_id,
                          media.thumb_name if thumb else media.file_name)
        return send_file(path, mimetype=media.content_type)  # stats the file: a missing one is an OSError
    except (ValueError, OSError):
        raise OpError("not_found", N_("This photo does not exist.")) from None
