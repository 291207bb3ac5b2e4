"""The audience link: a read-only follower page with no account (docs/protocol.md, "Presentation").

The link carries a token signed with the app's SECRET_KEY (itsdangerous, salt "audience") whose
payload is the workshop id; it never expires and cannot be revoked but by changing SECRET_KEY.
It shows only what is being projected: the live `presentation` state, the slides of the group
being presented, and the photos of that group's notes — nothing else of the workshop.
"""

from __future__ import annotations

from flask import Response, current_app, g, jsonify, render_template
from itsdangerous import BadSignature, URLSafeSerializer

from ..api.join import client_address
from ..api.media import send_media
from ..models import Media, Workshop, utcnow
from ..services import services
from ..sync.errors import N_, OpError
from . import bp
from .access import presentation
from .slides import group_slides, media_on_board, presented_board_id

SALT = "audience"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def audience_token(workshop_id: str) -> str:
    return _serializer().dumps(workshop_id)


def audience_url(workshop_id: str) -> str:
    from ..facilitator.joinkit import base_url

    return f"{base_url()}/a/{audience_token(workshop_id)}"


def workshop_for(token: str) -> Workshop:
    """The workshop of a valid token; anything else is `not_found`. Rate-limited per client address
    (`audience`: generous, a whole room may follow from one venue address)."""
    services().limits.hit("audience", client_address())
    try:
        workshop_id = _serializer().loads(token) if len(token) <= 200 else None
    except BadSignature:
        workshop_id = None
    workshop = None
    if isinstance(workshop_id, str):
        with services().sessions() as db:
            workshop = db.get(Workshop, workshop_id)
    if workshop is None:
        raise OpError("not_found", N_("This link does not exist."))
    g.workshop_locale = workshop.locale
    return workshop


@bp.get("/a/<token>")
def audience_page(token: str) -> str:
    workshop = workshop_for(token)
    return render_template("present/audience.html", workshop={"id": workshop.id, "title": workshop.title},
                           token=token)


@bp.get("/api/v1/audience/<token>/live")
def audience_live(token: str) -> Response:
    """Only the presentation part of the workshop's live state (no timer, announcement or prompt)."""
    workshop = workshop_for(token)
    with services().sessions() as db:
        shown = presentation(db, workshop.id)
    return jsonify({"workshop_id": workshop.id, "presentation": shown, "server_time": utcnow().isoformat()})


@bp.get("/api/v1/audience/<token>/present/<group_id>")
def audience_slides(token: str, group_id: str) -> Response:
    workshop = workshop_for(token)
    with services().sessions() as db:
        shown = presentation(db, workshop.id)
        if not shown or shown.get("group_id") != group_id:
            raise OpError("forbidden", N_("This group is not being presented."))
        data = group_slides(db, workshop.id, group_id)
    if data is None:
        raise OpError("not_found", N_("This group does not exist."))
    return jsonify(data)


@bp.get("/api/v1/audience/<token>/media/<media_id>/thumb")
def audience_thumb(token: str, media_id: str) -> Response:
    workshop = workshop_for(token)
    with services().sessions() as db:
        shown = presentation(db, workshop.id)
        board_id = presented_board_id(db, workshop.id, shown.get("group_id") if shown else None)
        media = db.get(Media, media_id) if len(media_id) <= 64 else None
        if media is None or media.workshop_id != workshop.id or board_id is None or not media_on_board(
            db, board_id, media.id
        ):
            raise OpError("not_found", N_("This photo does not exist."))
    response = send_media(media, thumb=True)
    response.headers["Cache-Control"] = "private, max-age=300"
    return response
