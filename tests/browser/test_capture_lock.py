"""The capture screen during a lock, in a real browser (issue #11 §2): a phone on /capture hears the
facilitator's lock at once and keeps what is being typed; notes refused with `locked` wait on the
phone ("waiting for the board to reopen", never a failure to tap) and go by themselves, exactly once,
when the board is unlocked.

Runs the real server (`live_server`) and Debian's Chromium through Playwright, with a phone profile.
Waits on conditions only, never on sleeps. Screenshots of the locked capture screen (phone viewport)
are kept in docs/screens/capture-locked.png (the form) and capture-locked-notes.png (the notes that wait).
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

import pytest
import requests

from .board_page import PHONE, join, shown_card
from .pages import ROOT, SHOTS, Watched

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = [pytest.mark.live, pytest.mark.browser]

SMALL = {"width": 360, "height": 740}
DRAFT = "La presse de 400 tonnes tourne en deux-huit depuis la reprise"
OFFLINE_NOTE = "Noté hors ligne, dans le car : le site embauche des apprentis chaque année."
DURING_LOCK = "Écrite pendant le verrou : la chaufferie alimente aussi le lycée voisin."
TAKEN_BACK = "Doublon, repris avant la réouverture."
SCREENSHOT = ROOT / "docs" / "screens" / "capture-locked.png"
NOTES_SCREENSHOT = ROOT / "docs" / "screens" / "capture-locked-notes.png"


def lock(server: Any, token: str, board_id: str, locked: bool) -> None:
    """The facilitator locks or unlocks the board over REST (a board.lock op)."""
    response = requests.post(
        f"{server.url}/api/v1/boards/{board_id}/ops",
        json={"op_id": str(uuid.uuid4()), "type": "board.lock", "data": {"locked": locked}},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    response.raise_for_status()
    assert response.json()["ok"] is True


def card_texts(server: Any, token: str, board_id: str) -> list[str]:
    response = requests.get(
        f"{server.url}/api/v1/boards/{board_id}", headers={"Authorization": f"Bearer {token}"}, timeout=10
    )
    response.raise_for_status()
    return sorted(card["text"] for card in response.json()["cards"])


def logged_texts(server: Any, token: str, board_id: str) -> list[str]:
    """The texts of every card the board's log ever held (deleted ones too)."""
    response = requests.get(
        f"{server.url}/api/v1/boards/{board_id}/events?since=0",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    response.raise_for_status()
    cards = [event["data"].get("card") or {} for event in response.json()["events"]]
    return [card.get("text", "") for card in cards]


def test_capture_keeps_notes_through_a_lock_and_sends_them_once_after(live_server: Any, browser: Any) -> None:
    workshop = live_server.create_workshop("Les forces innovantes hors des métropoles", groups=2)
    code, token = workshop["join_code"], workshop["facilitator_token"]
    group = workshop["groups"][0]
    board_id = group["board_id"]

    phone = Watched(browser, **PHONE)
    join(phone.page, live_server.url, code, "Camille", group["name"])
    page = phone.page
    page.goto(live_server.url + "/capture")
    expect(page.locator("#conn-pill")).to_have_class(re.compile(r"\bpill--connected\b"))
    notice = page.locator("#capture-locked")
    field = page.locator("#capture-text")
    expect(notice).to_be_hidden()

    # A note being typed when the facilitator locks the board: the lock shows at once, the text stays.
    field.fill(DRAFT)
    lock(live_server, token, board_id, True)
    expect(notice).to_be_visible()
    expect(field).to_have_value(DRAFT)
    expect(page.locator("#capture-form")).to_be_visible()
    expect(page.locator("#capture-submit")).to_be_enabled()

    # Unlocked: the notice goes, without a reload; the form sends again (the draft is kept meanwhile).
    lock(live_server, token, board_id, False)
    expect(notice).to_be_hidden()
    expect(field).to_have_value(DRAFT)
    field.fill("")

    # A note queued offline; the board is locked meanwhile; the network comes back.
    phone.context.set_offline(True)
    expect(page.locator("#conn-pill")).to_have_class(re.compile(r"\bpill--offline\b"))
    field.fill(OFFLINE_NOTE)
    page.locator("#capture-submit").tap()
    expect(field).to_have_value("")
    offline_note = page.locator(".note").filter(has_text=OFFLINE_NOTE[:30])
    expect(offline_note).to_have_attribute("data-state", "waiting")
    lock(live_server, token, board_id, True)
    phone.context.set_offline(False)

    # Sent, refused with `locked`: it waits for the board to reopen; no failure, nothing to tap.
    held_label = phone.i18n("states.held")
    expect(offline_note).to_have_attribute("data-state", "held", timeout=20_000)
    expect(offline_note.locator(".note__state-text")).to_have_text(held_label)
    expect(offline_note.locator(".note__retry")).to_be_hidden()
    expect(offline_note.locator(".note__problem")).to_be_hidden()
    expect(notice).to_be_visible()  # the lock learnt when the page caught up

    # A note written during the lock waits the same way.
    field.fill(DURING_LOCK)
    page.locator("#capture-submit").tap()
    expect(field).to_have_value("")
    during = page.locator(".note").filter(has_text=DURING_LOCK[:30])
    expect(during).to_have_attribute("data-state", "held")
    expect(page.locator("#waiting-count")).to_contain_text("2")
    expect(page.locator(".note[data-state=failed]")).to_have_count(0)
    assert card_texts(live_server, token, board_id) == []

    # A held note taken back never reaches the board (nothing of it was applied: it is dropped).
    field.fill(TAKEN_BACK)
    page.locator("#capture-submit").tap()
    taken_back = page.locator(".note").filter(has_text=TAKEN_BACK[:20])
    expect(taken_back).to_have_attribute("data-state", "held")
    taken_back.locator(".note__delete").tap()
    expect(taken_back).to_have_count(0)
    expect(page.locator("#waiting-count")).to_contain_text("2")

    field.fill(DRAFT)  # the screenshot: the lock, a note being typed, and the notes that wait
    page.set_viewport_size(SMALL)
    page.evaluate("window.scrollTo(0, 0)")
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))
    page.locator("#my-notes-title").scroll_into_view_if_needed()
    page.screenshot(path=str(NOTES_SCREENSHOT))
    page.screenshot(path=str(Path(SHOTS) / "collab-capture-locked-full.png"), full_page=True)

    # The facilitator unlocks: both notes go by themselves, and reach the board once each.
    lock(live_server, token, board_id, False)
    expect(notice).to_be_hidden()
    expect(page.locator(".note[data-state=sent]")).to_have_count(2, timeout=20_000)
    expect(page.locator("#waiting-count")).to_be_hidden()
    expect(field).to_have_value(DRAFT)
    assert card_texts(live_server, token, board_id) == sorted([OFFLINE_NOTE, DURING_LOCK])
    assert TAKEN_BACK not in logged_texts(live_server, token, board_id), "the note taken back was created"

    # A second unlock (heard again) sends nothing twice.
    lock(live_server, token, board_id, False)
    page.locator("#capture-submit").tap()  # and the form works as before
    expect(page.locator(".note[data-state=sent]")).to_have_count(3, timeout=20_000)
    assert card_texts(live_server, token, board_id) == sorted([OFFLINE_NOTE, DURING_LOCK, DRAFT])

    phone.assert_clean()
    phone.context.close()


