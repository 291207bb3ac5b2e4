"""The facilitators' live controls on participants' screens, in real Chromium: a timer started by a
facilitator shows on a phone's capture screen and on a laptop's board; an announcement shows and can
be dismissed; hiding the groups' boards hides another group's board until they are revealed."""

from __future__ import annotations

import re
from typing import Any

import pytest
import requests

from .board_page import DESKTOP, PHONE, join
from .pages import SHOTS, Watched

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = [pytest.mark.live, pytest.mark.browser]


def control(server: Any, token: str, body: dict[str, Any]) -> dict[str, Any]:
    response = requests.post(server.url + "/api/v1/live", json=body, headers={"Authorization": f"Bearer {token}"},
                             timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def test_timer_and_announcement_show_on_every_participant_screen(live_server: Any, browser: Any) -> None:
    workshop = live_server.create_workshop("Atelier minuté", groups=2)
    token, groups = workshop["facilitator_token"], workshop["groups"]
    phone, laptop = Watched(browser, **PHONE), Watched(browser, **DESKTOP)
    join(phone.page, live_server.url, workshop["join_code"], "Camille", groups[0]["name"])
    join(laptop.page, live_server.url, workshop["join_code"], "Dominique", groups[1]["name"])
    phone.page.goto(f"{live_server.url}/capture")
    expect(phone.page.locator("#live-timer")).to_be_hidden()

    control(live_server, token, {"type": "timer.start", "seconds": 600, "label": "Travail en groupe"})
    for page in (phone.page, laptop.page):
        expect(page.locator("#live-timer")).to_be_visible()
        expect(page.locator("#live-timer-time")).to_have_text(re.compile(r"^(10:00|9:5\d)$"))
        expect(page.locator("#live-timer-label")).to_have_text("Travail en groupe")
    control(live_server, token, {"type": "timer.pause"})
    expect(laptop.page.locator("#live-timer")).to_have_class(re.compile("live-timer--paused"))
    expect(laptop.page.locator("#live-timer-state")).to_have_text("en pause")

    control(live_server, token, {"type": "announce", "text": "Le bus part dans 10 minutes"})
    for page in (phone.page, laptop.page):
        expect(page.locator("#live-announcement-text")).to_have_text("Le bus part dans 10 minutes")
    phone.page.screenshot(path=str(SHOTS / "collab-live-phone.png"))
    phone.page.locator("#live-announcement-close").click()
    expect(phone.page.locator("#live-announcement")).to_be_hidden()
    expect(laptop.page.locator("#live-announcement")).to_be_visible()

    # A page opened later gets the current state at once.
    laptop.page.reload()
    expect(laptop.page.locator("#live-timer-state")).to_have_text("en pause")
    expect(laptop.page.locator("#live-announcement-text")).to_have_text("Le bus part dans 10 minutes")

    control(live_server, token, {"type": "timer.stop"})
    expect(phone.page.locator("#live-timer")).to_be_hidden()
    for watched in (phone, laptop):
        watched.close()


def test_hidden_groups_hide_another_groups_board_until_revealed(live_server: Any, browser: Any) -> None:
    workshop = live_server.create_workshop("Atelier en secret", groups=2)
    token, groups = workshop["facilitator_token"], workshop["groups"]
    visitor = Watched(browser, **DESKTOP)
    join(visitor.page, live_server.url, workshop["join_code"], "Élise", groups[0]["name"])
    visitor.page.goto(f"{live_server.url}/b/{groups[1]['board_id']}")  # the other group's board
    expect(visitor.page.locator("#board-zones")).to_be_visible()

    control(live_server, token, {"type": "groups.hide", "hidden": True})
    expect(visitor.page.locator("#board-zones")).to_be_hidden()
    expect(visitor.page.locator("#board-error")).to_contain_text("masqué")
    control(live_server, token, {"type": "groups.hide", "hidden": False})
    expect(visitor.page.locator("#board-zones")).to_be_visible()  # the page loaded afresh
    expect(visitor.page.locator("#board-error")).to_be_hidden()
    visitor.close()
