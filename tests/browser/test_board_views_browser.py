"""Search, filters and the board's views in a real browser (issue #4, "Group analysis").

The filter lives in the URL: a link with `?tag=politique` opens the board with the tagged notes
highlighted and the others dimmed; typing in the search box updates the address, which opens the same
filter in another page. The timeline groups the notes under their visits in agenda order; on a
phone-sized page the list view is the default, readable and editable. Waits on conditions only.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests

from tests.support.peers import Peer, Room
from tests.support.server import wait_for

from .pages import SHOTS, Watched

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = [pytest.mark.live, pytest.mark.browser]

PARIS = {"timezone_id": "Europe/Paris", "locale": "fr-FR"}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2,
         **PARIS}
DESKTOP = {"viewport": {"width": 1366, "height": 900}, **PARIS}
BOARD_URL = re.compile(r"/b/[0-9a-fA-F-]+$")


def add_visit(room: Room, title: str, place: str, start: datetime, hours: int) -> dict[str, Any]:
    end = start + timedelta(hours=hours)
    body = {"title": title, "place": place, "starts_at": start.isoformat(), "ends_at": end.isoformat()}
    response = requests.post(f"{room.server.url}/api/v1/visits", json=body, timeout=5,
                             headers={"Authorization": f"Bearer {room.facilitator_token}"})
    response.raise_for_status()
    return response.json()


def sign_in(watched: Watched, base_url: str, token: str) -> None:
    """The access-key link signs the page in and lands on the person's board."""
    watched.page.goto(f"{base_url}/login#token={token}")
    watched.page.wait_for_url(BOARD_URL)


def strings(watched: Watched) -> dict[str, Any]:
    return watched.page.evaluate("JSON.parse(document.getElementById('i18n-views').textContent)")


def card(scope: Any, text: str) -> Any:
    """The card with this text inside `scope` (a locator)."""
    return scope.locator(".card").filter(has=scope.page.locator(".card__text", has_text=text))


def board_card(page: Any, text: str) -> Any:
    return page.locator("#board-zones .card").filter(has=page.locator(".card__text", has_text=text))


@pytest.fixture
def analysis(live_server: Any) -> Any:
    """A group's board after two visits: tagged notes, some in zones, one without a visit."""
    room = Room(live_server, groups=2)
    board = room.boards[0]
    day = datetime(2030, 11, 16, 7, 0, tzinfo=UTC)
    # Made out of agenda order: the timeline sorts them by time, not by creation.
    autun = add_visit(room, "Autun — agriculture", "Autun", day + timedelta(hours=6), 4)
    creusot = add_visit(room, "Le Creusot — métallurgie", "Le Creusot", day, 4)
    camille = room.person("Camille")
    writer = Peer(live_server, camille["token"]).connect()
    room.peers.append(writer)
    writer.join(board)  # it hears the edits made in the browsers
    writer.create(board, "Le maire soutient la reconversion du site", tags=["Politique"], visit_id=creusot["id"],
                  zone="actors")
    writer.create(board, "Le port fluvial emploie 300 personnes", tags=["économique"], visit_id=autun["id"],
                  zone="resources")
    writer.create(board, "Réunion publique à la mairie, salle comble", tags=["politique", "sociale"],
                  visit_id=autun["id"])
    writer.create(board, "Penser à demander les chiffres de l'emploi")
    yield {"room": room, "board": board, "camille": camille, "writer": writer, "visits": (creusot, autun)}
    room.close()


