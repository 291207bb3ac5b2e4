"""Collab: real-time group boards for field workshops."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask
from flask_babel import get_locale
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from . import config, migrate
from .extensions import babel, csrf, socketio
from .i18n import select_locale, workshop_time_zone
from .safejson import JSONProvider, SocketJSON
from .security import init_security_headers
from .services import init_services
from .transport import AccessLog, DeclineWebSocketCompression


def _log_once(*names: str) -> None:
    """Engine.IO and Socket.IO add a console handler of their own; the root logger already prints."""
    for name in names:
        logger = logging.getLogger(name)
        for handler in list(logger.handlers):
            if type(handler) is logging.StreamHandler:
                logger.removeHandler(handler)


PLAIN_LOG = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def _configure_logging(log_format: str) -> None:
    """Log lines to stderr, as text or (COLLAB_LOG_FORMAT=json) one JSON object per line: time, level,
    logger, message and the line's own fields (the access line's, an op error's: `extra=`)."""
    logging.basicConfig(level=logging.INFO, format=PLAIN_LOG)
    logging.captureWarnings(True)  # warnings after start-up are log lines too (py.warnings)
    if log_format == "json":
        from pythonjsonlogger.json import JsonFormatter

        formatter: logging.Formatter = JsonFormatter(
            "{asctime}{levelname}{name}{message}", style="{", datefmt="%Y-%m-%dT%H:%M:%S%z",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"})
    else:
        formatter = logging.Formatter(PLAIN_LOG)
    for handler in logging.getLogger().handlers:
        if type(handler) is logging.StreamHandler:  # not pytest's capture handlers
            handler.setFormatter(formatter)


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """The application factory: settings from the environment, then `overrides` (tests)."""
    app = Flask(__name__, static_folder="../static", template_folder="../templates")
    app.config.from_mapping(config.from_env(overrides))
    app.json = JSONProvider(app)  # JSON from clients nests MAX_DEPTH levels at most (collab.safejson)
    _configure_logging(app.config["LOG_FORMAT"])
    logging.getLogger("alembic").setLevel(logging.WARNING)

    services = init_services(app)
    if app.config["AUTO_MIGRATE"]:
        migrate.upgrade(services.engine)

    babel.init_app(app, locale_selector=select_locale)
    csrf.init_app(app)
    from .realtime.delivery import client_manager

    socketio.init_app(
        app,
        async_mode=app.config["ASYNC_MODE"],
        client_manager=client_manager(app.config["MESSAGE_QUEUE"]),
        max_http_buffer_size=app.config["MAX_CONTENT_LENGTH"],
        json=SocketJSON,
        logger=False,
        engineio_logger=False,
    )
    _log_once("engineio.server", "socketio.server")
    from .realtime.gate import init_gate

    init_gate(app, socketio)  # connections per address, and a deadline to sign in
    app.wsgi_app = DeclineWebSocketCompression(app.wsgi_app)  # type: ignore[method-assign]
    if app.config["TRUSTED_PROXIES"]:
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    if app.config["ACCESS_LOG"]:
        app.wsgi_app = AccessLog(app.wsgi_app)  # type: ignore[method-assign]
    init_security_headers(app)

    from .api import bp as api_bp
    from .api.errors import http_error
    from .cli import init_cli
    from .exports import init_exports
    from .facilitator import init_facilitator
    from .health import init_health
    from .metrics import init_metrics
    from .modulegraph import init_modulegraph
    from .present import init_present
    from .realtime.handlers import init_readers  # (socket handlers register on import)
    from .web import bp as web_bp

    init_readers(app)  # the live delivery's per-reader filter (SYNC-15)
    app.register_blueprint(api_bp)
    app.register_blueprint(web_bp)
    init_health(app)  # /healthz and /readyz (collab/health.py)
    init_metrics(app)  # /metrics (collab/metrics.py)
    init_facilitator(app)
    init_exports(app)
    init_present(app)
    init_modulegraph(app)  # module_preloads() in templates (collab/modulegraph.py)
    from . import prompts_export  # noqa: F401  (the bilan in reports, prompts in backups)
    app.register_error_handler(HTTPException, http_error)
    init_cli(app)

    @app.context_processor
    def _locale() -> dict[str, str]:
        return {"locale": str(get_locale()), "time_zone": workshop_time_zone()}

    return app
