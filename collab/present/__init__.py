"""The closing session's presentation mode (docs/protocol.md, "Presentation"): each group's
slideshow driven by a facilitator, followed live by participants (the `present` live control) and
by an audience with no account (a signed link), and all groups' themes side by side.

`slides` builds the slides from the database (no Flask); `views` has the pages and JSON routes,
`audience` the signed audience link and its read-only routes.
"""

from flask import Blueprint, Flask, Response, render_template, request
from flask_babel import gettext

from ..api.errors import error_response
from ..sync.errors import OpError

bp = Blueprint("present", __name__)


@bp.errorhandler(OpError)
def _op_error(err: OpError) -> tuple[Response, int] | tuple[str, int]:
    if request.path.startswith("/api/"):
        return error_response(err)
    if err.code == "forbidden":
        return render_template("present/message.html", message=gettext(err.message)), 403
    return render_template("not_found.html"), 404


from . import audience, views  # noqa: E402,F401  (routes register on import)


def init_present(app: Flask) -> None:
    app.register_blueprint(bp)
