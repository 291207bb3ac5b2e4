"""A longer board in Chromium: the cards below the first screenful of a zone get their decorators
(reactions, comment button…) when the page is idle (cards-view.js, EAGER), and none is forgotten —
including a comment count that changes before they were decorated."""

from __future__ import annotations

import os
import re
import uuid
from typing import Any

import pytest
import requests

from .board_page import CONNECTED, DESKTOP, card
from .pages import Watched

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = [pytest.mark.live, pytest.mark.browser]

NOTES = 60  # in the inbox: well past the 16 decorated at once


def send(live_server: Any, board_id: str, token: str, op_type: str, data: dict[str, Any]) -> None:
    response = requests.post(
        f"{live_server.url}/api/v1/boards/{board_id}/ops",
        timeout=5,
        headers={"Authorization": f"Bearer {token}"},
        json={"op_id": str(uuid.uuid4()), "type": op_type, "data": data},
    )
    assert response.status_code == 200, response.text


def test_every_card_of_a_long_zone_is_decorated(live_server: Any, browser: Any) -> None:
    workshop = live_server.create_workshop("Atelier long", groups=2)
    code, group = workshop["join_code"], workshop["groups"][0]
    board_id = group["board_id"]
    # Two writers, so that neither reaches the per-person rate limit.
    writers = [live_server.join(code, name, group["id"])["token"] for name in ("Sam", "Alex")]
    ids = [str(uuid.uuid4()) for _ in range(NOTES)]
    for n, card_id in enumerate(ids):
        send(live_server, board_id, writers[n % 2], "card.create", {"id": card_id, "text": f"Note numéro {n}"})
    send(live_server, board_id, writers[0], "comment.add", {"card_id": ids[50], "text": "Vu aussi à Chalon."})

    reader = Watched(browser, **DESKTOP)
    page = reader.page
    page.goto(f"{live_server.url}/j/{code}")
    page.locator("#name").fill("Lou")
    page.get_by_role("radio", name=group["name"]).check()
    page.locator("#join-submit").click()
    page.wait_for_url(re.compile(r"/b/[0-9a-fA-F-]+$"))
    expect(page.locator("#conn-pill")).to_have_class(CONNECTED)

    cards = page.locator("#board-zones .card")
    expect(cards).to_have_count(NOTES)
    expect(page.locator("#board-zones .card .card-reactions")).to_have_count(NOTES)
    expect(page.locator("#board-zones .card .card-comments")).to_have_count(NOTES)
    far = card(page, "Note numéro 50")
    expect(far.locator(".card-comments__count")).to_have_text("1")
    assert page.evaluate("performance.getEntriesByName('collab:cards-decorated').length") > 0

    # A comment on a card far down the zone, live: its count follows.
    send(live_server, board_id, writers[1], "comment.add", {"card_id": ids[55], "text": "Et à Montceau."})
    expect(card(page, "Note numéro 55").locator(".card-comments__count")).to_have_text("1")
    # The page loaded its bundle (static/dist/, when setup built it and no module changed since) or
    # else the whole module graph it preloaded, and nothing went wrong.
    script = page.evaluate("document.querySelector('script[type=module]').getAttribute('src')")
    preloaded = page.evaluate("[...document.querySelectorAll('link[rel=modulepreload]')].length")
    assert (script, preloaded) == ("/static/dist/board.js", 0) or (script == "/static/js/board.js" and preloaded > 40)
    if os.environ.get("CI") == "true":  # a fresh clone, set up: the bundles users get
        assert script == "/static/dist/board.js"
    reader.assert_clean()
    reader.close()
