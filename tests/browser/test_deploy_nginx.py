"""docs/deploy.md with nginx, for real on this machine: Debian's nginx run from deploy/nginx/collab.conf
(rendered by deploy/render.sh, as an operator does) over https with a certificate from a CA made now,
in front of two Collab processes on PostgreSQL + Redis, and real Chromium through it.

Everything listens on 127.0.0.1; Chromium reaches https://collab.test:PORT, mapped to 127.0.0.1, and
trusts the test certificate's key (--ignore-certificate-errors-spki-list), so that the page is a
secure context and its service worker registers as on a real https site.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ..conftest import REDIS_URL, fresh_postgres_database, need
from ..support.deploy import (
    ProxyPeer,
    ProxyProcess,
    Site,
    TestCertificate,
    collab_processes,
    https_session,
    proxy_available,
    requests_seen,
    route_cookies,
)
from ..support.server import wait_for
from .board_page import DESKTOP, PHONE, card, join, post
from .pages import CHROMIUM_ARGS, Watched, need_vendor
from .test_capture_offline import wait_for_service_worker

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = [pytest.mark.live, pytest.mark.browser]


class Deployment:
    """Two Collab processes, the proxy in front, the test certificate, and the proxy's sticky cookie
    value for each process (`routes`)."""

    def __init__(self, kind: str, folder: Path, postgres_url: str, cookie: str) -> None:
        self.cert = TestCertificate(folder / "tls")
        self.servers = collab_processes(folder, postgres_url, REDIS_URL)
        self.proxy = ProxyProcess(kind, folder / kind, self.cert, [s.port for s in self.servers])
        try:
            self.proxy.start()
            self.site = Site(self.proxy, self.cert)
            self.cookie = cookie
            self.routes = route_cookies(self.proxy, self.cert, self.servers, cookie)
            self.workshop = self.servers[0].create_workshop("Atelier en ligne", groups=2)
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        self.proxy.stop()
        for server in self.servers:
            server.stop()

    def browser_on(self, browser: Any, process: int, **options: Any) -> Watched:
        """A browser whose requests (pages and WebSocket) the proxy sends to this process."""
        watched = Watched(browser, **options)
        watched.context.add_cookies([{"name": self.cookie, "value": self.routes[process],
                                      "url": self.proxy.site_url + "/"}])
        return watched


def launch(pw: Any, chromium_path: str, deployment: Deployment) -> Any:
    return pw.chromium.launch(executable_path=chromium_path,
                              args=CHROMIUM_ARGS + deployment.cert.chromium_args(deployment.proxy.port))


@pytest.fixture(scope="module")
def nginx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    need(proxy_available("nginx"), "nginx (apt-get install nginx-light)")
    with fresh_postgres_database() as postgres_url:
        deployment = Deployment("nginx", tmp_path_factory.mktemp("nginx"), postgres_url, "collab_route")
        yield deployment
        deployment.stop()


def browsers_post_and_see(deployment: Deployment, browser: Any) -> None:
    """Join, post, and a second browser held by the other process sees the card live."""
    url, group = deployment.proxy.site_url, deployment.workshop["groups"][0]["name"]
    code = deployment.workshop["join_code"]
    first = deployment.browser_on(browser, 0, **DESKTOP)
    second = deployment.browser_on(browser, 1, **DESKTOP)
    pages_before = [requests_seen(server, "GET /j/") for server in deployment.servers]
    join(first.page, url, code, "Camille", group)
    join(second.page, url, code, "Dominique", group)
    assert [requests_seen(s, "GET /j/") - n for s, n in zip(deployment.servers, pages_before, strict=True)] == [1, 1]
    post(first.page, "Le port de Chalon recrute des soudeurs.")
    expect(card(second.page, "Le port de Chalon recrute des soudeurs.")).to_have_count(1)
    post(second.page, "Une école de production à Montceau.")
    expect(card(first.page, "Une école de production à Montceau.")).to_have_count(1)
    sockets = [requests_seen(server, "transport=websocket") for server in deployment.servers]
    first.close()
    second.close()
    # Each process held one of the two WebSockets (logged once closed).
    wait_for(lambda: [requests_seen(s, "transport=websocket") - n for s, n in
                      zip(deployment.servers, sockets, strict=True)] == [1, 1], message="one WebSocket on each process")


def test_browsers_through_nginx_on_two_processes(nginx: Deployment, chromium_path: str) -> None:
    need_vendor()
    with playwright_api.sync_playwright() as pw:
        browser = launch(pw, chromium_path, nginx)
        browsers_post_and_see(nginx, browser)

        # A phone: its service worker registers on this https site and the capture page reloads
        # with no network at all.
        phone = nginx.browser_on(browser, 1, **PHONE)
        join(phone.page, nginx.proxy.site_url, nginx.workshop["join_code"], "Sacha",
             nginx.workshop["groups"][1]["name"])
        phone.page.locator("#capture-link").tap()
        phone.page.wait_for_url(re.compile(r"/capture"))
        wait_for_service_worker(phone.page)
        phone.context.set_offline(True)
        phone.page.reload()
        expect(phone.page.locator("#capture-text")).to_be_visible()
        expect(phone.page.locator("#offline-banner")).to_be_visible()
        phone.context.set_offline(False)
        phone.close()
        browser.close()


def test_static_files_come_from_nginx_and_revalidate(nginx: Deployment) -> None:
    session = https_session(nginx.cert)
    before = [requests_seen(server, "/static/") for server in nginx.servers]
    first = session.get(nginx.proxy.url + "/static/js/ui.js", timeout=5)
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == "no-cache"
    assert first.headers["ETag"] and first.headers["Last-Modified"]
    again = session.get(nginx.proxy.url + "/static/js/ui.js", headers={"If-None-Match": first.headers["ETag"]},
                        timeout=5)
    assert again.status_code == 304
    assert [requests_seen(server, "/static/") for server in nginx.servers] == before  # never reached Collab


def long_polling_clients(deployment: Deployment) -> None:
    """Clients on Socket.IO's long-polling only: every request of one connection must reach the process
    that holds it (the sticky cookie). Two pinned on each process, two left to the proxy's choice."""
    code = deployment.workshop["join_code"]
    board = deployment.workshop["groups"][0]["board_id"]
    group = deployment.workshop["groups"][0]["id"]
    before = [requests_seen(server, "transport=polling") for server in deployment.servers]
    peers = []
    for i in range(6):
        peer = ProxyPeer(deployment.site, deployment.site.join(code, f"Lecteur {i}", group)["token"],
                         transports=["polling"])
        if i < 4:
            peer.session.cookies.set(deployment.cookie, deployment.routes[i % 2], domain="127.0.0.1", path="/")
        peer.connect()
        assert peer.join(board)["ok"]
        peers.append(peer)
    acked: list[list[int]] = [[] for _ in peers]
    for round_ in range(5):
        for i, peer in enumerate(peers):
            acked[i].append(peer.create(board, f"Note {round_} de {i}")["seq"])
    every = {seq for seqs in acked for seq in seqs}
    for i, peer in enumerate(peers):
        wait_for(lambda peer=peer, i=i: every - set(acked[i]) <= set(peer.seqs(board)), timeout=20,
                 message=f"the others' notes on polling client {i}")
        assert (peer.connects, peer.disconnects) == (1, 0)
    grew = [requests_seen(s, "transport=polling") - n for s, n in zip(deployment.servers, before, strict=True)]
    assert all(count > 10 for count in grew), grew  # both processes held polling clients
    for peer in peers:
        peer.close()


