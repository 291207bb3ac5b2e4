"""docs/deploy.md with Caddy, for real on this machine: Debian's caddy run from deploy/caddy/Caddyfile
(rendered by deploy/render.sh; the test swaps only its `tls` line, automatic https, for the test
certificate: it cannot get a public one) in front of two Collab processes on PostgreSQL + Redis.
Chromium joins and posts through it, a browser on the other process sees the card, long-polling
clients stay on their process, and the join-failure limit counts the forwarded address."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ..conftest import fresh_postgres_database, need
from ..support.deploy import https_session, proxy_available, requests_seen
from ..support.server import wait_for
from .pages import need_vendor
from .test_deploy_nginx import (
    Deployment,
    browsers_post_and_see,
    launch,
    long_polling_clients,
    upload_limits,
    wrong_codes_limited,
)

playwright_api = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.live, pytest.mark.browser]


@pytest.fixture(scope="module")
def caddy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    need(proxy_available("caddy"), "caddy (apt-get install caddy)")
    with fresh_postgres_database() as postgres_url:
        deployment = Deployment("caddy", tmp_path_factory.mktemp("caddy"), postgres_url, "collab_lb")
        yield deployment
        deployment.stop()


def test_browsers_through_caddy_on_two_processes(caddy: Deployment, chromium_path: str) -> None:
    need_vendor()
    with playwright_api.sync_playwright() as pw:
        browser = launch(pw, chromium_path, caddy)
        browsers_post_and_see(caddy, browser)
        browser.close()


def test_long_polling_is_sticky_through_caddy(caddy: Deployment) -> None:
    long_polling_clients(caddy)


def test_the_join_failure_limit_counts_the_forwarded_address_through_caddy(caddy: Deployment) -> None:
    wrong_codes_limited(caddy)


def test_static_files_come_from_caddy_and_revalidate(caddy: Deployment) -> None:
    session = https_session(caddy.cert)
    before = [requests_seen(server, "/static/") for server in caddy.servers]
    first = session.get(caddy.proxy.url + "/static/js/ui.js", timeout=5)
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == "no-cache"
    assert first.headers["ETag"] and first.headers["Last-Modified"]
    again = session.get(caddy.proxy.url + "/static/js/ui.js", headers={"If-None-Match": first.headers["ETag"]},
                        timeout=5)
    assert again.status_code == 304
    assert [requests_seen(server, "/static/") for server in caddy.servers] == before


def test_upload_size_through_caddy(caddy: Deployment) -> None:
    upload_limits(caddy, proxy_stops=False)


def test_caddy_leaves_the_system_trust_store_alone(caddy: Deployment) -> None:
    """The site's `skip_install_trust`: Caddy run as root would otherwise add its own local CA to the
    machine's trusted roots (it does so for an IP address site, as the test's 127.0.0.1)."""
    wait_for(lambda: "server running" in caddy.proxy.log(), message="Caddy's log")
    assert "installing root certificate" not in caddy.proxy.log()
    assert not list(Path("/usr/local/share/ca-certificates").glob("Caddy_Local_Authority*"))
