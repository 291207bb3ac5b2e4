"""Exports and backup: the workshop report (Markdown, printable HTML, PDF), the CSV of all notes,
the JSON backup of a whole workshop and its import (docs/protocol.md, "Exports and backup").

Other features extend them without touching this package: `report.report_section` adds a section
to the report (the closing "bilan", say), `backup.register_table` adds a workshop table to backups.
"""

from flask import Blueprint, Flask, Response
from flask_wtf.csrf import CSRFError

from ..api.errors import error_response
from ..sync.errors import N_, OpError

bp = Blueprint("exports", __name__, url_prefix="/api/v1")


@bp.errorhandler(OpError)
def _op_error(err: OpError) -> tuple[Response, int]:
    return error_response(err)


@bp.errorhandler(CSRFError)
def _csrf_error(_err: CSRFError) -> tuple[Response, int]:
    return error_response(OpError("forbidden", N_("Your page is out of date: reload it and try again.")))


from . import views  # noqa: E402,F401  (routes register on import)


def init_exports(app: Flask) -> None:
    app.register_blueprint(bp)
