"""A participant's open board page follows the console's changes of its group live (SYNC-16): the new
name in the header and the window's title, the zones of a new template with the notes of the zones that
went back in the inbox, and, when the group is deleted, a clear message and no more ways to change it.
Waits on conditions only."""

from __future__ import annotations

import re
from typing import Any

import pytest

from ..test_facilitator_live import Browser
from .board_page import DESKTOP, card, join, post, zone
from .pages import Watched

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = [pytest.mark.live, pytest.mark.browser]


def test_an_open_board_follows_rename_template_and_deletion(live_server: Any, browser: Any) -> None:
    anne = Browser(live_server, "board-changes@example.org")
    created = anne.call("POST", "/workshops", {"title": "Atelier", "groups": 2, "locale": "fr"})
    assert created.status_code == 201, created.text
    made = created.json()
    group = made["groups"][0]
    path = f"/workshops/{made['id']}/groups/{group['id']}"
    member = Watched(browser, **DESKTOP)
    page = member.page
    join(page, live_server.url, made["code"], "Sam", group["name"])
    post(page, "Le maire du village")
    card(page, "maire").locator(".card__move").click()
    page.locator(".card__mover-zone").select_option(value="actors")
    page.locator(".card__mover-go").click()
    expect(zone(page, "actors").locator(".card")).to_have_count(1)

    # Renamed on the console: the header, the window's title and the board's tab follow.
    assert anne.call("PATCH", path, {"name": "Morvan nord"}).status_code == 200
    expect(page.locator("#board-title span")).to_have_text("Morvan nord")
    expect(page).to_have_title(re.compile(r"^Morvan nord · "))
    expect(page.locator(".board-switcher .chip--current")).to_contain_text("Morvan nord")

    # A new template: its zones, the note of "Acteurs" back in the inbox, and a word about it.
    assert anne.call("PATCH", path, {"template": "swot"}).status_code == 200
    expect(zone(page, "strengths")).to_be_visible()
    expect(zone(page, "actors")).to_have_count(0)
    expect(zone(page, "inbox").locator(".card", has_text="maire")).to_be_visible()
    expect(page.locator("#toasts")).to_contain_text(member.i18n("board_template"))

    # Deleted: the page says so and offers no more changes.
    assert anne.call("DELETE", path).status_code == 200
    removed = member.i18n("board_removed")
    expect(page.locator("#board-error")).to_be_visible()
    expect(page.locator("#board-error-text")).to_have_text(removed)
    expect(page.locator("#readonly-text")).to_have_text(removed)
    expect(page.locator("#composer")).to_be_hidden()
    expect(card(page, "maire").locator(".card__move")).to_be_hidden()
    member.close()
