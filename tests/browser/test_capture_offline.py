"""The capture screen in a real browser, with no network: a note typed on a phone is never lost and
reaches the group's board exactly once.

Runs the real server (`live_server`) and Debian's Chromium through Playwright, with a phone profile.
Waits on conditions only (Playwright's `expect`, or `wait_for` polling `page.evaluate`: the pages'
CSP forbids the eval that `wait_for_function` needs), never on sleeps.
Screenshots (360×740) go to COLLAB_SCREENSHOT_DIR (default /tmp) for a person to look at.
"""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests

from ..support.server import wait_for
from .board_page import DESKTOP, PHONE, join, shown_card
from .pages import SHOTS, Watched

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect
Image = pytest.importorskip("PIL.Image")

pytestmark = [pytest.mark.live, pytest.mark.browser]

SMALL = {"width": 360, "height": 740}
NOTES = [
    ("Le four électrique consomme autant qu'une ville de 20 000 habitants.", "observation", ""),
    ("« On forme nos soudeurs nous-mêmes, personne ne le fait pour nous. »", "quote", "Directeur du site"),
    ("Pourquoi rester au Creusot plutôt que près d'un port ?", "question", ""),
    ("Un atelier commun de formation entre les trois entreprises du site ?", "idea", ""),
    ("La coulée de 14 h, vue depuis la passerelle.", "observation", "Cheffe d'équipe"),  # with the photo
]
LAST = "Écrite après un rechargement, toujours sans réseau."
EDITED = "Pourquoi rester au Creusot plutôt qu'au bord de la Saône ?"


# Resolves once the board page has kept its cards in IndexedDB (for offline use).
SNAPSHOT_SAVED = """boardId => new Promise((resolve) => {
  const open = indexedDB.open('collab');
  open.onsuccess = () => {
    const get = open.result.transaction('kv').objectStore('kv').get('snapshot:' + boardId);
    get.onsuccess = () => resolve(Boolean(get.result && get.result.cards.length === 6));
    get.onerror = () => resolve(false);
  };
  open.onerror = () => resolve(false);
})"""