def test_a_tag_filter_in_the_url_highlights_its_notes_and_is_shared(live_server: Any, browser: Any,
                                                                     analysis: Any) -> None:
    room, board = analysis["room"], analysis["board"]
    first = Watched(browser, **DESKTOP)
    sign_in(first, live_server.url, analysis["camille"]["token"])
    page = first.page
    page.goto(f"{live_server.url}/b/{board}?tag=politique")
    t = strings(first)

    # The board view (zones): the two notes tagged politique (whatever the case) match, the others fade.
    expect(page.locator("#board-zones")).to_be_visible()
    expect(page.locator("#board-zones .card")).to_have_count(4)
    expect(page.locator("#board-zones .card.card--match")).to_have_count(2)
    expect(page.locator("#board-zones .card.card--dimmed")).to_have_count(2)
    expect(board_card(page, "Le maire")).to_have_class(re.compile(r"\bcard--match\b"))
    expect(board_card(page, "port fluvial")).to_have_class(re.compile(r"\bcard--dimmed\b"))
    expect(page.locator("#filter-tag")).to_have_value("politique")
    expect(page.locator("#filters-count")).to_have_text(t["match_other"].replace("{n}", "2").replace("{total}", "4"))
    expect(page.locator("#filter-theme-field")).to_be_hidden()  # no themes on this board yet

    # A note tagged by someone else arrives live and matches at once.
    analysis["writer"].create(board, "Les élus ruraux veulent peser", tags=["POLITIQUE"])
    expect(page.locator("#board-zones .card.card--match")).to_have_count(3)
    expect(page.locator("#filters-count")).to_have_text(t["match_other"].replace("{n}", "3").replace("{total}", "5"))

    # Typing in the search box (accents and case ignored) narrows it down and updates the address.
    page.locator("#filter-q").fill("MAIRIE")
    expect(page.locator("#board-zones .card.card--match")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"\?q=MAIRIE&tag=politique$"))
    expect(page.locator("#filters-count")).to_have_text(t["match_one"].replace("{n}", "1").replace("{total}", "5"))
    expect(page.locator("#filters-count")).to_have_attribute("aria-live", "polite")  # read out as it changes
    page.locator("#filter-q").fill("reunion")
    expect(board_card(page, "Réunion publique")).to_have_class(re.compile(r"\bcard--match\b"))
    expect(page).to_have_url(re.compile(r"\?q=reunion&tag=politique$"))
    shared = page.url

    # The same address in another person's page gives the same filter.
    other_person = room.person("Dominique")
    second = Watched(browser, **DESKTOP)
    sign_in(second, live_server.url, other_person["token"])
    second.page.goto(shared)
    expect(second.page.locator("#filter-q")).to_have_value("reunion")
    expect(second.page.locator("#filter-tag")).to_have_value("politique")
    expect(second.page.locator("#board-zones .card.card--match")).to_have_count(1)
    expect(second.page.locator("#board-zones .card.card--dimmed")).to_have_count(4)

    # Nothing matches: an empty state with a button that clears the filter (and the address).
    page.locator("#filter-q").fill("introuvable")
    expect(page.locator("#filters-empty")).to_be_visible()
    expect(page.locator("#filters-count")).to_have_text(t["match_none"])
    page.locator("#filters-empty-clear").click()
    expect(page.locator("#filters-empty")).to_be_hidden()
    expect(page.locator("#board-zones .card.card--dimmed")).to_have_count(0)
    expect(page.locator("#board-zones .card.card--match")).to_have_count(0)
    expect(page).to_have_url(re.compile(rf"/b/{board}$"))
    expect(page.locator("#filter-tag")).to_have_value("")
    expect(page.locator("#filter-q")).to_have_value("")
    expect(page.locator("#filters-clear")).to_be_disabled()

    # Choosing from the lists works too: the kind list offers only the kinds present.
    page.locator("#filter-tag").select_option("économique")
    expect(page).to_have_url(re.compile(r"\?tag=%C3%A9conomique$"))
    expect(page.locator("#board-zones .card.card--match")).to_have_count(1)

    page.screenshot(path=str(SHOTS / "collab-board-filter.png"), full_page=True)

    # Once the group has a theme, the theme list shows; "no theme" is a choice too.
    writer = analysis["writer"]
    theme = writer.op(board, "theme.create", {"title": "Reconversion industrielle"})["event"]["data"]["theme"]
    mayor = next(c for c in writer.join(board)["cards"] if c["text"].startswith("Le maire"))
    assert writer.op(board, "card.update", {"id": mayor["id"], "theme_id": theme["id"]})["ok"]
    expect(page.locator("#filter-theme-field")).to_be_visible()
    page.locator("#filter-theme").select_option(theme["id"])
    expect(page).to_have_url(re.compile(rf"\?tag=%C3%A9conomique&theme={theme['id']}$"))
    expect(page.locator("#filters-empty")).to_be_visible()  # the mayor's note is not économique
    page.locator("#filter-tag").select_option("")
    expect(page.locator("#board-zones .card.card--match")).to_have_count(1)
    expect(board_card(page, "Le maire")).to_have_class(re.compile(r"\bcard--match\b"))
    page.locator("#filter-theme").select_option("none")
    expect(page.locator("#board-zones .card.card--match")).to_have_count(4)

    for watched in (first, second):
        watched.close()


