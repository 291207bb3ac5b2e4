"""The board as zones in a real browser: drag and drop with a mouse and with a finger, the keyboard
"Move to…" alternative, a facilitator's zone changes and card tags, seen live on a second page.

Runs the real server (`live_server`) and Debian's Chromium through Playwright; waits on conditions
only (Playwright's `expect` retries), never on sleeps.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import requests

from ..support.server import wait_for
from .board_page import DESKTOP, PHONE, card, join, post, settled, sign_in, zone
from .pages import SHOTS, Watched

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = [pytest.mark.live, pytest.mark.browser]


















def texts(page: Any, zone_id: str) -> list[str]:
    return zone(page, zone_id).locator(".card .card__text").all_inner_texts()





def snapshot(base_url: str, token: str, board_id: str) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"}
    response = requests.get(f"{base_url}/api/v1/boards/{board_id}", headers=headers, timeout=5)
    response.raise_for_status()
    return response.json()


def mouse_drag(page: Any, source: Any, target: Any, *, below: bool = False) -> None:
    """Press on `source`, move in steps onto `target` (its top part, or just below it), release."""
    start = source.bounding_box()
    end = target.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + 12)
    page.mouse.down()
    page.mouse.move(start["x"] + start["width"] / 2 + 8, start["y"] + 20, steps=4)
    y = end["y"] + end["height"] - 6 if below else end["y"] + 10
    page.mouse.move(end["x"] + end["width"] / 2, y, steps=16)
    page.mouse.move(end["x"] + end["width"] / 2, y + 2, steps=2)
    page.mouse.up()


class Finger:
    """Real touch events through the Chrome DevTools protocol (what a phone's touchscreen sends)."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.cdp = page.context.new_cdp_session(page)

    def _send(self, kind: str, x: float, y: float) -> None:
        points = [] if kind == "touchEnd" else [{"x": x, "y": y, "id": 1, "radiusX": 4, "radiusY": 4, "force": 1}]
        self.cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    def drag(self, source: Any, to: tuple[float, float]) -> None:
        box = source.bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + 14
        self._send("touchStart", x, y)
        # A short press picks the card up (dnd.js): wait for it, then move the finger.
        expect(source).to_have_class(re.compile(r"\bcard--chosen\b"))
        steps = 20
        for i in range(1, steps + 1):
            self._send("touchMove", x + (to[0] - x) * i / steps, y + (to[1] - y) * i / steps)
        self._send("touchMove", to[0], to[1] + 1)
        self._send("touchEnd", to[0], to[1])


def test_drag_between_zones_and_reorder_live(live_server: Any, browser: Any) -> None:
    workshop = live_server.create_workshop("Atelier zones", groups=2)
    code, group = workshop["join_code"], workshop["groups"][0]
    one = Watched(browser, **DESKTOP)
    two = Watched(browser, **DESKTOP)
    join(one.page, live_server.url, code, "Camille", group["name"])
    join(two.page, live_server.url, code, "Dominique", group["name"])

    # The territory template's zones, the inbox first, each with its count.
    titles = one.page.locator("#board-zones .zone__title").all_inner_texts()
    assert titles[:3] == ["Boîte de réception", "Acteurs", "Ressources"], titles
    for text in ("Le maire veut un tiers-lieu", "La coopérative emploie 40 personnes", "Peu de transports le soir"):
        post(one.page, text)
    settled(one.page)
    expect(zone(two.page, "inbox").locator(".card")).to_have_count(3)
    assert texts(two.page, "inbox") == texts(one.page, "inbox")  # new notes at the end of the inbox
    expect(zone(one.page, "inbox").locator(".zone__count")).to_contain_text("3")

    # Mouse: the first note goes from the inbox to "Acteurs"; the other page sees it there, live.
    mouse_drag(one.page, card(one.page, "Le maire"), zone(one.page, "actors").locator(".zone__cards"))
    expect(zone(one.page, "actors").locator(".card")).to_have_count(1)
    expect(zone(two.page, "actors").locator(".card", has_text="Le maire")).to_be_visible()
    expect(zone(two.page, "inbox").locator(".card")).to_have_count(2)
    expect(zone(two.page, "actors").locator(".zone__count")).to_contain_text("1")

    # Reorder within a zone: the last inbox note goes above the first; kept after a reload.
    mouse_drag(one.page, card(one.page, "Peu de transports"), card(one.page, "La coopérative"))
    expected = ["Peu de transports le soir", "La coopérative emploie 40 personnes"]
    expect(zone(one.page, "inbox").locator(".card__text")).to_have_text(expected)
    expect(zone(two.page, "inbox").locator(".card__text")).to_have_text(expected)
    settled(one.page)
    two.page.reload()
    expect(two.page.locator("#cards-loading")).to_be_hidden()
    expect(zone(two.page, "inbox").locator(".card__text")).to_have_text(expected)
    stored = snapshot(live_server.url, workshop["facilitator_token"], group["board_id"])
    inbox = [c["text"] for c in stored["cards"] if c["zone"] == "inbox"]
    assert inbox == expected, inbox  # the server's order (position keys) is the same

    # Without dragging: "Move to…" on the second page, then Alt+↑ on the first.
    card(two.page, "La coopérative").locator(".card__move").click()
    two.page.locator(".card__mover-zone").select_option(label="Ressources")
    two.page.locator(".card__mover-go").click()
    expect(zone(one.page, "resources").locator(".card", has_text="La coopérative")).to_be_visible()
    expect(two.page.locator("#announcer")).to_contain_text("Ressources")
    post(one.page, "Une ressourcerie au centre-bourg")
    card(one.page, "ressourcerie").locator(".card__move").click()
    one.page.locator(".card__mover-zone").select_option(label="Ressources")
    one.page.locator(".card__mover-go").click()
    expect(zone(one.page, "resources").locator(".card__text")).to_have_text(
        ["La coopérative emploie 40 personnes", "Une ressourcerie au centre-bourg"])
    card(one.page, "ressourcerie").locator(".card__move").focus()
    one.page.keyboard.press("Alt+ArrowUp")
    expected = ["Une ressourcerie au centre-bourg", "La coopérative emploie 40 personnes"]
    expect(zone(one.page, "resources").locator(".card__text")).to_have_text(expected)
    expect(zone(two.page, "resources").locator(".card__text")).to_have_text(expected)

    # Alt+→ sends a note to the next zone (and the browser does not go back or forward).
    url = one.page.url
    card(one.page, "ressourcerie").locator(".card__move").focus()
    one.page.keyboard.press("Alt+ArrowRight")
    expect(zone(two.page, "drivers").locator(".card", has_text="ressourcerie")).to_be_visible()
    assert one.page.url == url

    # A remote move while a drag is in progress does not disturb it; both moves land.
    source = card(one.page, "Le maire")
    box = source.bounding_box()
    one.page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 12)
    one.page.mouse.down()
    one.page.mouse.move(box["x"] + box["width"] / 2 + 10, box["y"] + 30, steps=5)
    expect(one.page.locator(".card--lifted")).to_have_count(1)
    card(two.page, "Peu de transports").locator(".card__move").click()
    two.page.locator(".card__mover-zone").select_option(value="actors")
    two.page.locator(".card__mover-go").click()
    settled(two.page)
    target = zone(one.page, "inbox").locator(".zone__cards").bounding_box()
    one.page.mouse.move(target["x"] + target["width"] / 2, target["y"] + 20, steps=12)
    expect(one.page.locator(".card--lifted")).to_have_count(1)  # still dragging
    one.page.mouse.up()
    for page in (one.page, two.page):
        expect(zone(page, "inbox").locator(".card__text")).to_have_text(["Le maire veut un tiers-lieu"])
        expect(zone(page, "actors").locator(".card__text")).to_have_text(["Peu de transports le soir"])

    one.page.screenshot(path=str(SHOTS / "collab-zones-desktop.png"))
    for watched in (one, two):
        watched.close()


