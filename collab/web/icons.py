"""`/favicon.ico`: browsers and bookmark tools ask for it at the root whatever the pages link to."""

from __future__ import annotations

from flask import current_app, send_from_directory
from werkzeug.wrappers import Response

from . import bp


@bp.get("/favicon.ico")
def favicon() -> Response:
    """The app's icon (static/icons/favicon.ico: the four tiles of favicon.svg at 16, 32 and 48 px)."""
    folder = f"{current_app.static_folder}/icons"
    response = send_from_directory(folder, "favicon.ico", mimetype="image/vnd.microsoft.icon", max_age=86400)
    return response
