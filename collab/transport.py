"""WebSocket transport tuning, independent of the async mode.

Browsers (and Node's `ws`) offer permessage-deflate; eventlet accepts it and then compresses every
small frame once per connection, which costs more CPU and latency than it saves on board events of a
few hundred bytes (measured in docs/performance.md). Removing the offer from the handshake makes the
server decline it, whatever the async mode.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any


class DeclineWebSocketCompression:
    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]]) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)
        return self.wsgi_app(environ, start_response)


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