def test_tags_show_on_the_other_page(live_server: Any, browser: Any) -> None:
    workshop = live_server.create_workshop("Atelier étiquettes", groups=2)
    code, group = workshop["join_code"], workshop["groups"][1]
    one = Watched(browser, **DESKTOP)
    two = Watched(browser, **DESKTOP)
    join(one.page, live_server.url, code, "Lou", group["name"])
    join(two.page, live_server.url, code, "Noa", group["name"])
    post(one.page, "Le conseil départemental finance la navette")
    expect(card(two.page, "navette")).to_be_visible()

    card(one.page, "navette").get_by_role("button", name=re.compile("Modifier")).click()
    editor = one.page.locator(".card__edit")
    editor.get_by_role("button", name="Politique").click()
    expect(editor.get_by_role("button", name="Politique")).to_have_attribute("aria-pressed", "true")
    editor.locator(".tag-field__input").fill("mobilité")
    editor.locator(".tag-field__input").press("Enter")
    expect(editor.locator(".tag-field__chips .tag")).to_have_count(1)
    editor.locator("button[type=submit]").click()

    chips = card(two.page, "navette").locator(".card__tags .tag")
    expect(chips).to_have_text(["Politique", "mobilité"])
    expect(card(two.page, "navette").locator(".tag--politique")).to_be_visible()
    stored = snapshot(live_server.url, workshop["facilitator_token"], group["board_id"])
    assert stored["cards"][0]["tags"] == ["politique", "mobilité"]  # stored as the French word

    # Removing a tag from the editor: gone on the other page too.
    card(two.page, "navette").get_by_role("button", name=re.compile("Modifier")).click()
    two.page.locator(".card__edit").get_by_role("button", name=re.compile("Retirer l’étiquette mobilité")).click()
    two.page.locator(".card__edit button[type=submit]").click()
    expect(card(one.page, "navette").locator(".card__tags .tag")).to_have_text(["Politique"])
    for watched in (one, two):
        watched.close()


