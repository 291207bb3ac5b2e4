"""The REST API, `/api/v1` (docs/protocol.md, "REST routes")."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from . import boards, errors, history, join, live, media, my_notes, prompts, visits  # noqa: E402,F401  (routes register on import)
