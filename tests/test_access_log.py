"""The access log (issue #11 §6): one line per request — method, path with its query values and
capability segments masked, status, duration — on by default, off with COLLAB_ACCESS_LOG=0, in the
eventlet server and the threading one (whose Werkzeug request lines would print the query)."""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest
import requests

from collab.transport import AccessLog, loggable_path

from .support.server import wait_for

SECRET = "s3cr3t-T0ken"


@pytest.mark.parametrize(("path", "query", "shown"), [
    ("/healthz", "", "/healthz"),
    ("/login", f"token={SECRET}&next=/b/1", "/login?token=…&next=…"),
    ("/socket.io/", f"EIO=4&transport=polling&t=x&sid={SECRET}", "/socket.io/?EIO=4&transport=polling&t=…&sid=…"),
    (f"/a/{SECRET}", "", "/a/…"),
    (f"/api/v1/audience/{SECRET}/live", "", "/api/v1/audience/…/live"),
    (f"/j/{SECRET}", "", "/j/…"),
    ("/b/é\n", "", "/b/%C3%A9%0A"),  # one line whatever the path holds
])
def test_the_logged_path_masks_query_values_and_capabilities(path: str, query: str, shown: str) -> None:
    assert loggable_path({"PATH_INFO": path, "QUERY_STRING": query}) == shown


def test_a_websocket_is_logged_once_it_closes(caplog: pytest.LogCaptureFixture) -> None:
    def handshake_written_by_the_server(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        return []  # (eventlet's WebSocketWSGI answers on the socket itself, then returns)

    app = AccessLog(handshake_written_by_the_server)
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/socket.io/", "HTTP_UPGRADE": "websocket",
               "QUERY_STRING": f"EIO=4&transport=websocket&sid={SECRET}"}
    with caplog.at_level(logging.INFO, logger="collab.access"):
        body = app(environ, lambda *args: None)
        assert caplog.messages == []  # not before it is over
        body.close()  # type: ignore[attr-defined]
    assert len(caplog.messages) == 1
    assert re.fullmatch(r"GET /socket\.io/\?EIO=4&transport=websocket&sid=… 101 \d+ ms", caplog.messages[0])


def _line(server: Any, pattern: str) -> str:
    found = wait_for(lambda: re.search(pattern, server.log(), re.MULTILINE), message=pattern)
    return found.group(0)


@pytest.mark.parametrize("mode", ["eventlet", "threading"])
def test_the_server_writes_one_line_per_request(make_server: Any, mode: str) -> None:
    server = make_server({"COLLAB_ASYNC_MODE": mode})
    assert requests.get(f"{server.url}/join?token={SECRET}&next=/facilitator", timeout=5).status_code == 200
    assert requests.get(f"{server.url}/a/{SECRET}", timeout=5).status_code == 404
    line = _line(server, r"collab\.access: GET /join\?token=…&next=… 200 \d+ ms$")
    assert line
    assert _line(server, r"collab\.access: GET /a/… 404 \d+ ms$")
    assert SECRET not in server.log()


def test_the_access_log_can_be_turned_off(make_server: Any) -> None:
    server = make_server({"COLLAB_ACCESS_LOG": "0"})
    requests.get(f"{server.url}/join?token={SECRET}", timeout=5)
    requests.get(f"{server.url}/healthz", timeout=5)
    assert "collab.access" not in server.log() and SECRET not in server.log()
