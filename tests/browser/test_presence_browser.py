"""Presence as a person sees it, in real Chromium (issue #11 §4, SYNC-11): on a group's board page, a
member posting from the capture screen is listed as here, and a facilitator whose live console
watches every board is listed apart, as watching, not as a member of the group. Waits on conditions
only."""

from __future__ import annotations

import re
from typing import Any

import pytest

from .board_page import PHONE, join
from .pages import SHOTS, Watched
from .test_facilitator_console_browser import LAPTOP, sign_in_and_create_workshop, tile

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = [pytest.mark.live, pytest.mark.browser]


def test_the_board_lists_capture_phones_as_here_and_the_console_as_watching(live_server: Any, browser: Any) -> None:
    base = live_server.url
    fac = Watched(browser, **LAPTOP)
    workshop = sign_in_and_create_workshop(live_server, fac, "anne.presence@example.org", "Atelier présence")
    g1 = workshop["groups"][0]
    console = fac.page
    console.goto(f"{base}/facilitator/w/{workshop['id']}/console")
    expect(console.locator("#conn-pill")).to_have_class(re.compile(r"\bpill--connected\b"))

    camille = Watched(browser, **PHONE)
    join(camille.page, base, workshop["code"], "Camille", g1["name"])
    dominique = Watched(browser, **PHONE)
    join(dominique.page, base, workshop["code"], "Dominique", g1["name"])
    dominique.page.goto(f"{base}/capture")
    expect(dominique.page.locator("#conn-pill")).to_have_class(re.compile(r"\bpill--connected\b"))

    people = camille.page.locator("#presence-list .presence__person")
    # Camille first, then the members (Dominique, on the capture screen), then who watches.
    expect(people).to_have_text([re.compile(r"^Camille"), re.compile(r"^Dominique\s*\(écran de saisie\)$"),
                                 re.compile(r"^Anne Animatrice\s*\(observe\)$")])
    expect(camille.page.locator(".presence__person--watching")).to_have_text(re.compile("^Anne Animatrice"))
    expect(camille.page.locator(".presence__nobody")).to_have_count(0)
    camille.page.locator(".presence").screenshot(path=str(SHOTS / "presence-watching.png"))

    # The console counts the group's two members online, not its own watching.
    expect(tile(console, g1).locator(".tile__person")).to_have_text(["Camille", "Dominique"])

    # Dominique leaves the capture screen: Camille is the only member left, Anne still watches.
    dominique.close()
    expect(people).to_have_text([re.compile(r"^Camille"), re.compile(r"^Anne Animatrice\s*\(observe\)$")])
    expect(camille.page.locator(".presence__nobody")).to_be_visible()
    camille.close()
    fac.close()
