"""Issue #11 §6, what a person notices, in real Chromium: the capture form does not carry the person
met over to the next note; the Move-to panel's labels fit at every width; at 1366×768 the board says
more zones lie to the right and its filter lists show their choices whole; the console's controls
need no nested scroll and the timer/announcement bar never lies over them.

Waits on conditions only (Playwright's `expect`, `wait_for`)."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
import requests

from ..support.server import wait_for
from .board_page import join, settled, shown_card, sign_in
from .pages import SHOTS, Watched
from .test_facilitator_console_browser import sign_in_and_create_workshop

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = [pytest.mark.live, pytest.mark.browser]

LAPTOP = {"viewport": {"width": 1366, "height": 768}, "locale": "fr-FR"}
LONG_TAG = "reconversion industrielle"

# Buttons of a panel whose label does not fit: clipped (scrollWidth) or sticking out of the panel.
CLIPPED = """(selector) => {
  const out = [];
  for (const panel of document.querySelectorAll(selector)) {
    const box = panel.getBoundingClientRect();
    for (const b of panel.querySelectorAll('button')) {
      const r = b.getBoundingClientRect();
      if (b.scrollWidth > b.clientWidth || r.right > box.right + 0.5 || r.left < box.left - 0.5) {
        out.push(`${b.textContent.trim()} ${b.scrollWidth}/${b.clientWidth}`);
      }
    }
  }
  return out;
}"""

# Choices of the filter lists wider than the room their list gives them.
CUT_CHOICES = """() => {
  const ctx = document.createElement('canvas').getContext('2d');
  const out = [];
  for (const select of document.querySelectorAll('.filters__select')) {
    if (!select.offsetParent) continue;
    const cs = getComputedStyle(select);
    ctx.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
    const room = select.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
    for (const option of select.options) {
      if (ctx.measureText(option.text).width > room + 0.5) out.push(`${select.id}: ${option.text}`);
    }
  }
  return out;
}"""

# Elements of the page that scroll on their own (a scroll inside the page's scroll).
NESTED_SCROLLS = """() => [...document.querySelectorAll('body *')].filter((e) => {
  const s = getComputedStyle(e);
  return ['auto', 'scroll'].includes(s.overflowY) && e.scrollHeight > e.clientHeight + 1;
}).map((e) => `${e.tagName}#${e.id}.${e.className}`)"""

# The console's controls that the live bar's timer or announcement lies over, at this scroll.
COVERED = """() => {
  const shown = [...document.querySelectorAll('#live-bar > :not([hidden])')].map((e) => e.getBoundingClientRect());
  const controls = document.querySelectorAll('.live-console button, .live-console input, .live-console select');
  const out = [];
  for (const control of controls) {
    if (!control.offsetParent || control.closest('#live-bar')) continue;
    const r = control.getBoundingClientRect();
    if (shown.some((b) => r.left < b.right && r.right > b.left && r.top < b.bottom && r.bottom > b.top)) {
      out.push(control.id || control.textContent.trim());
    }
  }
  return out;
}"""


def send_op(server: Any, token: str, board_id: str, type_: str, data: dict[str, Any]) -> None:
    response = requests.post(f"{server.url}/api/v1/boards/{board_id}/ops", timeout=5,
                             headers={"Authorization": f"Bearer {token}"},
                             json={"op_id": f"op-{uuid.uuid4().hex}", "type": type_, "data": data})
    assert response.ok, response.text


def add_note(server: Any, token: str, board_id: str, text: str, **data: Any) -> str:
    card_id = str(uuid.uuid4())
    send_op(server, token, board_id, "card.create", {"id": card_id, "text": text, **data})
    return card_id


# Text on the page that only an emoji font draws (the reactions are stored as emoji).
EMOJI_TEXT = r"() => (document.body.innerText.match(/[\u{1F300}-\u{1FAFF}\u2753\u2764\u26A0\uFE0F]/gu) || [])"
MASKS = """(selector) => [...document.querySelectorAll(selector)].filter((e) => e.offsetParent)
  .map((e) => getComputedStyle(e).maskImage || getComputedStyle(e).webkitMaskImage)"""


def test_reactions_and_card_icons_are_drawn_not_emoji(live_server: Any, browser: Any) -> None:
    workshop = live_server.create_workshop("Atelier sans emoji", groups=2)
    board_id, token = workshop["groups"][0]["board_id"], workshop["facilitator_token"]
    card_id = add_note(live_server, token, board_id, "Une idée pour le port", actor="Capitainerie")
    for reaction in ("👍", "💡", "⚠️"):
        send_op(live_server, token, board_id, "card.react", {"id": card_id, "reaction": reaction, "on": True})
    send_op(live_server, token, board_id, "comment.add", {"card_id": card_id, "text": "Vu."})
    laptop = Watched(browser, **LAPTOP)
    page = laptop.page
    sign_in(page, live_server.url, token, board_id)
    note = shown_card(page, "Une idée pour le port")
    expect(note.locator(".reaction[aria-pressed='true']")).to_have_count(3)
    assert page.evaluate(EMOJI_TEXT) == []
    masks = page.evaluate(MASKS, ".card .reaction__icon")
    assert len(masks) >= 3 and all(m.startswith('url("data:image/svg+xml') for m in masks), masks
    assert len(set(masks)) == len(masks)  # one drawing per reaction
    for selector in (".card__icon--edit", ".card__icon--move", ".card__actor"):
        style = note.locator(selector).first.evaluate("(e) => getComputedStyle(e, '::before').maskImage")
        assert style.startswith('url("data:image/svg+xml'), (selector, style)
    note.locator(".card-comments").click()
    expect(page.locator("#comments-reactions li")).to_have_count(3)
    assert page.evaluate(EMOJI_TEXT) == []
    assert len(page.evaluate(MASKS, "#comments-reactions .reaction__icon")) == 3
    page.screenshot(path=str(SHOTS / "collab-reactions-drawn.png"))
    laptop.close()


def test_the_capture_form_does_not_carry_the_person_met_over(live_server: Any, browser: Any) -> None:
    workshop = live_server.create_workshop("Atelier saisie", groups=2)
    phone = Watched(browser, viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = phone.page
    join(page, live_server.url, workshop["join_code"], "Camille", workshop["groups"][0]["name"])
    page.locator("#capture-link").tap()
    page.wait_for_url(re.compile(r"/capture"))
    page.locator("#capture-text").fill("Le directeur forme ses soudeurs lui-même.")
    page.locator("#capture-actor").fill("Directeur du site")
    page.locator("#capture-submit").tap()
    expect(page.locator("#capture-text")).to_have_value("")
    expect(page.locator(".note").filter(has_text="Le directeur forme")).to_have_count(1)
    expect(page.locator("#capture-actor")).to_have_value("")  # the next note meets no one unless told
    # The name stays one tap away in the field's suggestions.
    expect(page.locator("#actor-suggestions option[value='Directeur du site']")).to_have_count(1)
    phone.close()


@pytest.mark.parametrize("width", [360, 390, 768, 1366])
def test_the_move_to_panels_labels_fit_their_buttons(live_server: Any, browser: Any, width: int) -> None:
    workshop = live_server.create_workshop("Atelier déplacer", groups=2)
    board_id = workshop["groups"][0]["board_id"]
    add_note(live_server, workshop["facilitator_token"], board_id, "Une note à déplacer")
    small = width < 768
    device = {"viewport": {"width": width, "height": 768}, "locale": "fr-FR"}
    if small:
        device.update(is_mobile=True, has_touch=True)
    watched = Watched(browser, **device)
    page = watched.page
    sign_in(page, live_server.url, workshop["facilitator_token"], board_id)
    note = shown_card(page, "Une note à déplacer")
    settled(page)
    note.locator(".card__move").click()
    expect(page.locator(".card__mover")).to_be_visible()
    page.screenshot(path=str(SHOTS / f"collab-move-to-{width}.png"))
    assert page.evaluate(CLIPPED, ".card__mover") == []
    if not small:  # the zone's "⋯" menu, a facilitator's, on the zones board
        page.locator("#board-zones .zone__menu-button").nth(1).click()
        expect(page.locator(".zone__menu")).to_be_visible()
        assert page.evaluate(CLIPPED, ".zone__menu") == []
    watched.close()


def test_the_board_at_1366x768_shows_more_zones_and_whole_filter_choices(live_server: Any, browser: Any) -> None:
    workshop = live_server.create_workshop("Atelier portable", groups=2)
    board_id = workshop["groups"][0]["board_id"]
    add_note(live_server, workshop["facilitator_token"], board_id, "Une friche reconvertie", tags=[LONG_TAG])
    laptop = Watched(browser, **LAPTOP)
    page = laptop.page
    sign_in(page, live_server.url, workshop["facilitator_token"], board_id)
    expect(page.locator("#filter-tag option", has_text=LONG_TAG)).to_have_count(1)
    page.screenshot(path=str(SHOTS / "collab-board-1366.png"))

    # Seven zones do not fit: a fade stays on the row's right edge while columns lie beyond it.
    row = page.locator("#board-zones .board-zones__row")
    assert row.evaluate("(e) => e.scrollWidth > e.clientWidth + 100")
    fade = row.evaluate("""(e) => { const s = getComputedStyle(e, '::after');
        return {content: s.content, position: s.position, width: parseFloat(s.width), image: s.backgroundImage}; }""")
    assert fade["content"] != "none" and fade["position"] == "sticky" and fade["width"] >= 24, fade
    assert "gradient" in fade["image"] and "data:image/svg+xml" in fade["image"]  # and a "→"
    edge = row.evaluate("""(e) => { const right = e.getBoundingClientRect().right;
        return [...e.querySelectorAll('.zone')].some((z) => z.getBoundingClientRect().right > right); }""")
    assert edge  # columns lie beyond the right edge, where the fade is
    # Scrolled to the end, the last column stands clear of the fade, and the "›" is gone.
    row.evaluate("(e) => { e.scrollLeft = e.scrollWidth; }")
    wait_for(lambda: "data:" not in row.evaluate("(e) => getComputedStyle(e, '::after').backgroundImage"),
             message="no more '›' at the end")
    clear = row.evaluate("""(e) => { const last = [...e.children].filter((c) => c.offsetParent).at(-1);
        const fade = parseFloat(getComputedStyle(e, '::after').width);
        return last.getBoundingClientRect().right <= e.getBoundingClientRect().right - fade + 14; }""")
    assert clear

    # The filter lists show every choice whole ("Toutes les étiquettes", the long tag, the zones).
    assert page.evaluate(CUT_CHOICES) == []
    laptop.close()


def test_the_console_at_1366x768_needs_no_nested_scroll_and_nothing_covers_it(live_server: Any, browser: Any) -> None:
    fac = Watched(browser, **LAPTOP)
    workshop = sign_in_and_create_workshop(live_server, fac, "claire.laptop@example.org", "Atelier portable")
    page = fac.page
    page.goto(f"{live_server.url}/facilitator/w/{workshop['id']}/console")
    expect(page.locator(".tile")).to_have_count(2)
    page.locator("#timer-label").fill("Travail en groupe")
    page.locator("[data-minutes='10']").click()
    expect(page.locator("#live-timer")).to_be_visible()
    page.locator("#news-text").fill("Retour en plénière à 16 h, salle des fêtes.")
    page.locator("#news-form button[type=submit]").click()
    expect(page.locator("#live-announcement")).to_be_visible()

    assert page.evaluate(NESTED_SCROLLS) == []
    for control in ("#lock-all", "#vote-dots"):
        page.locator(control).scroll_into_view_if_needed()
        box = page.locator(control).bounding_box()
        assert box is not None and 0 <= box["y"] and box["y"] + box["height"] <= 768, control
        hit = page.evaluate("([x, y]) => document.elementFromPoint(x, y).closest('button, input')?.id",
                            [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2])
        assert hit == control[1:]
    height = page.evaluate("document.documentElement.scrollHeight")
    for top in range(0, height, 150):
        page.evaluate("(y) => window.scrollTo(0, y)", top)
        assert page.evaluate(COVERED) == [], f"covered at scroll {top}"
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SHOTS / "collab-console-1366.png"))
    fac.close()
