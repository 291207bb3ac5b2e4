"""The error every sync rule raises, with a stable code and a translatable message."""

from __future__ import annotations

from typing import Any


def N_(message: str) -> str:
    """Mark a message for translation; it is translated where it reaches a person."""
    return message


HTTP_STATUS = {
    "invalid": 400,
    "unauthorized": 401,
    "forbidden": 403,
    "not_found": 404,
    "conflict": 409,
    "gone": 410,
    "too_large": 413,
    "locked": 423,
    "rate_limited": 429,
    "internal": 500,
    "unavailable": 503,
}
UNAVAILABLE_RETRY_SECONDS = 5  # Retry-After of `unavailable`


class OpError(Exception):
    """A refused request: `code` is for programs (docs/protocol.md), `message` for people."""

    retry_after: int | None = None  # seconds, for `rate_limited` (REST sends it as Retry-After)

    def __init__(self, code: str, message: str, *, details: dict[str, Any] | None = None, **params: Any) -> None:
        """`params` fill the message's %(name)s; `details` join the error object (e.g. `current`)."""
        assert code in HTTP_STATUS, code
        super().__init__(code, message)
        self.code = code
        self.message = message
        self.params = params
        self.details = details or {}

    @property
    def http_status(self) -> int:
        return HTTP_STATUS[self.code]

    def to_wire(self, translate: Any = None) -> dict[str, Any]:
        message = translate(self.message) if translate else self.message
        if self.params:
            message = message % self.params
        return {"ok": False, "error": {"code": self.code, "message": message, **self.details}}


def unavailable() -> OpError:
    """The database (or another service a request needs) did not answer in time: retry later.

    collab/db.py raises it in place of SQLAlchemy's OperationalError and pool TimeoutError, so that
    every REST view and socket handler answers it like any refusal (docs/protocol.md, "Outages")."""
    error = OpError("unavailable", N_("The server cannot reach its database: try again in a moment."))
    error.retry_after = UNAVAILABLE_RETRY_SECONDS
    return error
