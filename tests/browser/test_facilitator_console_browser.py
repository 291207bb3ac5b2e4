"""The live console in real Chromium: a facilitator signed in with an account opens it; two participants
on phones in two groups show online on their groups' tiles; a note posted on a phone appears in its
tile; a 10-minute timer started from the console shows on both phones; locking group 1's board stops
its participant with a clear message while group 2 still posts; an announcement shows on the phones.
A participant cannot open the console. Waits on conditions only."""

from __future__ import annotations

import re
from typing import Any

import pytest
import requests
from werkzeug.security import generate_password_hash

from collab.models import FacilitatorAccount

from ..support.peers import server_sessions
from .board_page import join, post, shown_card
from .pages import SHOTS, Watched

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = [pytest.mark.live, pytest.mark.browser]

PARIS = {"timezone_id": "Europe/Paris", "locale": "fr-FR"}
LAPTOP = {"viewport": {"width": 1366, "height": 900}, **PARIS}
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
    **PARIS,
}
PASSWORD = "correct horse battery"


def sign_in_and_create_workshop(server: Any, fac: Watched, email: str, title: str) -> dict[str, Any]:
    """An account (made in the database), signed in through the real page; its workshop of two groups."""
    with server_sessions(server)() as db:
        db.add(
            FacilitatorAccount(
                email=email, name="Anne Animatrice", password_hash=generate_password_hash(PASSWORD), session_epoch=0
            )
        )
        db.commit()
    page = fac.page
    page.goto(f"{server.url}/facilitator/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("#login-submit").click()
    page.wait_for_url(re.compile(r"/facilitator/$"))
    csrf = page.request.get(f"{server.url}/api/v1/facilitator/me").json()["csrf_token"]
    response = page.request.post(
        f"{server.url}/api/v1/facilitator/workshops",
        headers={"X-CSRFToken": csrf},
        data={"title": title, "groups": 2, "locale": "fr"},
    )
    assert response.status == 201, response.text()
    return response.json()


def tile(page: Any, group: dict[str, Any]) -> Any:
    return page.locator(f".tile[data-board='{group['board_id']}']")


def test_console_follows_the_boards_and_drives_every_screen(live_server: Any, browser: Any) -> None:
    fac = Watched(browser, **LAPTOP)
    page = fac.page
    base = live_server.url
    workshop = sign_in_and_create_workshop(live_server, fac, "anne.console@example.org", "Atelier en direct")
    g1, g2 = workshop["groups"]

    # From the workshop page to the console: a tile per group, connected.
    page.goto(f"{base}/facilitator/w/{workshop['id']}")
    page.locator("#open-console").click()
    page.wait_for_url(re.compile(r"/console$"))
    expect(page.locator("#tiles .tile")).to_have_count(2)
    expect(page.locator("#conn-pill")).to_have_class(re.compile(r"\bpill--connected\b"))
    expect(tile(page, g1).locator(".tile__total")).to_have_text("0 note")
    expect(tile(page, g1).locator(".tile__online-label")).to_have_text("Personne en ligne")

    # Two participants on phones, one per group: each shows online on their group's tile.
    phones = [Watched(browser, **PHONE), Watched(browser, **PHONE)]
    join(phones[0].page, base, workshop["code"], "Camille", g1["name"])
    join(phones[1].page, base, workshop["code"], "Dominique", g2["name"])
    expect(tile(page, g1).locator(".tile__person")).to_have_text(["Camille"])
    expect(tile(page, g2).locator(".tile__person")).to_have_text(["Dominique"])

    # A note posted on a phone shows in its group's tile, counted in its zone and as activity.
    post(phones[0].page, "Le site Kodak accueille 40 entreprises")
    expect(shown_card(phones[0].page, "Le site Kodak accueille 40 entreprises")).to_be_visible()
    g1_tile = tile(page, g1)
    expect(g1_tile.locator(".tile__note-text")).to_have_text(["Le site Kodak accueille 40 entreprises"])
    expect(g1_tile.locator(".tile__total")).to_have_text("1 note")
    expect(g1_tile.locator(".tile__zone-count").first).to_have_text("1")
    expect(g1_tile.locator(".tile__activity")).to_contain_text("1 modification")
    expect(tile(page, g2).locator(".tile__note-text")).to_have_count(0)

    # A 10-minute timer, with a label: on both phones and on the console's own bar.
    page.locator("#timer-label").fill("Travail en groupe")
    page.locator("[data-minutes='10']").click()
    expect(page.locator("#timer-feedback")).to_have_class(re.compile("--ok"))
    for screen in (page, phones[0].page, phones[1].page):
        expect(screen.locator("#live-timer")).to_be_visible()
        expect(screen.locator("#live-timer-time")).to_have_text(re.compile(r"^(10:00|9:5\d)$"))
        expect(screen.locator("#live-timer-label")).to_have_text("Travail en groupe")
    page.locator("#timer-toggle").click()
    expect(phones[1].page.locator("#live-timer-state")).to_have_text("en pause")
    expect(page.locator("#timer-toggle")).to_have_text("Reprendre")
    page.locator("[data-add='300']").click()
    expect(phones[0].page.locator("#live-timer-time")).to_have_text(re.compile(r"^1[45]:\d\d$"))

    # Lock group 1's board: its participant is told and cannot post; group 2 still can.
    g1_tile.locator(".tile__lock").click()
    expect(g1_tile.locator(".tile__lock-state")).to_have_text("Verrouillé")
    expect(g1_tile.locator(".tile__feedback")).to_have_class(re.compile("--ok"))
    camille = phones[0].page
    expect(camille.locator("#readonly-notice")).to_be_visible()
    expect(camille.locator("#readonly-text")).to_contain_text(re.compile("verrouill"))
    expect(camille.locator("#composer-submit")).to_be_hidden()
    kodak = shown_card(camille, "Le site Kodak accueille 40 entreprises")  # in the list view of her phone
    expect(kodak.locator(".card__actions")).to_be_hidden()  # no edit or delete on a locked board
    # Her phone's API is refused too (a note sent anyway, e.g. from an offline outbox).
    refused = camille.request.post(
        f"{base}/api/v1/boards/{g1['board_id']}/ops",
        headers={"X-CSRFToken": camille.evaluate("document.querySelector('meta[name=csrf-token]').content")},
        data={"op_id": "refused-note-1", "type": "card.create", "data": {"text": "Trop tard"}},
    )
    assert refused.status == 423 and refused.json()["error"]["code"] == "locked"
    post(phones[1].page, "Le Morvan attire de jeunes artisans")
    expect(shown_card(phones[1].page, "Le Morvan attire de jeunes artisans")).to_be_visible()
    expect(tile(page, g2).locator(".tile__note-text")).to_have_text(["Le Morvan attire de jeunes artisans"])

    # An announcement on every phone.
    page.locator("#news-text").fill("Le bus part dans 10 minutes")
    page.locator("#news-send").click()
    for screen in (phones[0].page, phones[1].page):
        expect(screen.locator("#live-announcement-text")).to_have_text("Le bus part dans 10 minutes")
    expect(page.locator("#news-state")).to_contain_text("Le bus part dans 10 minutes")
    page.screenshot(path=str(SHOTS / "facilitator-console.png"), full_page=True)
    camille.screenshot(path=str(SHOTS / "facilitator-console-phone.png"))

    # A hidden vote on group 2's board, opened, revealed and closed from its tile; Dominique's board follows.
    page.locator("#vote-dots").fill("3")
    page.locator("#vote-hidden").check()
    g2_tile = tile(page, g2)
    g2_tile.get_by_role("button", name="Ouvrir un vote").click()
    expect(g2_tile.locator(".tile__vote-state")).to_contain_text("3 points chacun, résultats masqués")
    expect(phones[1].page.locator("#vote-bar")).to_be_visible()
    g2_tile.get_by_role("button", name="Révéler les résultats").click()
    expect(g2_tile.locator(".tile__vote-state")).to_contain_text("résultats dévoilés")
    g2_tile.get_by_role("button", name="Clore le vote").click()
    expect(g2_tile.locator(".tile__vote-state")).to_have_text("Vote terminé")
    expect(g2_tile.get_by_role("button", name="Ouvrir un nouveau vote")).to_be_visible()

    # Hide the groups' boards from each other, then reveal them.
    page.locator("#hide-toggle").click()
    expect(page.locator("#hide-toggle")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#hidden-state")).to_have_text("Chaque groupe ne voit que son propre tableau.")
    page.locator("#hide-toggle").click()
    expect(page.locator("#hide-toggle")).to_have_attribute("aria-pressed", "false")

    # Unlock everything: Camille can post again.
    page.locator("#unlock-all").click()
    expect(page.locator("#boards-feedback")).to_have_class(re.compile("--ok"))
    expect(g1_tile.locator(".tile__lock-state")).to_have_text("Modifiable")
    expect(camille.locator("#composer-submit")).to_be_visible()
    expect(kodak.locator(".card__actions")).to_be_visible()

    # On a phone-sized screen the console fits its width; in English it speaks English.
    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.locator("#tiles .tile")).to_have_count(2)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(SHOTS / "facilitator-console-narrow.png"), full_page=True)
    page.goto(page.url + "?lang=en")
    expect(page.locator("h1")).to_have_text("Live console")
    expect(g1_tile.locator(".tile__total")).to_have_text("1 note")
    expect(tile(page, g2).locator(".tile__vote-state")).to_have_text("Vote closed")

    for watched in (fac, *phones):
        watched.close()