def jpeg(width: int = 640, height: int = 480) -> bytes:
    """A small real photo-like JPEG (a gradient with a shape), made with Pillow."""
    image = Image.new("RGB", (width, height))
    pixels = image.load()
    for x in range(width):
        for y in range(0, height, 4):
            colour = (200 - x * 120 // width, 90 + y * 100 // height, 40 + x * 60 // width)
            for dy in range(4):
                if y + dy < height:
                    pixels[x, y + dy] = colour
    for x in range(width // 3, width // 2):
        for y in range(height // 3, height // 2):
            pixels[x, y] = (255, 180, 40)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def loaded(image: Any) -> None:
    """Waits until an <img> has loaded a real picture."""
    expect(image).to_be_visible()
    wait_for(lambda: image.evaluate("img => img.complete && img.naturalWidth > 0"), message="the image to load")


def watch(watched: Watched, page: Any) -> None:
    """Records errors and dialogs of another page of the same context too."""
    page.on("dialog", watched._on_dialog)
    page.on("pageerror", lambda exc: watched.errors.append(str(exc)))


def add_visit(server: Any, token: str, title: str, start: datetime, end: datetime) -> dict[str, Any]:
    response = requests.post(
        server.url + "/api/v1/visits",
        json={"title": title, "place": "Le Creusot", "starts_at": start.isoformat(), "ends_at": end.isoformat()},
        headers={"Authorization": f"Bearer {token}"},
        timeout=5,
    )
    response.raise_for_status()
    return response.json()


def board_cards(server: Any, token: str, board_id: str) -> list[dict[str, Any]]:
    response = requests.get(
        f"{server.url}/api/v1/boards/{board_id}", headers={"Authorization": f"Bearer {token}"}, timeout=5
    )
    response.raise_for_status()
    return response.json()["cards"]


def capture(page: Any, text: str, kind: str = "observation", actor: str = "", photo: bytes | None = None) -> None:
    """Types a note the way a thumb does, sends it, and checks the field is ready for the next one."""
    field = page.locator("#capture-text")
    field.fill(text)
    page.locator(f".kind input[value={kind}]").check()
    page.locator("#capture-actor").fill(actor)
    if photo is not None:
        page.set_input_files(
            "#capture-photo", files=[{"name": "coulee.jpg", "mimeType": "image/jpeg", "buffer": photo}]
        )
        expect(page.locator("#photo-preview")).to_be_visible()
    page.locator("#capture-submit").tap()
    expect(field).to_have_value("")
    expect(page.locator(".note").filter(has_text=text[:30])).to_have_count(1)
    expect(page.locator("#photo-preview")).to_be_hidden()


def wait_for_service_worker(page: Any) -> None:
    """The app shell is installed and the service worker controls this page."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    controlled = "navigator.serviceWorker.controller !== null"
    try:
        wait_for(lambda: page.evaluate(controlled), timeout=10, message="the worker to claim the page")
    except AssertionError:
        page.reload()  # a page loaded before the worker was active; the next load is controlled
        wait_for(lambda: page.evaluate(controlled), timeout=10, message="a controlling worker")
    shell = "caches.keys().then(names => names.some(n => n.startsWith('collab-shell-')))"
    wait_for(lambda: page.evaluate(shell), message="the app shell in the cache")


def test_notes_typed_offline_reach_the_board_once(live_server: Any, browser: Any) -> None:
    workshop = live_server.create_workshop("Les forces innovantes hors des métropoles", groups=3)
    code, token = workshop["join_code"], workshop["facilitator_token"]
    group = workshop["groups"][1]
    now = datetime.now(UTC)
    add_visit(live_server, token, "Port de Chalon", now + timedelta(hours=3), now + timedelta(hours=5))
    visit = add_visit(
        live_server, token, "Le Creusot — métallurgie", now - timedelta(hours=1), now + timedelta(hours=2)
    )

    phone = Watched(browser, **PHONE)
    join(phone.page, live_server.url, code, "Camille", group["name"])
    expect(phone.page.locator("#capture-link")).to_be_visible()
    phone.page.locator("#capture-link").tap()
    phone.page.wait_for_url(re.compile(r"/capture"))
    wait_for_service_worker(phone.page)
    page = phone.page
    expect(page.locator("#conn-pill")).to_have_class(re.compile(r"\bpill--connected\b"))
    expect(page.locator("#capture-visit")).to_have_value(visit["id"])  # the visit happening now
    expect(page.locator("#capture-text")).to_be_focused()
    page.set_viewport_size(SMALL)
    page.screenshot(path=str(SHOTS / "collab-capture-empty.png"))

    # No network at all from here.
    phone.context.set_offline(True)
    expect(page.locator("#conn-pill")).to_have_class(re.compile(r"\bpill--offline\b"))
    expect(page.locator("#offline-banner")).to_be_visible()
    photo = jpeg()
    for text, kind, actor in NOTES:
        capture(page, text, kind, actor, photo=photo if text.startswith("La coulée") else None)
        expect(page.locator("#capture-text")).to_be_focused()
    expect(page.locator(".note[data-state=waiting]")).to_have_count(5)
    expect(page.locator("#waiting-count")).to_contain_text("5")
    expect(page.locator(".note").filter(has_text="La coulée").locator(".note__thumb")).to_be_visible()
    page.screenshot(path=str(SHOTS / "collab-capture-offline.png"))
    page.screenshot(path=str(SHOTS / "collab-capture-offline-full.png"), full_page=True)

    # A reload with no network: the page comes from the service worker, the notes from IndexedDB.
    page.reload()
    expect(page.locator(".note[data-state=waiting]")).to_have_count(5)
    expect(page.locator("#offline-banner")).to_be_visible()
    capture(page, LAST)
    expect(page.locator(".note[data-state=waiting]")).to_have_count(6)

    # Changed one's mind, still offline: a queued note is rewritten, another one taken back.
    question = page.locator(".note").filter(has_text="Pourquoi rester")
    question.locator(".note__edit-button").tap()
    question.locator(".note__editor textarea").fill(EDITED)
    question.locator(".note__editor button[type=submit]").tap()
    expect(page.locator(".note").filter(has_text=EDITED)).to_have_count(1)
    capture(page, "Doublon tapé par erreur.")
    page.locator(".note").filter(has_text="Doublon").locator(".note__delete").tap()
    expect(page.locator(".note").filter(has_text="Doublon")).to_have_count(0)
    expect(page.locator(".note[data-state=waiting]")).to_have_count(6)

    # The tab is closed and the session cookie is lost; a new tab opens, still offline.
    assert page.evaluate("window.__cspViolations") == [], "CSP violations"
    page.close()
    phone.context.clear_cookies()
    page = phone.page = phone.context.new_page()
    watch(phone, page)
    page.set_viewport_size(SMALL)
    page.goto(live_server.url + "/capture")
    expect(page.locator(".note[data-state=waiting]")).to_have_count(6)

    # The network is back: the outbox signs in again with the token kept at joining, then sends.
    phone.context.set_offline(False)
    expect(page.locator(".note[data-state=sent]")).to_have_count(6, timeout=30_000)
    expect(page.locator("#waiting-count")).to_be_hidden()
    expect(page.locator("#offline-banner")).to_be_hidden()
    page.screenshot(path=str(SHOTS / "collab-capture-sent.png"))

    # Another member of the group, on a laptop, sees exactly those six notes, once each.
    desktop = Watched(browser, **DESKTOP)
    join(desktop.page, live_server.url, code, "Dominique Lefèvre", group["name"])
    board = desktop.page
    expect(board.locator("#board-zones .card")).to_have_count(6)
    for text, _kind, actor in NOTES:
        if text.startswith("Pourquoi"):
            continue  # edited before it was sent
        expect(shown_card(board, text)).to_have_count(1)
        if actor:
            expect(shown_card(board, text).locator(".card__actor")).to_have_text(re.compile(re.escape(actor)))
    expect(shown_card(board, LAST)).to_have_count(1)
    expect(shown_card(board, EDITED)).to_have_count(1)  # sent once, as edited
    expect(shown_card(board, "Doublon")).to_have_count(0)  # never left the phone
    expect(shown_card(board, NOTES[0][0]).locator(".card__visit")).to_contain_text("Le Creusot — métallurgie")
    expect(shown_card(board, LAST).locator(".card__visit")).to_contain_text("Le Creusot — métallurgie")
    expect(shown_card(board, NOTES[1][0])).to_have_attribute("data-kind", "quote")
    assert len({c["id"] for c in board_cards(live_server, token, group["board_id"])}) == 6

    # The photo: its thumbnail loads; a tap opens the full image in a dialog; Escape closes it.
    photo_card = shown_card(board, "La coulée")
    thumb = photo_card.locator(".card__thumb")
    expect(thumb).to_be_visible()
    loaded(thumb)
    photo_card.locator(".card__photo").click()
    viewer = board.locator("dialog.photo-viewer")
    expect(viewer).to_be_visible()
    loaded(viewer.locator("img"))
    expect(viewer.locator(".photo-viewer__close")).to_be_focused()
    board.keyboard.press("Escape")
    expect(viewer).to_be_hidden()
    expect(photo_card.locator(".card__photo")).to_be_focused()

    # The phone's own board shows them too (the capture page links back to it).
    page.locator(".capture-bar__back").tap()
    page.wait_for_url(re.compile(r"/b/"))
    expect(page.locator(".board-cards .card:visible")).to_have_count(6)  # a phone opens on the list view
    loaded(shown_card(page, "La coulée").locator(".card__thumb"))
    shown_card(page, "La coulée").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "collab-board-photo-phone.png"))

    # Offline again, the board page still opens, with the cards last seen and their photo.
    wait_for(lambda: page.evaluate(SNAPSHOT_SAVED, group["board_id"]), message="the board kept on the phone")
    phone.context.set_offline(True)
    page.reload()
    expect(page.locator("#conn-pill")).to_have_class(re.compile(r"\bpill--offline\b"))
    expect(page.locator(".board-cards .card:visible")).to_have_count(6)
    thumb = shown_card(page, "La coulée").locator(".card__thumb")
    loaded(thumb)
    phone.context.set_offline(False)

    phone.assert_clean()
    desktop.assert_clean()
    desktop.context.close()
    phone.context.close()


def test_an_op_retried_after_a_lost_answer_makes_one_card(live_server: Any, browser: Any) -> None:
    """The server applies the note and its photo, the answers never reach the phone; the outbox
    sends both again (same photo id, same op_id) and the board gets one card (SYNC-4)."""
    workshop = live_server.create_workshop("Atelier réseau faible", groups=2)
    code, token = workshop["join_code"], workshop["facilitator_token"]
    group = workshop["groups"][0]
    phone = Watched(browser, **PHONE, service_workers="block")
    page = phone.page
    page.route_web_socket(re.compile(r"/socket\.io/"), lambda ws: ws.close())  # REST only
    sent: dict[str, list[Any]] = {"ops": [], "media": []}

    def lose_first_answer(kind: str) -> Any:
        def handler(route: Any) -> None:
            if route.request.method != "POST":
                route.continue_()
                return
            sent[kind].append(route.request.post_data_buffer)
            response = route.fetch()  # the server has it now
            if len(sent[kind]) == 1:
                assert response.ok, response.text()
                route.abort("connectionreset")  # …but the phone never hears back
            else:
                route.fulfill(response=response)

        return handler

    page.route(re.compile(r"/api/v1/boards/[^/]+/ops$"), lose_first_answer("ops"))
    page.route(re.compile(r"/api/v1/media$"), lose_first_answer("media"))
    join(page, live_server.url, code, "Alex", group["name"], connected=False)  # REST only
    page.goto(live_server.url + "/capture")
    capture(page, "Une seule fois, malgré la réponse perdue.", photo=jpeg(320, 240))
    expect(page.locator(".note[data-state=sent]")).to_have_count(1, timeout=20_000)

    assert len(sent["media"]) == 2 and len(sent["ops"]) == 2
    first, second = (json.loads(body) for body in sent["ops"])
    assert first == second, "the retry is the same op, same op_id"
    cards = board_cards(live_server, token, group["board_id"])
    assert [c["text"] for c in cards] == ["Une seule fois, malgré la réponse perdue."]
    assert cards[0]["media_id"] == first["data"]["media_id"]
    events = requests.get(
        f"{live_server.url}/api/v1/boards/{group['board_id']}/events?since=0",
        headers={"Authorization": f"Bearer {token}"},
        timeout=5,
    ).json()["events"]
    assert [e["op_id"] for e in events] == [first["op_id"]]
    thumb = requests.get(
        f"{live_server.url}/api/v1/media/{cards[0]['media_id']}/thumb",
        headers={"Authorization": f"Bearer {token}"},
        timeout=5,
    )
    assert thumb.ok and thumb.headers["Content-Type"] == "image/jpeg"

    phone.assert_clean()
    phone.context.close()


def test_capture_page_is_in_english_when_asked_and_keeps_the_csp(live_server: Any, browser: Any) -> None:
    workshop = live_server.create_workshop("Atelier", groups=2)
    phone = Watched(browser, **PHONE)
    join(phone.page, live_server.url, workshop["join_code"], "Sam", workshop["groups"][0]["name"])
    phone.page.goto(live_server.url + "/capture?lang=en")
    expect(phone.page.locator("#capture-submit")).to_have_text("Send")
    expect(phone.page.locator("#capture-visit")).to_have_value("")  # no visit today
    expect(phone.page.locator("#my-notes-empty")).to_be_visible()
    phone.assert_clean()
    phone.context.close()


def test_a_phone_whose_cookie_is_gone_carries_on_from_the_capture_screen(live_server: Any, browser: Any) -> None:
    """Online, but the session cookie expired: the capture screen (from the service worker) signs in
    again with the token kept since joining, instead of a join form that would strand the outbox."""
    workshop = live_server.create_workshop("Atelier cookie perdu", groups=2)
    group = workshop["groups"][1]
    phone = Watched(browser, **PHONE)
    join(phone.page, live_server.url, workshop["join_code"], "Lou", group["name"])
    phone.page.goto(live_server.url + "/capture")
    wait_for_service_worker(phone.page)
    phone.context.clear_cookies()
    phone.page.goto(live_server.url + "/capture")
    expect(phone.page.locator("#conn-pill")).to_have_class(re.compile(r"\bpill--connected\b"))
    capture(phone.page, "Envoyée après une nouvelle connexion.")
    expect(phone.page.locator(".note[data-state=sent]")).to_have_count(1)
    assert [c["text"] for c in board_cards(live_server, workshop["facilitator_token"], group["board_id"])] == [
        "Envoyée après une nouvelle connexion."
    ]
    assert any(c["name"] == "collab_session" for c in phone.context.cookies())
    phone.assert_clean()
    phone.context.close()
