"""History in a real browser: the activity feed and the bin seen live on a second page, restoring a
deleted note, and undo / redo of one's own edit and move (docs/protocol.md, "History").

Runs the real server (`live_server`) and Debian's Chromium through Playwright; waits on conditions
only (Playwright's `expect` retries), never on sleeps.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import requests

from .board_page import CONNECTED, DESKTOP, PHONE, card, join, post, settled
from .pages import SHOTS, Watched

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = [pytest.mark.live, pytest.mark.browser]












def card_zone(page: Any, text: str) -> Any:
    return card(page, text).locator("xpath=ancestor::*[@data-zone-id][1]")





def open_history(page: Any, tab: str) -> Any:
    page.locator("#history-toggle").click()
    drawer = page.get_by_role("dialog", name="Historique")
    expect(drawer).to_be_visible()
    drawer.get_by_role("tab", name=re.compile(tab)).click()
    return drawer


def edit_text(page: Any, old: str, new: str) -> None:
    card(page, old).get_by_role("button", name=re.compile("Modifier")).click()
    page.locator(".card__edit-text").fill(new)
    page.locator(".card__edit button[type=submit]").click()


def keyboard_outside_fields(page: Any, keys: str) -> None:
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.keyboard.press(keys)


def test_delete_shows_in_the_feed_and_the_bin_live_and_restores(live_server: Any, browser: Any) -> None:
    workshop = live_server.create_workshop("Atelier historique", groups=2)
    code, group = workshop["join_code"], workshop["groups"][0]
    one, two = Watched(browser, **DESKTOP), Watched(browser, **DESKTOP)
    join(one.page, live_server.url, code, "Marie", group["name"])
    join(two.page, live_server.url, code, "Paul", group["name"])

    friches = "Les friches industrielles de la vallée de la Fensch reconverties en tiers-lieux"
    post(one.page, friches)
    post(one.page, "Le port de Dunkerque")
    expect(card(two.page, "Le port de Dunkerque")).to_be_visible()
    settled(one.page)

    # The feed, newest first, in French, with who did what.
    drawer = open_history(two.page, "Activité")
    feed = drawer.locator("#history-feed .history-line")
    expect(feed).to_have_count(2)
    expect(feed.first).to_contain_text("Marie a ajouté « Le port de Dunkerque »")
    expect(feed.nth(1)).to_contain_text("Marie a ajouté « Les friches industrielles de la vallée de la… »")
    expect(feed.first.locator("time")).to_have_text("à l’instant")

    # The bin is empty at first; a note deleted on page 1 leaves page 2 and lands in its bin, live.
    drawer.get_by_role("tab", name=re.compile("Corbeille")).click()
    expect(drawer.locator("#history-bin-empty")).to_be_visible()
    expect(drawer.locator("#history-bin-empty")).to_contain_text("La corbeille est vide")
    card(one.page, "Le port de Dunkerque").get_by_role("button", name=re.compile("Supprimer")).click()
    expect(card(two.page, "Le port de Dunkerque")).to_have_count(0)
    item = drawer.locator("#history-bin-list .history-bin__item")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("Le port de Dunkerque")
    expect(item).to_contain_text("Supprimée par Marie")
    expect(drawer.locator("#history-bin-count")).to_have_text("1")
    two.page.screenshot(path=str(SHOTS / "collab-history-bin.png"))

    drawer.get_by_role("tab", name=re.compile("Activité")).click()
    expect(feed.first).to_contain_text("Marie a supprimé « Le port de Dunkerque »")

    # Page 2 restores it from the bin: back on both boards, and out of the bin.
    drawer.get_by_role("tab", name=re.compile("Corbeille")).click()
    item.get_by_role("button", name=re.compile("Restaurer")).click()
    expect(card(two.page, "Le port de Dunkerque")).to_be_visible()
    expect(card(one.page, "Le port de Dunkerque")).to_be_visible()
    expect(item).to_have_count(0)
    expect(drawer.locator("#history-bin-empty")).to_be_visible()
    drawer.get_by_role("tab", name=re.compile("Activité")).click()
    expect(feed.first).to_contain_text("Paul a restauré « Le port de Dunkerque »")
    two.page.screenshot(path=str(SHOTS / "collab-history-feed.png"))

    # Escape closes the drawer and gives the focus back to its button.
    two.page.keyboard.press("Escape")
    expect(drawer).to_be_hidden()
    expect(two.page.locator("#history-toggle")).to_be_focused()

    # A third page opened now loads the bin from the server: the note deleted again by page 1.
    card(one.page, "Le port de Dunkerque").get_by_role("button", name=re.compile("Supprimer")).click()
    settled(one.page)
    three = Watched(browser, **PHONE)
    join(three.page, live_server.url, code, "Lou", group["name"])
    phone_drawer = open_history(three.page, "Corbeille")
    expect(phone_drawer.locator(".history-bin__item")).to_have_count(1)
    expect(phone_drawer.locator(".history-bin__item")).to_contain_text("Supprimée par Marie")
    three.page.screenshot(path=str(SHOTS / "collab-history-phone.png"))

    for watched in (one, two, three):
        watched.close()


def test_undo_and_redo_an_edit_and_a_move(live_server: Any, browser: Any) -> None:
    workshop = live_server.create_workshop("Atelier annuler", groups=2)
    code, group = workshop["join_code"], workshop["groups"][0]
    one, two = Watched(browser, **DESKTOP), Watched(browser, **DESKTOP)
    join(one.page, live_server.url, code, "Marie", group["name"])
    join(two.page, live_server.url, code, "Paul", group["name"])
    undo = one.page.locator("#undo-button")
    expect(undo).to_have_attribute("aria-disabled", "true")
    expect(undo).to_have_attribute("title", "Rien à annuler")

    post(one.page, "Les friches")
    expect(card(two.page, "Les friches")).to_be_visible()
    settled(one.page)

    # The delete toast's "Undo" is the same undo: the note comes back on both pages.
    card(one.page, "Les friches").get_by_role("button", name=re.compile("Supprimer")).click()
    expect(card(two.page, "Les friches")).to_have_count(0)
    one.page.locator(".toast .button--undo").click()
    expect(card(two.page, "Les friches")).to_be_visible()
    expect(card(one.page, "Les friches")).to_be_visible()
    settled(one.page)

    # An edit, then Undo: the old text is back on both pages.
    edit_text(one.page, "Les friches", "Les friches industrielles")
    expect(card(two.page, "Les friches industrielles")).to_be_visible()
    settled(one.page)
    expect(undo).to_have_attribute("aria-disabled", "false")
    title = re.compile(r"^Annuler la modification de «\s*Les friches industrielles\s*» \(Ctrl\+Z\)$")
    expect(undo).to_have_attribute("title", title)
    undo.click()
    expect(one.page.locator(".toast").last).to_contain_text("Annulé : la modification de « Les friches industrielles »")
    for page in (one.page, two.page):
        expect(card(page, "Les friches industrielles")).to_have_count(0)
        expect(card(page, "Les friches")).to_be_visible()
    settled(one.page)

    # Redo (Ctrl+Shift+Z) puts the edit back.
    keyboard_outside_fields(one.page, "Control+Shift+z")
    expect(card(two.page, "Les friches industrielles")).to_be_visible()
    settled(one.page)

    # A move with "Move to…", then Ctrl+Z: back to the inbox on both pages.
    card(one.page, "Les friches industrielles").locator(".card__move").click()
    one.page.locator(".card__mover-zone").select_option(label="Acteurs")
    one.page.locator(".card__mover-go").click()
    for page in (one.page, two.page):
        expect(card_zone(page, "Les friches industrielles")).to_have_attribute("data-zone-id", "actors")
    settled(one.page)
    keyboard_outside_fields(one.page, "Control+z")
    for page in (one.page, two.page):
        expect(card_zone(page, "Les friches industrielles")).to_have_attribute("data-zone-id", "inbox")
    settled(one.page)

    # Ctrl+Z inside a text field is the field's own undo, not the board's.
    one.page.locator("#composer-text").fill("brouillon")
    one.page.locator("#composer-text").press("Control+z")
    expect(card_zone(two.page, "Les friches industrielles")).to_have_attribute("data-zone-id", "inbox")

    # Someone else changes the text after my edit: my undo refuses to overwrite theirs.
    edit_text(one.page, "Les friches industrielles", "Les friches de Marie")
    expect(card(two.page, "Les friches de Marie")).to_be_visible()
    settled(one.page)
    edit_text(two.page, "Les friches de Marie", "Les friches de Paul")
    expect(card(one.page, "Les friches de Paul")).to_be_visible()
    undo.click()
    expect(one.page.locator(".toast").last).to_contain_text("quelqu’un d’autre a modifié cet élément")
    expect(card(two.page, "Les friches de Paul")).to_be_visible()

    # The activity feed of page 2 lists every step, with names.
    drawer = open_history(two.page, "Activité")
    lines = drawer.locator("#history-feed .history-line")
    expect(lines.first).to_contain_text("Paul a modifié « Les friches de Paul »")
    moved = "Marie a déplacé « Les friches industrielles » vers Acteurs"
    expect(drawer.locator("#history-feed")).to_contain_text(moved)

    for watched in (one, two):
        watched.close()


def test_the_feed_pages_back_in_english(live_server: Any, browser: Any) -> None:
    workshop = live_server.create_workshop("Paging workshop", groups=2)
    code, group = workshop["join_code"], workshop["groups"][0]
    # Two writers, so that neither reaches the per-person rate limit (50 changes a second).
    writers = [live_server.join(code, name, group["id"]) for name in ("Sam", "Alex")]
    for n in range(55):
        response = requests.post(
            f"{live_server.url}/api/v1/boards/{group['board_id']}/ops", timeout=5,
            headers={"Authorization": f"Bearer {writers[n % 2]['token']}"},
            json={"op_id": f"paging-{n:04d}", "type": "card.create", "data": {"text": f"Note number {n}"}},
        )
        assert response.status_code == 200, response.text
    reader = Watched(browser, **DESKTOP)
    reader.page.goto(f"{live_server.url}/j/{code}?lang=en")
    reader.page.locator("#name").fill("Lou")
    reader.page.get_by_role("radio", name=group["name"]).check()
    reader.page.locator("#join-submit").click()
    reader.page.wait_for_url(re.compile(r"/b/[0-9a-fA-F-]+"))
    expect(reader.page.locator("#conn-pill")).to_have_class(CONNECTED)

    reader.page.get_by_role("button", name="History").click()
    drawer = reader.page.get_by_role("dialog", name="History")
    lines = drawer.locator("#history-feed .history-line")
    expect(lines).to_have_count(50)
    expect(lines.first).to_contain_text("Sam added “Note number 54”")
    expect(lines.first.locator("time")).to_have_text("just now")
    drawer.get_by_role("button", name="Load older changes").click()
    expect(lines).to_have_count(55)
    expect(lines.last).to_contain_text("Sam added “Note number 0”")
    expect(drawer.get_by_role("button", name="Load older changes")).to_be_hidden()
    # Keyboard: the tabs follow the arrow keys.
    drawer.get_by_role("tab", name="Activity").focus()
    reader.page.keyboard.press("ArrowRight")
    expect(drawer.get_by_role("tab", name=re.compile("Bin"))).to_be_focused()
    expect(drawer.locator("#history-bin-empty")).to_contain_text("The bin is empty")
    reader.close()


def test_undo_when_the_server_says_conflict(live_server: Any, browser: Any) -> None:
    """The text changed on the server before this page heard of it: the server refuses the undo."""
    workshop = live_server.create_workshop("Atelier conflit", groups=2)
    code, group = workshop["join_code"], workshop["groups"][0]
    one = Watched(browser, **DESKTOP)
    join(one.page, live_server.url, code, "Marie", group["name"])
    post(one.page, "Version une")
    settled(one.page)
    edit_text(one.page, "Version une", "Version deux")
    expect(card(one.page, "Version deux")).to_be_visible()
    settled(one.page)

    # Someone changes the text over REST while this page hears nothing (events are held back).
    other = live_server.join(code, "Paul", group["id"])
    board_id = group["board_id"]
    cards = requests.get(f"{live_server.url}/api/v1/boards/{board_id}", timeout=5,
                         headers={"Authorization": f"Bearer {other['token']}"}).json()["cards"]
    one.context.set_offline(True)
    expect(one.page.locator("#conn-pill")).not_to_have_class(CONNECTED)
    response = requests.post(
        f"{live_server.url}/api/v1/boards/{board_id}/ops", timeout=5,
        headers={"Authorization": f"Bearer {other['token']}"},
        json={"op_id": "paul-edit-0001", "type": "card.update",
              "data": {"id": cards[0]["id"], "text": "Version de Paul"}},
    )
    assert response.status_code == 200, response.text
    one.page.locator("#undo-button").click()  # queued offline, sent when back
    one.context.set_offline(False)
    refused = one.page.locator(".toast--error").last
    expect(refused).to_contain_text("quelqu’un d’autre a modifié cet élément", timeout=20_000)
    expect(card(one.page, "Version de Paul")).to_be_visible()
    expect(card(one.page, "Version une")).to_have_count(0)
    one.close()
