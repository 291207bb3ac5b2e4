"""The board in a real browser: a phone and a laptop join through the join page and work live.

Runs the real server (`live_server`) and Debian's Chromium through Playwright. Waits on conditions
only (Playwright's `expect` retries until its timeout), never on sleeps. Screenshots go to /tmp so
a person can look at them.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from .board_page import CONNECTED, DESKTOP, PHONE, join, post, shown_card
from .pages import SHOTS, Watched

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = [pytest.mark.live, pytest.mark.browser]

XSS = "<img src=x onerror=alert(1)>"










def test_phone_and_desktop_share_a_board_live(live_server: Any, browser: Any) -> None:
    workshop = live_server.create_workshop("Les forces innovantes hors des métropoles", groups=4)
    code = workshop["join_code"]
    group = workshop["groups"][1]

    phone = Watched(browser, **PHONE)
    desktop = Watched(browser, **DESKTOP)
    join(phone.page, live_server.url, code, "Camille", group["name"], type_code=True)
    join(desktop.page, live_server.url, code, "Dominique Lefèvre", group["name"])
    for page in (phone.page, desktop.page):
        assert page.url.endswith(f"/b/{group['board_id']}")
        expect(page.locator("#conn-pill")).to_have_class(CONNECTED)
        expect(page.locator("#conn-pill")).to_have_text("Connecté")  # French by default

    # Presence: each sees the other.
    expect(desktop.page.locator("#presence-list")).to_contain_text("Camille")
    expect(phone.page.locator("#presence-list")).to_contain_text("Dominique Lefèvre")

    # The phone taps "post"; the laptop uses Ctrl+Enter. Each card shows up on the other side.
    phone_text = "Le site Kodak accueille 40 entreprises, dont 12 start-up."
    post(phone.page, phone_text)
    expect(shown_card(desktop.page, phone_text)).to_be_visible()
    expect(shown_card(desktop.page, phone_text).locator(".card__author")).to_have_text("Camille")

    post(desktop.page, XSS, keyboard=True)
    for watched in (phone, desktop):
        xss_card = shown_card(watched.page, "onerror")
        expect(xss_card).to_be_visible()
        expect(xss_card.locator(".card__text")).to_have_text(XSS)  # literal text
        assert watched.page.locator("#board-zones img").count() == 0

    # Every note was confirmed by the server: nothing left "sending…".
    for watched in (phone, desktop):
        expect(watched.page.locator("#board-zones .card")).to_have_count(2)
        expect(watched.page.locator(".card__status:visible")).to_have_count(0)

    # Delete on the laptop, the phone sees it go; undo brings it back (card.restore).
    shown_card(desktop.page, phone_text).get_by_role("button", name=re.compile("Supprimer")).click()
    expect(shown_card(phone.page, phone_text)).to_have_count(0)
    desktop.page.locator(".toast .button--undo").click()
    expect(shown_card(phone.page, phone_text)).to_be_visible()

    # An edit on the phone shows on the laptop.
    shown_card(phone.page, phone_text).get_by_role("button", name=re.compile("Modifier")).click()
    phone.page.locator(".card__edit-text").fill(phone_text + " Visite le 12 mars.")
    phone.page.locator(".card__edit button[type=submit]").click()
    expect(shown_card(desktop.page, "Visite le 12 mars.")).to_be_visible()

    expect(phone.page.locator("#conn-pill")).to_have_class(CONNECTED)
    expect(desktop.page.locator("#conn-pill")).to_have_class(CONNECTED)
    phone.page.screenshot(path=str(SHOTS / "collab-board-phone.png"), full_page=True)
    desktop.page.screenshot(path=str(SHOTS / "collab-board-desktop.png"), full_page=True)

    # A reload shows the same board (snapshot).
    phone.page.reload()
    expect(phone.page.locator("#board-zones .card")).to_have_count(2)
    expect(shown_card(phone.page, "onerror").locator(".card__text")).to_have_text(XSS)

    for watched in (phone, desktop):
        watched.assert_clean()
        watched.context.close()


def test_note_typed_offline_is_sent_after_reconnecting(live_server: Any, browser: Any) -> None:
    workshop = live_server.create_workshop("Atelier hors ligne", groups=2)
    code = workshop["join_code"]
    group = workshop["groups"][0]
    away = Watched(browser, **PHONE)
    other = Watched(browser, **DESKTOP)
    join(away.page, live_server.url, code, "Alex", group["name"])
    join(other.page, live_server.url, code, "Sam", group["name"])
    expect(away.page.locator("#conn-pill")).to_have_class(CONNECTED)

    away.context.set_offline(True)
    expect(away.page.locator("#conn-pill")).to_have_class(re.compile(r"\bpill--offline\b"))
    post(away.page, "Écrit dans le bus, sans réseau")
    expect(shown_card(away.page, "sans réseau").locator(".card__status")).to_be_visible()
    post(other.page, "Pendant ce temps, dans la salle")

    away.context.set_offline(False)
    expect(away.page.locator("#conn-pill")).to_have_class(CONNECTED, timeout=20_000)
    # The queued note goes out with its op_id; the missed one comes in by catch-up.
    expect(shown_card(other.page, "sans réseau")).to_be_visible(timeout=20_000)
    expect(shown_card(away.page, "dans la salle")).to_be_visible()
    expect(away.page.locator(".card__status:visible")).to_have_count(0)
    expect(away.page.locator("#board-zones .card")).to_have_count(2)
    expect(other.page.locator("#board-zones .card")).to_have_count(2)

    for watched in (away, other):
        watched.assert_clean()
        watched.context.close()


def test_board_works_over_rest_when_websockets_are_blocked(live_server: Any, browser: Any) -> None:
    workshop = live_server.create_workshop("Atelier sans WebSocket", groups=2)
    code = workshop["join_code"]
    group = workshop["groups"][1]
    blocked = Watched(browser, **DESKTOP)
    blocked.page.route_web_socket(re.compile(r"/socket\.io/"), lambda ws: ws.close())
    live = Watched(browser, **PHONE)
    join(blocked.page, live_server.url, code, "Lou", group["name"], connected=False)  # snapshot over REST
    join(live.page, live_server.url, code, "Noa", group["name"])
    expect(blocked.page.locator("#conn-pill")).not_to_have_class(CONNECTED)

    # Ops go over REST (with the CSRF header); reads come by polling the events route.
    post(blocked.page, "Envoyé par REST")
    expect(shown_card(live.page, "Envoyé par REST")).to_be_visible()
    expect(blocked.page.locator(".card__status:visible")).to_have_count(0)
    post(live.page, "Reçu par interrogation")
    expect(shown_card(blocked.page, "Reçu par interrogation")).to_be_visible(timeout=15_000)

    live.assert_clean()
    assert blocked.dialogs == [] and blocked.errors == []
    for watched in (blocked, live):
        watched.context.close()