def test_the_timeline_groups_notes_under_their_visits_in_agenda_order(live_server: Any, browser: Any,
                                                                      analysis: Any) -> None:
    board = analysis["board"]
    watched = Watched(browser, **DESKTOP, permissions=["clipboard-read", "clipboard-write"])
    sign_in(watched, live_server.url, analysis["camille"]["token"])
    page = watched.page
    page.goto(f"{live_server.url}/b/{board}")
    expect(page.locator("#board-zones .card")).to_have_count(4)
    t = strings(watched)

    page.get_by_role("radio", name="Chronologie").check()
    expect(page).to_have_url(re.compile(r"\?view=timeline$"))
    expect(page.locator("#board-timeline")).to_be_visible()
    expect(page.locator("#board-zones")).to_be_hidden()
    groups = page.locator("#board-timeline .view-group")
    titles = groups.locator(".view-group__name")
    expect(titles).to_have_text(["Le Creusot — métallurgie", "Autun — agriculture", t["no_visit"]])
    expect(groups.nth(0).locator(".view-group__details")).to_contain_text("Le Creusot")
    expect(groups.nth(0).locator(".view-group__details")).to_contain_text("16 novembre")
    expect(groups.nth(1).locator(".card__text")).to_have_text(
        ["Le port fluvial emploie 300 personnes", "Réunion publique à la mairie, salle comble"])
    expect(groups.nth(2).locator(".card__text")).to_have_text(["Penser à demander les chiffres de l'emploi"])

    # In the timeline the filter hides what does not match, and says how many notes it hides.
    page.locator("#filter-tag").select_option("politique")
    expect(page).to_have_url(re.compile(r"\?tag=politique&view=timeline$"))
    expect(page.locator("#board-timeline .card")).to_have_count(2)
    expect(groups.locator(".view-group__name")).to_have_text(["Le Creusot — métallurgie", "Autun — agriculture"])
    expect(page.locator("#filters-hidden-text")).to_have_text(t["hidden_other"].replace("{n}", "2"))
    # The link to this view goes to the clipboard, ready to paste in a chat.
    page.locator("#filters-copy").click()
    expect(page.locator(".toast").filter(has_text=t["copied"])).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == page.url
    page.locator("#filters-show-all").click()
    expect(page.locator("#board-timeline .card")).to_have_count(4)
    expect(page.locator("#filters-hidden")).to_be_hidden()

    # A reload keeps the view (it is in the address); editing works in the timeline too.
    page.reload()
    expect(page.locator("#board-timeline .card")).to_have_count(4)
    note = card(page.locator("#board-timeline"), "Penser à demander")
    note.get_by_role("button", name=re.compile("Modifier")).click()
    note.locator(".card__edit-text").fill("Demander les chiffres de l'emploi à la mairie")
    note.locator(".card__edit button[type=submit]").click()
    expect(card(page.locator("#board-timeline"), "chiffres de l'emploi à la mairie")).to_be_visible()
    writer = analysis["writer"]
    wait_for(lambda: any(e["type"] == "card.update" for e in writer.events(board)), message="the edit on the server")

    page.screenshot(path=str(SHOTS / "collab-board-timeline.png"), full_page=True)
    watched.close()