def test_facilitator_changes_zones_live(live_server: Any, browser: Any) -> None:
    workshop = live_server.create_workshop("Atelier animé", groups=2)
    code, group = workshop["join_code"], workshop["groups"][0]
    lead = Watched(browser, **DESKTOP)
    member = Watched(browser, **DESKTOP)
    sign_in(lead.page, live_server.url, workshop["facilitator_token"], group["board_id"])
    join(member.page, live_server.url, code, "Sam", group["name"])
    # Participants have no zone menu.
    expect(member.page.locator(".zone__menu-button")).to_have_count(0)
    expect(member.page.locator(".zone--add")).to_have_count(0)

    # Rename "Acteurs".
    zone(lead.page, "actors").locator(".zone__menu-button").click()
    lead.page.get_by_role("button", name="Renommer").click()
    field = zone(lead.page, "actors").locator(".zone__input")
    field.fill("Acteurs locaux")
    field.press("Enter")
    expect(zone(member.page, "actors").locator(".zone__title")).to_have_text("Acteurs locaux")

    # Add a zone: it comes last, on both pages.
    lead.page.locator(".zone__add").click()
    lead.page.locator(".zone--add .zone__input").fill("Réseaux")
    lead.page.locator(".zone--add .zone__input").press("Enter")
    expect(member.page.locator("#board-zones .zone__title").last).to_have_text("Réseaux")

    # Move "Ressources" right: after "Forces motrices".
    zone(lead.page, "resources").locator(".zone__menu-button").click()
    lead.page.get_by_role("button", name="Déplacer à droite").click()
    expect(member.page.locator("#board-zones .zone__title").nth(2)).to_have_text("Forces motrices")
    expect(member.page.locator("#board-zones .zone__title").nth(3)).to_have_text("Ressources")

    # Remove a zone holding a note: the dialog says where its notes go, then they are in the inbox.
    post(member.page, "Un fab lab dans l'ancienne usine")
    card(member.page, "fab lab").locator(".card__move").click()
    member.page.locator(".card__mover-zone").select_option(value="resources")
    member.page.locator(".card__mover-go").click()
    expect(zone(lead.page, "resources").locator(".card")).to_have_count(1)
    zone(lead.page, "resources").locator(".zone__menu-button").click()
    lead.page.locator(".zone__menu").get_by_role("button", name="Supprimer cette zone…").click()
    dialog = lead.page.locator("#zone-remove-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Boîte de réception")
    lead.page.screenshot(path=str(SHOTS / "collab-zones-remove-dialog.png"))
    dialog.get_by_role("button", name="Supprimer la zone").click()
    expect(zone(member.page, "resources")).to_have_count(0)
    expect(zone(member.page, "inbox").locator(".card", has_text="fab lab")).to_be_visible()
    expect(zone(lead.page, "inbox").locator(".card", has_text="fab lab")).to_be_visible()
    for watched in (lead, member):
        watched.close()


