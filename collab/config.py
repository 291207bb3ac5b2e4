"""Configuration from the environment, with defaults that just work (README, "Configuration")."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ASYNC_MODES = ("eventlet", "gevent", "threading")


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def _secret_key(instance_dir: Path) -> str:
    """COLLAB_SECRET_KEY, or a key generated once and kept in the instance folder."""
    configured = _env("COLLAB_SECRET_KEY")
    if configured:
        return configured
    path = instance_dir / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as fh:
        key = secrets.token_urlsafe(48)
        fh.write(key)
    return key


def child_environment(**extra: str) -> dict[str, str]:
    """The environment for a child process (pg_dump, pg_restore), with `extra` variables."""
    return {**os.environ, **extra}


def _log_format(value: str | None) -> str:
    if value not in ("plain", "json"):
        raise RuntimeError(f"COLLAB_LOG_FORMAT must be plain or json, not {value!r}")
    return value


def export_metrics_dir(path: str) -> None:
    """prometheus-client's multiprocess mode reads its folder from the environment only
    (collab/metrics.py sets it from COLLAB_METRICS_DIR before it makes the first metric)."""
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = path


# Each named rate limit (collab/ratelimit.py) and the setting that holds its value.
RATE_LIMITS = {
    "op": "OP_RATE_LIMIT",
    "upload": "UPLOAD_RATE_LIMIT",
    "join_failure": "JOIN_FAILURE_LIMIT",
    "login_failure": "LOGIN_FAILURE_LIMIT",
    "audience": "AUDIENCE_RATE_LIMIT",
}


def from_env(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """The application's settings: environment first, then `overrides` (tests)."""
    overrides = overrides or {}
    instance_dir = Path(overrides.get("INSTANCE_DIR") or _env("COLLAB_INSTANCE_DIR", str(ROOT / "instance")))
    instance_dir.mkdir(parents=True, exist_ok=True)
    async_mode = _env("COLLAB_ASYNC_MODE", "eventlet")
    if async_mode not in ASYNC_MODES:
        raise RuntimeError(f"COLLAB_ASYNC_MODE must be one of {', '.join(ASYNC_MODES)}, not {async_mode!r}")
    settings: dict[str, Any] = {
        "INSTANCE_DIR": str(instance_dir),
        "DATABASE_URL": _env("COLLAB_DATABASE_URL", f"sqlite:///{instance_dir / 'collab.db'}"),
        "MESSAGE_QUEUE": _env("COLLAB_MESSAGE_QUEUE"),
        "HOST": _env("COLLAB_HOST", "127.0.0.1"),
        "PORT": int(_env("COLLAB_PORT", "5000") or 5000),
        "PUBLIC_URL": _env("COLLAB_PUBLIC_URL"),
        # HTTPS, for phones on the LAN: browsers run service workers (offline reload) only on https
        # or localhost. A certificate the phones trust (e.g. from a local CA) and its key, PEM files.
        "TLS_CERT": _env("COLLAB_TLS_CERT"),
        "TLS_KEY": _env("COLLAB_TLS_KEY"),
        "MEDIA_DIR": _env("COLLAB_MEDIA_DIR", str(instance_dir / "media")),
        "ASYNC_MODE": async_mode,
        "MAX_CONNECTIONS": int(_env("COLLAB_MAX_CONNECTIONS", "5000") or 5000),  # per process (eventlet)
        # Socket.IO connections one client address may hold on one process: a whole room may share one
        # venue NAT address, so it is generous (collab/realtime/gate.py).
        "MAX_CONNECTIONS_PER_ADDRESS": int(_env("COLLAB_MAX_CONNECTIONS_PER_ADDRESS", "200") or 200),
        # Seconds a connection may stay open without a signed-in Socket.IO session (collab/realtime/gate.py).
        "SOCKET_AUTH_TIMEOUT": float(_env("COLLAB_SOCKET_AUTH_TIMEOUT", "10") or 10),
        # Seconds the database may take to connect or answer one statement before a request gets
        # `unavailable` (collab/db.py); readiness (/readyz) waits at most a few seconds.
        "DB_TIMEOUT": float(_env("COLLAB_DB_TIMEOUT", "5") or 5),
        # How many reverse proxies stand in front (X-Forwarded-For/-Proto/-Host are trusted that deep).
        "TRUSTED_PROXIES": int(_env("COLLAB_TRUSTED_PROXIES", "0") or 0),
        "AUTO_MIGRATE": _env("COLLAB_AUTO_MIGRATE", "1") != "0",
        # One line per request on the `collab.access` logger (method, path with its query values masked,
        # status, duration: collab/transport.py AccessLog); 0 turns it off.
        "ACCESS_LOG": _env("COLLAB_ACCESS_LOG", "1") != "0",
        # Log lines as text ("plain") or one JSON object per line ("json": time, level, logger, message
        # and the line's fields), for a log collector (collab/__init__.py, docs/operations.md).
        "LOG_FORMAT": _log_format(_env("COLLAB_LOG_FORMAT", "plain")),
        # Prometheus metrics (collab/metrics.py): a folder shared by the processes of one instance turns
        # on the multiprocess mode (/metrics sums them all); empty: each process shows its own.
        "METRICS_DIR": _env("COLLAB_METRICS_DIR", ""),
        # When set, /metrics answers only requests with `Authorization: Bearer <it>` (else 401).
        "METRICS_TOKEN": _env("COLLAB_METRICS_TOKEN", ""),
        # Pages load their bundle (static/dist/, made by scripts/setup.sh) when it is up to date; 0: always
        # their ES modules one by one (debugging in the browser without source maps).
        "BUNDLES": _env("COLLAB_BUNDLES", "1") != "0",
        # Rate limits (collab/ratelimit.py, named in RATE_LIMITS below); "off" disables one (benchmarks).
        "OP_RATE_LIMIT": _env("COLLAB_OP_RATE_LIMIT", "50/second;600/minute"),  # changes per participant
        "UPLOAD_RATE_LIMIT": _env("COLLAB_UPLOAD_RATE_LIMIT", "20/minute;300/hour"),  # photos per participant
        "JOIN_FAILURE_LIMIT": _env("COLLAB_JOIN_FAILURE_LIMIT", "10/minute"),  # wrong codes per address
        "LOGIN_FAILURE_LIMIT": _env("COLLAB_LOGIN_FAILURE_LIMIT", "10/minute;50/hour"),  # per address, per email
        "AUDIENCE_RATE_LIMIT": _env("COLLAB_AUDIENCE_RATE_LIMIT", "2400/minute"),  # audience link, per address (a room)
        "MAX_CONTENT_LENGTH": 1024 * 1024,  # JSON bodies; photo uploads have their own limit
        "MAX_BACKUP_BYTES": 1024 * 1024 * 1024,  # a backup to import, photos included
        # The workshop's time zone: times in reports, CSV exports and file names.
        "TIMEZONE": _env("COLLAB_TIMEZONE", "Europe/Paris"),
        # Personal data: the join page's privacy notice (plain text; empty: the default, translated) and
        # the days an archived workshop is kept before `collab purge` deletes it with its photos (0: never).
        "PRIVACY_NOTICE": _env("COLLAB_PRIVACY_NOTICE"),
        "RETENTION_DAYS": int(_env("COLLAB_RETENTION_DAYS", "90") or 90),
        "MAX_UPLOAD_BYTES": int(float(_env("COLLAB_MAX_UPLOAD_MB", "15") or 15) * 1024 * 1024),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_NAME": "collab_session",
        "PERMANENT_SESSION_LIFETIME": 60 * 60 * 24 * 30,
        "WTF_CSRF_TIME_LIMIT": None,
        "WTF_CSRF_CHECK_DEFAULT": False,
        "BABEL_DEFAULT_LOCALE": "fr",
        "BABEL_TRANSLATION_DIRECTORIES": str(ROOT / "translations"),
        "LANGUAGES": ("fr", "en"),
    }
    settings.update(overrides)
    settings.setdefault("SESSION_COOKIE_SECURE", bool(settings["TLS_CERT"]))
    if "SECRET_KEY" not in settings:
        settings["SECRET_KEY"] = _secret_key(instance_dir)
    return settings
