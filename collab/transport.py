"""WebSocket transport tuning and the access log, independent of the async mode.

Browsers (and Node's `ws`) offer permessage-deflate; eventlet accepts it and then compresses every
small frame once per connection, which costs more CPU and latency than it saves on board events of a
few hundred bytes (measured in docs/performance.md). Removing the offer from the handshake makes the
server decline it, whatever the async mode.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any
from urllib.parse import parse_qsl, quote

# Query values the access log may print as they are (Engine.IO's protocol version and transport);
# every other value is masked: tokens, `next=` targets, session ids never reach the log.
PLAIN_QUERY_KEYS = frozenset({"EIO", "transport"})
# Paths whose next segment is a capability (the audience link's token, a join code): masked too.
SECRET_SEGMENT = re.compile(r"^(/a/|/j/|/api/v1/audience/)[^/]+")
access_logger = logging.getLogger("collab.access")


class DeclineWebSocketCompression:
    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]]) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)
        return self.wsgi_app(environ, start_response)


def loggable_path(environ: dict[str, Any]) -> str:
    """The request's path, its query values masked (`/login?next=…&EIO=4`) but the keys kept, and the
    capability in `/a/…`, `/j/…` and `/api/v1/audience/…` masked."""
    path = quote(environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", ""), safe="/:@!$&'()*+,;=-._~")
    path = SECRET_SEGMENT.sub(r"\1…", path)
    pairs = parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    if not pairs:
        return path
    shown = (f"{quote(key)}={quote(value) if key in PLAIN_QUERY_KEYS else '…'}" for key, value in pairs)
    return path + "?" + "&".join(shown)


class _Body:
    """A response body that calls `done` once the server closes it (PEP 3333: always, sent or not)."""

    def __init__(self, body: Iterable[bytes], done: Callable[[], None]) -> None:
        self.body, self.done = body, done

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.body)

    def close(self) -> None:
        try:
            close = getattr(self.body, "close", None)
            if close is not None:
                close()
        finally:
            self.done()


class _SizedBody(_Body):
    """The same, keeping the length servers use to send a Content-Length rather than chunks."""

    def __len__(self) -> int:
        return len(self.body)  # type: ignore[arg-type]


class AccessLog:
    """One line per request on the `collab.access` logger once its answer is sent (or the client
    went away): method, path with its query values masked, status, duration. Every async mode."""

    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]]) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        started = time.monotonic()
        status: list[str] = []

        def recording_start_response(code: str, headers: Any, *args: Any) -> Any:
            status[:] = [code.split(" ", 1)[0]]
            return start_response(code, headers, *args)

        try:
            body = self.wsgi_app(environ, recording_start_response)
        except BaseException:
            self._log(environ, "500", started)
            raise
        # A WebSocket's handshake is written by the server's own code (eventlet): no start_response.
        upgraded = environ.get("HTTP_UPGRADE", "").lower() == "websocket"
        done = lambda: self._log(environ, status[0] if status else "101" if upgraded else "-", started)  # noqa: E731
        return _SizedBody(body, done) if hasattr(body, "__len__") else _Body(body, done)

    @staticmethod
    def _log(environ: dict[str, Any], status: str, started: float) -> None:
        elapsed = (time.monotonic() - started) * 1000
        method, path = environ.get("REQUEST_METHOD", "-"), loggable_path(environ)
        access_logger.info("%s %s %s %.0f ms", method, path, status, elapsed,
                           extra={"method": method, "path": path, "status": status, "duration_ms": round(elapsed)})


def unmask_websocket_payload(data: bytes, mask: Sequence[int], length: int | None = None, offset: int = 0) -> bytes:
    """XOR a client frame's payload with its 4-byte mask (RFC 6455, 5.3), in C rather than byte by byte.

    Same contract as eventlet's `RFC6455WebSocket._apply_mask`, which `wsgi.py` replaces with this: the
    original loops in Python (about half a second per megabyte, on the hub, stalling every client).
    """
    if length is None:
        length = len(data)
    if length <= 0:
        return b""
    key = bytes(mask[(offset + i) % 4] for i in range(4))
    repeated = (key * (length // 4 + 1))[:length]
    payload = int.from_bytes(bytes(data[:length]), "big") ^ int.from_bytes(repeated, "big")
    return payload.to_bytes(length, "big")


def serve_eventlet(app: Any, host: str, port: int, *, log_output: bool = False, **options: Any) -> None:
    """Flask-SocketIO's `run()` for eventlet, with Nagle's algorithm off on every connection.

    eventlet writes a response's head and body in separate `send()`s. With Nagle on, the body of every
    response after the first on a kept-alive connection waits for the client's delayed ACK of the head:
    ~40 ms each on Linux, so a page's ~60 modules took 0.4-0.6 s over six connections (measured in
    docs/performance.md, "Board budget"). TCP_NODELAY on the listening socket is inherited by the
    accepted ones. `options`: `certfile`/`keyfile` (TLS) and `eventlet.wsgi.server`'s own.
    """
    import socket

    import eventlet
    import eventlet.wsgi

    family, *_, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    listener = eventlet.listen(address, family)
    listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    certfile, keyfile = options.pop("certfile", None), options.pop("keyfile", None)
    if certfile:
        listener = eventlet.wrap_ssl(listener, certfile=certfile, keyfile=keyfile, server_side=True)
    eventlet.wsgi.server(listener, app, log_output=log_output, **options)
