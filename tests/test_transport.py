"""The WebSocket handshake as browsers make it (docs/performance.md: compression is declined)."""

from __future__ import annotations

import base64
import os
import socket
from pathlib import Path

import pytest

from .support.server import LiveServer


def handshake(server: LiveServer, extensions: str) -> str:
    key = base64.b64encode(os.urandom(16)).decode()
    request = (
        "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{server.port}\r\n"
        "Upgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
        f"Sec-WebSocket-Extensions: {extensions}\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(request.encode())
        reply = b""
        while b"\r\n\r\n" not in reply:
            chunk = sock.recv(4096)
            if not chunk:
                break
            reply += chunk
    return reply.decode("latin-1")


def test_websocket_upgrade_declines_permessage_deflate(live_server: LiveServer) -> None:
    reply = handshake(live_server, "permessage-deflate; client_max_window_bits")
    assert reply.startswith("HTTP/1.1 101")
    assert "sec-websocket-extensions" not in reply.lower()


def test_behind_a_trusted_proxy_the_client_address_comes_from_x_forwarded_for(tmp_path: Path) -> None:
    """Join failures count per client, not per proxy, once COLLAB_TRUSTED_PROXIES says one proxy is in front."""
    from collab import create_app

    app = create_app({"INSTANCE_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'p.db'}",
                      "ASYNC_MODE": "threading", "SECRET_KEY": "test", "TRUSTED_PROXIES": 1})
    client = app.test_client()
    for attempt in range(11):
        response = client.post("/api/v1/join", json={"code": f"NOPE{attempt}", "name": "x"},
                               headers={"X-Forwarded-For": "203.0.113.7"})
    assert response.status_code == 429
    other = client.post("/api/v1/join", json={"code": "NOPE", "name": "x"}, headers={"X-Forwarded-For": "203.0.113.8"})
    assert other.status_code == 404


@pytest.mark.parametrize("length", [0, 1, 3, 4, 5, 126, 70_000])
@pytest.mark.parametrize("offset", [0, 1, 2, 3, 6])
def test_unmasking_matches_rfc6455(length: int, offset: int) -> None:
    """The fast unmasking gives byte for byte what RFC 6455's definition (and eventlet's loop) gives."""
    from collab.transport import unmask_websocket_payload

    data, mask = os.urandom(length), tuple(os.urandom(4))
    expected = bytes(data[i] ^ mask[(offset + i) % 4] for i in range(length))
    assert unmask_websocket_payload(data, mask, offset=offset) == expected
    assert unmask_websocket_payload(data, mask, length // 2, offset) == expected[: length // 2]


def test_https_when_a_certificate_is_configured(tmp_path: Path) -> None:
    """Phones on the LAN need https for the service worker (offline reload): COLLAB_TLS_CERT/KEY serve it,
    with a Secure session cookie, and the CLI prints https links."""
    import shutil
    import subprocess

    import requests

    from .conftest import need
    from .support.server import LiveServer

    need(shutil.which("openssl") is not None, "openssl")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                    str(cert), "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    server = LiveServer(tmp_path / "tls", {"COLLAB_TLS_CERT": str(cert), "COLLAB_TLS_KEY": str(key)})
    try:
        server.start()
        workshop = server.create_workshop()
        assert workshop["join_url"].startswith("https://")
        assert server.url.startswith("https://")
        joined = requests.post(f"{server.url}/api/v1/join", verify=str(cert), timeout=10,
                               json={"code": workshop["join_code"], "name": "Camille"})
        assert joined.status_code == 200
        assert "Secure" in joined.headers["Set-Cookie"]
    finally:
        server.stop()
