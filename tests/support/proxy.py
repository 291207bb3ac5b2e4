"""A TCP proxy on 127.0.0.1 that can stop forwarding without closing anything: a "black hole", as a
database or network that drops packets looks to its clients (tests of docs/protocol.md, "Outages")."""

from __future__ import annotations

import selectors
import socket
import threading


class BlackHoleProxy:
    """Forwards 127.0.0.1:`port` to `target`. `hold()` stops forwarding (bytes are read and kept,
    sockets stay open, new connections are accepted and never answered); `release()` forwards again,
    what was kept included."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._selector = selectors.DefaultSelector()
        self._lock = threading.Lock()
        self._pending: dict[socket.socket, bytearray] = {}  # what a socket's peer is owed
        self._peers: dict[socket.socket, socket.socket | None] = {}
        self._held = False
        self._running = True
        self._listener.setblocking(False)
        self._selector.register(self._listener, selectors.EVENT_READ)
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def hold(self) -> None:
        with self._lock:
            self._held = True

    def release(self) -> None:
        with self._lock:
            self._held = False

    def close(self) -> None:
        self._running = False
        self._thread.join(5)
        for sock in list(self._peers):
            sock.close()
        self._listener.close()

    def _run(self) -> None:
        while self._running:
            for key, _ in self._selector.select(0.05):
                sock = key.fileobj
                assert isinstance(sock, socket.socket)
                if sock is self._listener:
                    self._accept()
                else:
                    self._read(sock)
            with self._lock:
                held = self._held
            if not held:
                self._flush()

    def _accept(self) -> None:
        client, _ = self._listener.accept()
        client.setblocking(False)
        self._peers[client] = None  # connected to the target when traffic flows
        self._pending[client] = bytearray()
        self._selector.register(client, selectors.EVENT_READ)

    def _connect(self, client: socket.socket) -> socket.socket:
        upstream = socket.create_connection(self.target, timeout=5)
        upstream.setblocking(False)
        self._peers[client], self._peers[upstream] = upstream, client
        self._pending[upstream] = bytearray()
        self._selector.register(upstream, selectors.EVENT_READ)
        return upstream

    def _read(self, sock: socket.socket) -> None:
        try:
            data = sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:
            self._drop(sock)
            return
        self._pending[sock] += data  # from sock, for its peer

    def _flush(self) -> None:
        for sock, data in list(self._pending.items()):
            if not data or sock not in self._peers:
                continue
            peer = self._peers[sock]
            if peer is None:
                peer = self._connect(sock)
            try:
                sent = peer.send(bytes(data))
            except (BlockingIOError, InterruptedError):
                continue
            except OSError:
                self._drop(sock)
                continue
            del data[:sent]

    def _drop(self, sock: socket.socket) -> None:
        peer = self._peers.pop(sock, None)
        self._pending.pop(sock, None)
        self._selector.unregister(sock)
        sock.close()
        if peer is not None and peer in self._peers:
            self._drop(peer)