def test_capture_follows_the_lock_over_rest_when_websockets_are_blocked(live_server: Any, browser: Any) -> None:
    workshop = live_server.create_workshop("Atelier sans WebSocket", groups=2)
    code, token = workshop["join_code"], workshop["facilitator_token"]
    group = workshop["groups"][1]
    board_id = group["board_id"]

    phone = Watched(browser, **PHONE)
    page = phone.page
    page.route_web_socket(re.compile(r"/socket\.io/"), lambda ws: ws.close())
    join(page, live_server.url, code, "Lou", group["name"], connected=False)
    page.goto(live_server.url + "/capture")
    expect(page.locator("#conn-pill")).not_to_have_class(re.compile(r"\bpill--connected\b"))
    notice = page.locator("#capture-locked")
    expect(notice).to_be_hidden()

    # The lock and the unlock come by polling (…/events?since=), a few seconds late at most.
    page.locator("#capture-text").fill(DURING_LOCK)
    lock(live_server, token, board_id, True)
    expect(notice).to_be_visible(timeout=15_000)
    page.locator("#capture-submit").tap()
    note = page.locator(".note").filter(has_text=DURING_LOCK[:30])
    expect(note).to_have_attribute("data-state", "held", timeout=15_000)

    # On the board page the held note shows, not sent yet; the unlock heard there sends it, once.
    page.locator(".capture-bar__back").tap()
    page.wait_for_url(re.compile(r"/b/"))
    card = shown_card(page, DURING_LOCK[:30])
    expect(card).to_have_count(1)
    expect(card).to_have_class(re.compile(r"\bcard--pending\b"))
    lock(live_server, token, board_id, False)
    expect(card).not_to_have_class(re.compile(r"\bcard--pending\b"), timeout=15_000)
    expect(card).to_have_count(1)
    assert card_texts(live_server, token, board_id) == [DURING_LOCK]
    page.go_back()
    expect(page.locator(".note").filter(has_text=DURING_LOCK[:30])).to_have_attribute("data-state", "sent")
    expect(page.locator("#capture-locked")).to_be_hidden()

    phone.assert_clean()
    phone.context.close()