def test_a_phone_opens_the_list_view_by_zone_and_can_edit(live_server: Any, browser: Any, analysis: Any) -> None:
    board = analysis["board"]
    phone = Watched(browser, **PHONE)
    sign_in(phone, live_server.url, analysis["camille"]["token"])
    page = phone.page
    page.goto(f"{live_server.url}/b/{board}")
    t = strings(phone)

    # No view in the address: the list, grouped by zone in the board's order.
    expect(page.locator("#board-list")).to_be_visible()
    expect(page.locator("#board-zones")).to_be_hidden()
    expect(page.get_by_role("radio", name="Liste")).to_be_checked()
    expect(page).to_have_url(re.compile(rf"/b/{board}$"))
    lists = page.locator("#board-list .view-group")
    expect(lists.first.locator(".view-group__name")).to_have_text("Boîte de réception")
    expect(page.locator("#board-list .card")).to_have_count(4)
    actors = lists.filter(has=page.locator(".view-group__name", has_text="Acteurs"))
    expect(actors.locator(".card__text")).to_have_text(["Le maire soutient la reconversion du site"])

    # Readable: one column as wide as the screen allows, text at full size, nothing to scroll sideways.
    box = card(page.locator("#board-list"), "Le maire").bounding_box()
    assert box is not None and box["width"] >= 330, box
    text = card(page.locator("#board-list"), "Le maire").locator(".card__text")
    size = text.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 16
    wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > 390.5).map(e => e.tagName + '.' + e.className).slice(0, 9)""")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, wide
    page.screenshot(path=str(SHOTS / "collab-board-list-phone.png"), full_page=True)

    # The filters fold behind one button, which counts the active ones.
    expect(page.locator("#filters-panel")).to_be_hidden()
    page.locator("#filters-toggle").tap()
    expect(page.locator("#filters-toggle")).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#filters-panel")).to_be_visible()
    page.locator("#filter-tag").select_option("politique")
    expect(page.locator("#filters-badge")).to_have_text("1")
    expect(page.locator("#board-list .card")).to_have_count(2)
    expect(page.locator("#filters-hidden-text")).to_have_text(t["hidden_other"].replace("{n}", "2"))
    page.locator("#filters-toggle").tap()
    expect(page.locator("#filters-panel")).to_be_hidden()
    expect(page.locator("#filters-badge")).to_have_text("1")

    # Edit with big targets, on the phone; the server has it.
    note = card(page.locator("#board-list"), "Réunion publique")
    edit = note.get_by_role("button", name=re.compile("Modifier"))
    edit_box = edit.bounding_box()
    assert edit_box is not None and edit_box["height"] >= 44 and edit_box["width"] >= 44, edit_box
    edit.tap()
    note.locator(".card__edit-text").fill("Réunion publique à la mairie : 200 personnes")
    note.locator(".card__edit button[type=submit]").tap()
    expect(card(page.locator("#board-list"), "200 personnes")).to_be_visible()
    writer = analysis["writer"]
    wait_for(lambda: any(e["type"] == "card.update" and "200 personnes" in e["data"]["card"]["text"]
                         for e in writer.events(board)), message="the edit on the server")

    # The board view is one tap away on a phone too, and the choice goes in the address.
    page.get_by_role("radio", name="Tableau").tap()
    expect(page).to_have_url(re.compile(r"\?tag=politique&view=board$"))
    expect(page.locator("#board-zones")).to_be_visible()
    expect(page.locator("#board-list")).to_be_hidden()

    page.screenshot(path=str(SHOTS / "collab-board-phone-filtered.png"), full_page=True)
    phone.close()