def test_long_polling_is_sticky_through_nginx(nginx: Deployment) -> None:
    long_polling_clients(nginx)


def test_the_join_failure_limit_counts_the_forwarded_address(nginx: Deployment) -> None:
    wrong_codes_limited(nginx)


def wrong_codes_limited(deployment: Deployment) -> None:
    """Two people behind two addresses (two loopback addresses here): the one who tries ten wrong codes
    must wait, the other one need not, although the proxy's own address is the same for both; a forged
    X-Forwarded-For changes nothing (the proxy replaces it with the real peer)."""
    tag = uuid.uuid4().int
    guesser = f"127.{tag % 200 + 20}.{tag // 200 % 250 + 1}.{tag // 50000 % 250 + 2}"
    other = f"127.{tag % 200 + 20}.{tag // 200 % 250 + 1}.1"
    wrong = {"code": "ZZZZZZ", "name": "Intrus"}
    session = https_session(deployment.cert, source=guesser)
    for _ in range(10):
        assert session.post(deployment.proxy.url + "/api/v1/join", json=wrong, timeout=5).status_code == 404
    limited = session.post(deployment.proxy.url + "/api/v1/join", json=wrong, timeout=5,
                           headers={"X-Forwarded-For": "203.0.113.9"})
    assert limited.status_code == 429, limited.text
    assert limited.json()["error"]["code"] == "rate_limited"
    bystander = https_session(deployment.cert, source=other).post(deployment.proxy.url + "/api/v1/join",
                                                                  json=wrong, timeout=5)
    assert bystander.status_code == 404, bystander.text
    code = deployment.workshop["join_code"]
    assert https_session(deployment.cert, source=other).post(
        deployment.proxy.url + "/api/v1/join", json={"code": code, "name": "Alix"}, timeout=5).ok


def upload_limits(deployment: Deployment, *, proxy_stops: bool) -> None:
    """The proxy lets a photo up to COLLAB_MAX_UPLOAD_MB through to Collab (which judges it); a far
    larger body gets 413, from nginx itself (`proxy_stops`: it never reaches a process) or, through
    Caddy, which passes bodies on cut at its limit, from Collab as soon as it sees the length."""
    person = deployment.site.join(deployment.workshop["join_code"], "Photographe",
                                  deployment.workshop["groups"][0]["id"])
    session = https_session(deployment.cert)
    session.headers["Authorization"] = f"Bearer {person['token']}"
    url = deployment.proxy.url + "/api/v1/media"
    seen = [requests_seen(server, "/api/v1/media") for server in deployment.servers]
    not_a_photo = session.post(url, files={"file": ("photo.jpg", b"\0" * (14 * 1024 * 1024), "image/jpeg")},
                               timeout=30)
    assert not_a_photo.json()["error"]["code"] == "invalid", not_a_photo.text  # Collab's answer
    before = wait_for(lambda: (lambda now: now if sum(now) == sum(seen) + 1 else None)(
        [requests_seen(server, "/api/v1/media") for server in deployment.servers]), message="the access log")
    too_large = session.post(url, files={"file": ("photo.jpg", b"\0" * (17 * 1024 * 1024), "image/jpeg")},
                             timeout=30)
    assert too_large.status_code == 413
    if proxy_stops:
        assert [requests_seen(server, "/api/v1/media") for server in deployment.servers] == before


def test_upload_size_through_nginx(nginx: Deployment) -> None:
    upload_limits(nginx, proxy_stops=True)
