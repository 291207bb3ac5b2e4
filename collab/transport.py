"""WebSocket transport tuning, independent of the async mode.

Browsers (and Node's `ws`) offer permessage-deflate; eventlet accepts it and then compresses every
small frame once per connection, which costs more CPU and latency than it saves on board events of a
few hundred bytes (measured in docs/performance.md). Removing the offer from the handshake makes the
server decline it, whatever the async mode.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any


class DeclineWebSocketCompression:
    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]]) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)
        return self.wsgi_app(environ, start_response)
