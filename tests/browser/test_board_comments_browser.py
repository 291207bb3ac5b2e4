"""Comments and quick reactions on cards in a real browser: one participant comments a note, another
replies, both see the thread and the count live; the author deletes their comment (after a
confirmation); a reaction shows live on the other page with who gave it.

Runs the real server (`live_server`) and Debian's Chromium through Playwright; waits on conditions
only (Playwright's `expect` retries), never on sleeps.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from .pages import SHOTS, Watched
from .test_board_zones_browser import DESKTOP, PHONE, card, join, post, settled, snapshot

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = [pytest.mark.live, pytest.mark.browser]

X = "Le maire veut un tiers-lieu dans l'ancienne gare"


def comments_button(page: Any, text: str) -> Any:
    return card(page, text).locator(".card-comments")


def panel(page: Any) -> Any:
    return page.locator("#comments-panel")


def write(page: Any, text: str) -> None:
    box = page.locator("#comments-text")
    box.fill(text)
    box.press("Control+Enter")
    expect(box).to_have_value("")


def test_comment_reply_delete_live(live_server: Any, browser: Any) -> None:
    workshop = live_server.create_workshop("Atelier commentaires", groups=2)
    code, group = workshop["join_code"], workshop["groups"][0]
    one = Watched(browser, **DESKTOP)
    two = Watched(browser, **DESKTOP)
    join(one.page, live_server.url, code, "Camille", group["name"])
    join(two.page, live_server.url, code, "Dominique", group["name"])
    post(one.page, X)
    settled(one.page)
    expect(card(two.page, X)).to_be_visible()

    # Camille opens the thread: empty, then her comment (sent with Ctrl+Enter).
    expect(comments_button(one.page, X)).to_have_attribute("aria-label", "Commenter la note de Camille")
    comments_button(one.page, X).click()
    expect(panel(one.page)).to_be_visible()
    expect(panel(one.page).locator("#comments-card")).to_have_text(X)
    expect(panel(one.page).locator("#comments-empty")).to_be_visible()
    write(one.page, "Source ? Le conseil municipal de mars")
    first = panel(one.page).locator(".comment").first
    expect(first.locator(".comment__text")).to_have_text("Source ? Le conseil municipal de mars")
    expect(first.locator(".comment__author")).to_have_text("Camille (vous)")
    expect(first.locator(".comment__time")).to_have_text("à l’instant")
    expect(panel(one.page).locator("#comments-empty")).to_be_hidden()

    # Dominique sees the count on the card live, opens the thread and replies.
    expect(comments_button(two.page, X).locator(".card-comments__count")).to_have_text("1")
    comments_button(two.page, X).click()
    thread = panel(two.page).locator(".comment-thread")
    expect(thread.locator(".comment__text")).to_have_text(["Source ? Le conseil municipal de mars"])
    expect(thread.get_by_role("button", name="Supprimer le commentaire de Camille")).to_have_count(0)  # not his
    thread.get_by_role("button", name="Répondre à Camille").click()
    expect(two.page.locator("#comments-reply-text")).to_have_text("En réponse à Camille")
    expect(two.page.locator("#comments-text")).to_be_focused()
    two.page.keyboard.press("Escape")  # leaves the reply, not the panel
    expect(two.page.locator("#comments-reply")).to_be_hidden()
    expect(panel(two.page)).to_be_visible()
    thread.get_by_role("button", name="Répondre à Camille").click()
    write(two.page, "Oui, délibération du 12 mars")
    expect(two.page.locator("#comments-reply")).to_be_hidden()

    # Both see the thread live: the reply under the first comment; the count is 2 on both cards.
    for page in (one.page, two.page):
        replies = panel(page).locator(".comment-replies .comment__text")
        expect(replies).to_have_text(["Oui, délibération du 12 mars"])
        expect(comments_button(page, X).locator(".card-comments__count")).to_have_text("2")
    replies_of_one = panel(one.page).locator(".comment-replies")
    expect(replies_of_one.get_by_role("button", name=re.compile("Répondre"))).to_have_count(0)  # one level deep
    one.page.screenshot(path=str(SHOTS / "collab-comments.png"))

    # Camille deletes her comment: asked first, then "Comment deleted" (its reply stays).
    panel(one.page).get_by_role("button", name="Supprimer le commentaire de Camille").click()
    confirm = panel(one.page).locator(".comment__confirm")
    expect(confirm).to_contain_text("Supprimer ce commentaire ?")
    expect(confirm.get_by_role("button", name="Le garder")).to_be_focused()
    one.page.keyboard.press("Escape")  # cancels the deletion, not the panel
    expect(confirm).to_have_count(0)
    expect(panel(one.page)).to_be_visible()
    panel(one.page).get_by_role("button", name="Supprimer le commentaire de Camille").click()
    confirm.get_by_role("button", name="Supprimer").click()
    for page in (one.page, two.page):
        expect(panel(page).locator(".comment__placeholder")).to_have_text("Commentaire supprimé")
        expect(panel(page).locator(".comment-replies .comment__text")).to_have_text(["Oui, délibération du 12 mars"])
        expect(comments_button(page, X).locator(".card-comments__count")).to_have_text("1")

    # Escape closes the panel and gives the focus back to the card's button.
    one.page.keyboard.press("Escape")
    expect(panel(one.page)).to_be_hidden()
    expect(comments_button(one.page, X)).to_be_focused()
    stored = snapshot(live_server.url, workshop["facilitator_token"], group["board_id"])
    kept = [(c["deleted"], c["text"]) for c in stored["comments"]]
    assert kept == [(True, ""), (False, "Oui, délibération du 12 mars")]
    for watched in (one, two):
        watched.close()


def test_reactions_live(live_server: Any, browser: Any) -> None:
    workshop = live_server.create_workshop("Atelier réactions", groups=2)
    code, group = workshop["join_code"], workshop["groups"][1]
    one = Watched(browser, **DESKTOP)
    two = Watched(browser, **PHONE)
    join(one.page, live_server.url, code, "Lou", group["name"])
    join(two.page, live_server.url, code, "Noa", group["name"])
    post(one.page, X)
    settled(one.page)

    thumbs = card(one.page, X).locator('.reaction[data-reaction="👍"]')
    card(one.page, X).hover()
    thumbs.click()
    expect(thumbs).to_have_attribute("aria-pressed", "true")
    expect(thumbs.locator(".reaction__count")).to_have_text("1")

    # Noa's phone (the list view) shows the count live, with who reacted.
    shown = two.page.locator(".card:visible").filter(has=two.page.locator(".card__text", has_text=X))
    other = shown.locator('.reaction[data-reaction="👍"]')
    expect(other.locator(".reaction__count")).to_have_text("1")
    expect(other).to_have_attribute("aria-pressed", "false")
    expect(other).to_have_attribute("title", re.compile("Lou"))
    other.tap()
    expect(other.locator(".reaction__count")).to_have_text("2")
    expect(other).to_have_attribute("aria-pressed", "true")
    expect(thumbs.locator(".reaction__count")).to_have_text("2")
    expect(thumbs).to_have_attribute("title", re.compile(r"vous et Noa"))

    # Taking it back.
    thumbs.click()
    expect(other.locator(".reaction__count")).to_have_text("1")
    expect(thumbs).to_have_attribute("aria-pressed", "false")
    stored = snapshot(live_server.url, workshop["facilitator_token"], group["board_id"])
    assert len(stored["cards"][0]["reactions"]["👍"]) == 1
    two.page.screenshot(path=str(SHOTS / "collab-reactions-phone.png"))
    for watched in (one, two):
        watched.close()
