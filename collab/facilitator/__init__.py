"""The facilitator console: accounts, workshops, groups, join kit, participants, co-facilitators.

Pages under `/facilitator/…` (views), JSON under `/api/v1/facilitator/…` (api, api_people);
docs/protocol.md, "Facilitator console".
"""

from flask import Blueprint, Flask

pages = Blueprint("facilitator", __name__, url_prefix="/facilitator")
api = Blueprint("facilitator_api", __name__, url_prefix="/api/v1/facilitator")

from . import api_people, api_workshops, console, prompts_page, setup, views  # noqa: E402,F401  (routes register on import)


def init_facilitator(app: Flask) -> None:
    app.register_blueprint(pages)
    app.register_blueprint(api)
