"""The server-rendered pages: join, board."""

from flask import Blueprint

bp = Blueprint("web", __name__)

from . import capture, icons, views  # noqa: E402,F401
