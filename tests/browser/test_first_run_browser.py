"""The first run in real Chromium, as a newcomer does it (issue #11 §1): from what `collab demo` prints
(the command `./scripts/run.sh` runs) to the live console. No account yet: the printed link opens the
setup page, the account is made and the demo's console opens, with one click. Once an account exists
the setup page is not offered to a stranger, even with the printed key; an account that does not
manage a workshop yet reaches its console from the printed claim link in two clicks. Waits on
conditions only."""

from __future__ import annotations

import re
import subprocess
import sys
from typing import Any

import pytest

from ..support.server import ROOT
from .pages import Watched

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = [pytest.mark.live, pytest.mark.browser]

LAPTOP = {"viewport": {"width": 1366, "height": 900}, "timezone_id": "Europe/Paris", "locale": "fr-FR"}
PASSWORD = "correct horse battery"
CONSOLE = re.compile(r"/facilitator/w/[0-9a-f-]+/console$")


def printed_console_link(output: str) -> tuple[str, str]:
    """The facilitator's link in what the command printed, and the line that introduces it."""
    lines = output.splitlines()
    at = next(i for i, line in enumerate(lines) if "Facilitator console" in line)
    return lines[at], lines[at + 1].strip()


class Clicks:
    """Counts the clicks a person makes."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, locator: Any) -> None:
        self.count += 1
        locator.click()


def sign_in(page: Any, click: Clicks, email: str) -> None:
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    click(page.locator("#login-submit"))


def make_facilitator(server: Any, email: str) -> None:
    """`create-facilitator EMAIL --password-stdin` against the server's instance, as an operator would."""
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "collab", "create-facilitator", email,
                           "--password-stdin"], cwd=ROOT, input=PASSWORD + "\n",
                          text=True, capture_output=True, timeout=60, env=server.env)
    assert done.returncode == 0, done.stderr


def test_a_newcomer_goes_from_the_printed_link_to_the_console(make_server: Any, browser: Any) -> None:
    server = make_server()
    intro, link = printed_console_link(server.cli("collab", "demo"))
    assert "first run" in intro and link.startswith(f"{server.url}/facilitator/setup#key=")

    fac = Watched(browser, **LAPTOP)
    page, click = fac.page, Clicks()
    page.goto(link)
    expect(page.locator("#setup-form")).to_be_visible()
    expect(page.locator("#setup-key-field")).to_be_hidden()  # the key came with the link
    assert "#" not in page.url  # and is no longer in the address bar
    page.locator("#setup-name").fill("Anne Animatrice")
    page.locator("#setup-email").fill("anne@example.org")
    page.locator("#setup-password").fill(PASSWORD)
    page.locator("#setup-confirm").fill(PASSWORD)
    click(page.locator("#setup-submit"))

    # The demo workshop's live console, its four groups live, in one click.
    page.wait_for_url(CONSOLE)
    expect(page.locator("#tiles .tile")).to_have_count(4)
    expect(page.locator("#conn-pill")).to_have_class(re.compile(r"\bpill--connected\b"))
    assert click.count == 1

    # The next run prints the console itself: the demo is the account's now.
    intro, again = printed_console_link(server.cli("collab", "demo"))
    assert "anne@example.org" in intro and again == page.url
    fac.close()


def test_once_an_account_exists_the_setup_is_not_offered(make_server: Any, browser: Any) -> None:
    server = make_server()
    old_link = printed_console_link(server.cli("collab", "demo"))[1]  # printed before any account
    make_facilitator(server, "anne@example.org")  # the first account: the demo is hers
    make_facilitator(server, "bruno@example.org")

    # A stranger with the old setup link (key included) gets the sign-in page, no setup form.
    stranger = Watched(browser, **LAPTOP)
    stranger.page.goto(old_link)
    stranger.page.wait_for_url(re.compile(r"/facilitator/login"))
    expect(stranger.page.locator("#login-form")).to_be_visible()
    expect(stranger.page.locator("#setup-form")).to_have_count(0)
    stranger.close()

    # A workshop nobody manages yet (two accounts, no --owner): the printed claim link takes Bruno
    # through sign-in to its console in two clicks.
    intro, link = printed_console_link(server.cli("collab", "create-workshop", "Atelier de Bruno", "--groups", "2"))
    assert "/facilitator/claim#token=" in link
    bruno = Watched(browser, **LAPTOP)
    page, click = bruno.page, Clicks()
    page.goto(link)
    page.wait_for_url(re.compile(r"/facilitator/login"))
    sign_in(page, click, "bruno@example.org")
    page.wait_for_url(re.compile(r"/facilitator/claim$"))
    click(page.locator("#claim-submit"))
    page.wait_for_url(CONSOLE)
    expect(page.locator("#tiles .tile")).to_have_count(2)
    assert click.count == 2
    bruno.close()