def test_touch_drag_on_a_phone(live_server: Any, browser: Any) -> None:
    workshop = live_server.create_workshop("Atelier tactile", groups=2)
    code, group = workshop["join_code"], workshop["groups"][0]
    phone = Watched(browser, **PHONE)
    other = Watched(browser, **DESKTOP)
    join(phone.page, live_server.url, code, "Alex", group["name"])
    join(other.page, live_server.url, code, "Sam", group["name"])
    for text in ("Première note du bus", "Deuxième note du bus"):
        post(phone.page, text)
    settled(phone.page)
    # A phone opens on the list view (helper views): the board view is one choice away.
    phone.page.goto(phone.page.url.split("?")[0] + "?view=board")
    expect(zone(phone.page, "inbox").locator(".card")).to_have_count(2)
    finger = Finger(phone.page)

    # A finger reorders the inbox: the second note goes above the first.
    zone(phone.page, "inbox").scroll_into_view_if_needed()
    first = card(phone.page, "Première").bounding_box()
    finger.drag(card(phone.page, "Deuxième"), (first["x"] + first["width"] / 2, first["y"] + 8))
    expected = ["Deuxième note du bus", "Première note du bus"]
    expect(zone(other.page, "inbox").locator(".card__text")).to_have_text(expected)
    expect(zone(phone.page, "inbox").locator(".card__text")).to_have_text(expected)

    # The zone tabs: each zone with its count; choosing one shows its column.
    tabs = phone.page.locator(".zone-nav__item")
    expect(tabs.first).to_have_attribute("aria-current", "true")
    expect(tabs.first).to_contain_text("2")
    tabs.nth(2).click()
    expect(tabs.nth(2)).to_have_attribute("aria-current", "true")
    expect(zone(phone.page, "resources")).to_be_in_viewport(ratio=0.9)
    tabs.first.click()
    expect(zone(phone.page, "inbox")).to_be_in_viewport(ratio=0.9)
    # (the tab scrolls smoothly: wait until the row is back at its start)
    wait_for(lambda: phone.page.evaluate("document.querySelector('.board-zones__row').scrollLeft") == 0,
             message="the zones row back at the inbox")

    # Then onto the next zone, which peeks in from the right edge of the screen.
    zone(phone.page, "inbox").scroll_into_view_if_needed()
    actors = zone(phone.page, "actors").locator(".zone__cards").bounding_box()
    finger.drag(card(phone.page, "Première"), (min(actors["x"] + 16, 384), actors["y"] + 20))
    expect(zone(other.page, "actors").locator(".card", has_text="Première")).to_be_visible()
    phone.page.screenshot(path=str(SHOTS / "collab-zones-phone.png"))
    for watched in (phone, other):
        watched.close()
