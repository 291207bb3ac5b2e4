"""Keep client mistakes out of the error log (SYNC-10).

Engine.IO logs any exception raised while it hands a frame to Socket.IO with a full traceback. Our own
handlers answer every error themselves (`handlers.answers`), so what still reaches that log line is a
frame python-socketio could not decode: a client's garbage, which must not fill the server's log. It
is kept as one warning line without a traceback.
"""

from __future__ import annotations

import logging


class MalformedFrameFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.getMessage() == "message handler error":
            error = record.exc_info[1]
            record.msg = "dropped a malformed Socket.IO frame: %s: %s"
            record.args = (type(error).__name__, error)
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.exc_info = record.exc_text = None
        return True


def install() -> None:
    logger = logging.getLogger("engineio.server")
    if not any(isinstance(f, MalformedFrameFilter) for f in logger.filters):
        logger.addFilter(MalformedFrameFilter())