def test_a_participant_cannot_open_the_console(live_server: Any, browser: Any) -> None:
    workshop = live_server.create_workshop("Atelier fermé", groups=1)
    phone = Watched(browser, **PHONE)
    join(phone.page, live_server.url, workshop["join_code"], "Élise", workshop["groups"][0]["name"])
    url = f"{live_server.url}/facilitator/w/{workshop['workshop_id']}/console"
    response = phone.page.request.get(url, max_redirects=0)
    assert response.status in (302, 303) and "/facilitator/login" in response.headers["location"]
    phone.page.goto(url)
    phone.page.wait_for_url(re.compile(r"/facilitator/login"))
    # Without any session at all, the same.
    plain = requests.get(url, allow_redirects=False, timeout=10)
    assert plain.status_code in (302, 303) and "/facilitator/login" in plain.headers["Location"]
    phone.close()


def test_console_works_over_rest_when_websockets_are_blocked(live_server: Any, browser: Any) -> None:
    fac = Watched(browser, **LAPTOP)
    page = fac.page
    page.route_web_socket(re.compile(r"/socket\.io/"), lambda ws: ws.close())
    workshop = sign_in_and_create_workshop(live_server, fac, "anne.rest@example.org", "Atelier sans WebSocket")
    g1 = workshop["groups"][0]
    phone = Watched(browser, **PHONE)
    join(phone.page, live_server.url, workshop["code"], "Lou", g1["name"])

    page.goto(f"{live_server.url}/facilitator/w/{workshop['id']}/console")
    expect(page.locator("#conn-pill")).not_to_have_class(re.compile(r"\bpill--connected\b"))
    expect(tile(page, g1).locator(".tile__total")).to_have_text("0 note")  # snapshots over REST
    expect(tile(page, g1).locator(".tile__person")).to_have_text(["Lou"], timeout=25_000)  # the participants list

    # Controls answer over REST: the console's own bar shows the timer at once, the phone too.
    page.locator("[data-minutes='5']").click()
    expect(page.locator("#live-timer-time")).to_have_text(re.compile(r"^(5:00|4:5\d)$"))
    expect(phone.page.locator("#live-timer")).to_be_visible()
    tile(page, g1).locator(".tile__lock").click()
    expect(tile(page, g1).locator(".tile__lock-state")).to_have_text("Verrouillé")
    expect(phone.page.locator("#readonly-notice")).to_be_visible()
    tile(page, g1).locator(".tile__lock").click()
    expect(phone.page.locator("#readonly-notice")).to_be_hidden()

    # What the phone posts reaches the tile by polling.
    post(phone.page, "Lu par interrogation")
    expect(tile(page, g1).locator(".tile__note-text")).to_have_text(["Lu par interrogation"], timeout=25_000)
    fac.close()
    phone.close()
