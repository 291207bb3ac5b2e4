"""The one access rule in real Chromium (SYNC-15, issue #10 holes 4 and 5): a participant's phone
follows what the facilitators change — hiding the groups takes another group's open board away and
its page cannot be opened again, a move takes the phone to the new group's board, a removal signs it
out with a way to join again. Waits on conditions only."""

from __future__ import annotations

import re
from typing import Any

import pytest
import requests

from ..support.accounts import Account
from ..support.peers import Room
from .board_page import CONNECTED, PHONE, join
from .pages import Watched

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = [pytest.mark.live, pytest.mark.browser]

PARIS = {"timezone_id": "Europe/Paris", "locale": "fr-FR"}


def _hide(room: Room, hidden: bool) -> None:
    response = requests.post(f"{room.server.url}/api/v1/live", json={"type": "groups.hide", "hidden": hidden},
                             headers={"Authorization": f"Bearer {room.facilitator_token}"}, timeout=10)
    assert response.ok, response.text


def test_a_phone_follows_hide_move_and_removal(live_server: Any, browser: Any) -> None:
    room = Room(live_server, groups=2)
    base = live_server.url
    phone = Watched(browser, **PHONE, **PARIS)
    page = phone.page
    join(page, base, room.code, "Léa", "Groupe 1")
    me = page.request.get(f"{base}/api/v1/me").json()["participant"]
    assert me["group_id"] == room.groups[0]

    # Another group's board, open on the phone, goes away when the groups are hidden …
    page.goto(f"{base}/b/{room.boards[1]}")
    expect(page.locator("#conn-pill")).to_have_class(CONNECTED)
    _hide(room, True)
    expect(page.locator("#board-error-text")).to_have_text(phone.i18n("groups_hidden"))
    # … and its page cannot be opened again while they are: a way back to their own board instead.
    response = page.goto(f"{base}/b/{room.boards[1]}")
    assert response is not None and response.status == 403
    expect(page.locator("#hidden-title")).to_be_visible()
    page.locator(".panel__actions a").click()
    page.wait_for_url(f"{base}/b/{room.boards[0]}")
    expect(page.locator("#conn-pill")).to_have_class(CONNECTED)
    _hide(room, False)

    # Moved to group 2 by a facilitator: the phone lands on group 2's board by itself.
    account = Account(live_server, room.workshop["workshop_id"])
    assert account.participant("PATCH", me["id"], {"group_id": room.groups[1]}).ok
    page.wait_for_url(f"{base}/b/{room.boards[1]}")
    expect(page.locator("#conn-pill")).to_have_class(CONNECTED)
    expect(page.locator("#composer-text")).to_be_editable()  # their group's board: they write here

    # Removed: the page says the session ended and offers to join again; it does not reconnect.
    assert account.participant("DELETE", me["id"]).ok
    expect(page.locator("#board-error-text")).to_have_text(phone.i18n("errors.unauthorized"))
    expect(page.locator("#board-error-link")).to_be_visible()
    expect(page.locator("#conn-pill")).not_to_have_class(CONNECTED)
    phone.assert_clean()
    assert re.search(r"/b/", page.url)
