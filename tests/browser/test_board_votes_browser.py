"""The dot vote in a real browser: a facilitator opens a live vote with 3 dots, two participants vote
on the same board and see each other's counts live; out of dots, the add buttons are disabled; a
hidden vote shows nobody else's dots until it is revealed; closing freezes it; sort by votes.

Runs the real server (`live_server`) and Debian's Chromium through Playwright; waits on conditions
only (Playwright's `expect` retries), never on sleeps.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from .pages import SHOTS, Watched
from .test_board_zones_browser import DESKTOP, PHONE, card, join, post, settled, sign_in, snapshot, zone

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = [pytest.mark.live, pytest.mark.browser]

X = "La coopérative emploie 40 personnes"
Y = "Peu de transports le soir"


def add(page: Any, text: str) -> Any:
    return card(page, text).locator(".card-vote__add")


def take_back(page: Any, text: str) -> Any:
    return card(page, text).locator(".card-vote__remove")


def count(page: Any, text: str) -> Any:
    return card(page, text).locator(".card-vote__count")


def open_vote(page: Any, dots: int, *, hidden: bool = False) -> None:
    page.locator("#vote-start").click()
    page.locator("#vote-dots").fill(str(dots))
    page.locator("#vote-form").get_by_role("radio", name=re.compile("Masqués" if hidden else "En direct")).check()
    page.locator("#vote-form button[type=submit]").click()
    expect(page.locator("#vote-heading")).to_have_text("Vote en cours")


def close_vote(page: Any) -> None:
    page.locator("#vote-close").click()
    dialog = page.locator("#vote-close-dialog")
    expect(dialog).to_be_visible()
    dialog.locator("#vote-close-confirm").click()
    expect(page.locator("#vote-heading")).to_have_text("Vote terminé")


def test_vote_with_a_limited_number_of_dots(live_server: Any, browser: Any) -> None:
    workshop = live_server.create_workshop("Atelier vote", groups=2)
    code, group, token = workshop["join_code"], workshop["groups"][0], workshop["facilitator_token"]
    lead, one, two = (Watched(browser, **DESKTOP) for _ in range(3))
    join(one.page, live_server.url, code, "Camille", group["name"])
    join(two.page, live_server.url, code, "Dominique", group["name"])
    post(one.page, Y)  # Y first: sorting by votes must put X before it
    post(one.page, X)
    settled(one.page)
    expect(two.page.locator("#board-zones .card")).to_have_count(2)
    sign_in(lead.page, live_server.url, token, group["board_id"])

    # No vote yet: participants see no bar, the facilitator a way to start one.
    expect(one.page.locator("#vote-bar")).to_be_hidden()
    expect(lead.page.locator("#vote-start")).to_be_visible()
    expect(one.page.locator(".card-vote")).to_have_count(0)

    # A live vote with 3 dots per person.
    open_vote(lead.page, 3)
    expect(lead.page.locator("#vote-status")).to_have_text("3 points par personne — résultats en direct")
    expect(one.page.locator("#vote-bar")).to_be_visible()
    expect(one.page.locator("#toasts")).to_contain_text("Un vote a commencé : 3 points par personne.")
    expect(one.page.locator("#vote-left")).to_have_text("Il vous reste 3 points")
    expect(one.page.locator("#vote-dots-drawn")).to_have_text("○○○")

    # Camille: 2 dots on X, 1 on Y — out of dots, every add button is disabled, with a message.
    add(one.page, X).click()
    add(one.page, X).click()
    add(one.page, Y).click()
    expect(one.page.locator("#vote-left")).to_contain_text("Vous avez posé tous vos points")
    expect(one.page.locator("#vote-dots-drawn")).to_have_text("●●●")
    for text in (X, Y):
        expect(add(one.page, text)).to_be_disabled()
        expect(add(one.page, text)).to_have_attribute("title", "Plus de point disponible")
    expect(card(one.page, X).locator(".card-vote__mine")).to_have_text("●●")
    # Dominique sees the counts live, and still has all his dots.
    expect(count(two.page, X)).to_have_text("2")
    expect(count(two.page, Y)).to_have_text("1")
    expect(two.page.locator("#vote-left")).to_have_text("Il vous reste 3 points")
    expect(lead.page.locator("#vote-totals")).to_have_text("3 points posés par 1 personne")

    # Taking one back from Y: the buttons are enabled again, everywhere the count follows.
    take_back(one.page, Y).click()
    expect(add(one.page, X)).to_be_enabled()
    expect(one.page.locator("#vote-left")).to_have_text("Il vous reste 1 point")
    expect(count(two.page, Y)).to_have_text("0")
    expect(take_back(one.page, Y)).to_be_hidden()
    add(two.page, X).focus()
    two.page.keyboard.press("Enter")  # the keyboard works too
    expect(count(one.page, X)).to_have_text("3")
    expect(lead.page.locator("#vote-totals")).to_have_text("3 points posés par 2 personnes")

    # Closing freezes the vote: no more buttons, the results stay.
    close_vote(lead.page)
    expect(one.page.locator("#vote-heading")).to_have_text("Vote terminé")
    expect(one.page.locator(".card-vote__add:visible")).to_have_count(0)
    expect(count(one.page, X)).to_have_text("3")
    expect(one.page.locator("#vote-status")).to_have_text("3 points par personne — résultats définitifs")

    # Sort by votes: X (3 dots) before Y (0) in the inbox, and back.
    inbox = zone(one.page, "inbox").locator(".card__text")
    expect(inbox).to_have_text([Y, X])
    one.page.locator("#vote-sort").click()
    expect(one.page.locator("#vote-sort")).to_have_attribute("aria-pressed", "true")
    expect(inbox).to_have_text([X, Y])
    one.page.screenshot(path=str(SHOTS / "collab-vote-closed.png"))
    one.page.locator("#vote-sort").click()
    expect(inbox).to_have_text([Y, X])

    # A hidden vote: Dominique sees how many dots were placed, not where, until the reveal.
    open_vote(lead.page, 2, hidden=True)
    expect(two.page.locator("#vote-status")).to_have_text("2 points par personne — résultats masqués")
    expect(one.page.locator("#vote-left")).to_have_text("Il vous reste 2 points")  # a new vote starts from zero
    add(one.page, Y).click()
    expect(card(one.page, Y).locator(".card-vote__mine")).to_have_text("●")
    expect(two.page.locator("#vote-totals")).to_have_text("1 point posé par 1 personne")
    expect(count(two.page, Y)).to_be_hidden()
    expect(count(one.page, Y)).to_be_hidden()  # nobody sees counts, the voter neither
    stored = snapshot(live_server.url, token, group["board_id"])
    assert stored["vote"]["vote"]["hidden"] is True
    lead.page.locator("#vote-reveal").click()
    expect(count(two.page, Y)).to_have_text("1")
    expect(two.page.locator("#vote-status")).to_have_text("2 points par personne — résultats révélés")
    close_vote(lead.page)
    expect(two.page.locator("#vote-heading")).to_have_text("Vote terminé")
    expect(one.page.locator(".card-vote__add:visible")).to_have_count(0)

    for watched in (lead, one, two):
        watched.close()


def test_vote_on_a_phone(live_server: Any, browser: Any) -> None:
    workshop = live_server.create_workshop("Atelier vote mobile", groups=1)
    code, group, token = workshop["join_code"], workshop["groups"][0], workshop["facilitator_token"]
    lead = Watched(browser, **DESKTOP)
    phone = Watched(browser, **PHONE)
    join(phone.page, live_server.url, code, "Lou", group["name"])
    post(phone.page, X)
    settled(phone.page)
    sign_in(lead.page, live_server.url, token, group["board_id"])
    open_vote(lead.page, 1)
    # Whatever view the phone shows (the list, by default), its cards carry the dots.
    shown = phone.page.locator(".card:visible").filter(has=phone.page.locator(".card__text", has_text=X))
    button = shown.locator(".card-vote__add")
    button.scroll_into_view_if_needed()
    button.tap()
    expect(phone.page.locator("#vote-left")).to_contain_text("Vous avez posé tous vos points")
    expect(button).to_be_disabled()
    expect(shown.locator(".card-vote__count")).to_have_text("1")
    box = button.bounding_box()
    assert box and box["height"] >= 40, box  # a finger-sized target
    phone.page.screenshot(path=str(SHOTS / "collab-vote-phone.png"))
    phone.page.locator("#vote-bar").screenshot(path=str(SHOTS / "collab-vote-bar-phone.png"))
    lead.page.locator("#vote-bar").screenshot(path=str(SHOTS / "collab-vote-bar-facilitator.png"))
    for watched in (lead, phone):
        watched.close()
