"""HTTP security headers: a strict Content-Security-Policy and friends on every response."""

from __future__ import annotations

from flask import Flask, Response, abort, request

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

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response
