"""The phone capture screen, the agenda page, and what makes the app installable and work offline."""

from __future__ import annotations

from flask import current_app, g, jsonify, redirect, render_template, request, send_from_directory, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response

from ..api.visits import list_visits
from ..auth import current_actor
from ..models import Participant, Workshop
from ..services import services
from ..workshops import participant_dict, workshop_dict
from . import bp
from .views import board_page, home_board_id


@bp.get("/capture")
def capture() -> Response | tuple[str, int] | str:
    """Capture notes for a board (`?board=`, default: one's own group's), online or not."""
    actor, _ = current_actor()
    if actor is None:
        return redirect(url_for("web.index"))
    board_id = request.args.get("board") or home_board_id(actor)
    return board_page("capture.html", actor, board_id, visits=list_visits(actor.workshop_id))


@bp.get("/agenda")
def agenda() -> Response | str:
    """The workshop's visits; facilitators add, change and remove them here."""
    actor, _ = current_actor()
    if actor is None:
        return redirect(url_for("web.index"))
    with services().sessions() as db:
        workshop = db.get(Workshop, actor.workshop_id)
        participant = db.get(Participant, actor.id)
        assert workshop is not None and participant is not None
        g.workshop_locale = workshop.locale
        return render_template(
            "agenda.html",
            workshop=workshop_dict(db, workshop),
            participant=participant_dict(participant),
            visits=list_visits(workshop.id),
            can_edit=actor.is_facilitator,
        )


@bp.get("/sw.js")
def service_worker() -> Response:
    """The service worker, served from the root so that it may control every page."""
    response = send_from_directory(current_app.static_folder or "static", "js/sw.js", max_age=0)
    response.headers["Content-Type"] = "text/javascript; charset=utf-8"
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.get("/manifest.webmanifest")
def manifest() -> Response:
    response = jsonify(
        {
            "name": "Collab",
            "short_name": "Collab",
            "description": gettext("Field notes and group boards for workshops"),
            "lang": request.accept_languages.best_match(current_app.config["LANGUAGES"]) or "fr",
            "start_url": "/capture",
            "scope": "/",
            "display": "standalone",
            "background_color": "#f4f3ef",
            "theme_color": "#2c5a85",
            "icons": [
                {"src": "/static/icons/app-192.png", "sizes": "192x192", "type": "image/png"},
                {"src": "/static/icons/app-512.png", "sizes": "512x512", "type": "image/png"},
                {"src": "/static/icons/favicon.svg", "sizes": "any", "type": "image/svg+xml"},
            ],
        }
    )
    response.mimetype = "application/manifest+json"
    return response
