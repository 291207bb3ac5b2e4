"""HTTP security headers: a strict Content-Security-Policy and friends on every response."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, abort, request

from .sync.text import CONTROL

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def init_security_headers(app: Flask) -> None:
    @app.before_request
    def _no_controls_in_address() -> None:
        """Ids in the path and query values never hold control characters (SYNC-1): such an address is
        `400 invalid` (PostgreSQL refuses NUL in a query, SQLite would just find nothing)."""
        values = [*(request.view_args or {}).values(), *request.args.values()]
        if any(isinstance(value, str) and CONTROL.search(value) for value in values):
            abort(400)

    # Outermost: Socket.IO's polling answers (Engine.IO's own WSGI app) get the headers too.
    app.wsgi_app = SecurityHeaders(app.wsgi_app)  # type: ignore[method-assign]


HEADERS = (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
)


class SecurityHeaders:
    """WSGI middleware: every response gets HEADERS, unless it set one of them itself. (Flask's
    `after_request` would miss what Flask-SocketIO's middleware answers: `/socket.io/` polling.)"""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            present = {name.lower() for name, _ in headers}
            headers = [*headers, *((name, value) for name, value in HEADERS if name.lower() not in present)]
            return start_response(status, headers, exc_info)

        return self.app(environ, start)
