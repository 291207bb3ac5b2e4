"""A French phone joins an English workshop: the join page switches to English once the code is known
(issue #11 §5), its script's messages included."""

from __future__ import annotations

import json
from typing import Any

import pytest

from .pages import Watched

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = [pytest.mark.live, pytest.mark.browser]


def test_the_join_page_takes_the_workshops_language(live_server: Any, browser: Any) -> None:
    english = json.loads(live_server.cli("collab", "create-workshop", "Field week", "--groups", "2", "--locale", "en",
                                         "--json"))
    phone = Watched(browser, locale="fr-FR", viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = phone.page
    try:
        page.goto(f"{live_server.url}/join")
        expect(page.locator("html")).to_have_attribute("lang", "fr")
        page.locator("#code").fill(english["join_code"].lower())
        page.locator("form button[type=submit]").click()
        expect(page.locator("#join-title")).to_have_text("Field week")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.locator("#join-submit-label")).to_have_text("Join the workshop")
        page.locator("#join-submit").click()  # no name yet: the script's message, in English too
        expect(page.locator("#join-error")).to_have_text("Please enter your name.")
    finally:
        phone.close()
