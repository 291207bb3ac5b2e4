"""Helpers for tests that use the board page: the devices, joining through the real pages, posting,
and finding cards and zones. Waits on conditions only (Playwright's `expect` retries)."""

from __future__ import annotations

import re
from typing import Any

import pytest

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
DESKTOP = {"viewport": {"width": 1366, "height": 860}}
CONNECTED = re.compile(r"\bpill--connected\b")


def join(page: Any, base_url: str, code: str, name: str, group_name: str, *, type_code: bool = False,
         connected: bool = True) -> None:
    """Join through the real pages: the join link (or, with `type_code`, the code form), then the name
    and group form; returns on the board, loaded (and connected, unless told not to wait for it)."""
    if type_code:
        page.goto(f"{base_url}/join")
        page.locator("#code").fill(code.lower())
        page.locator("form button[type=submit]").click()
    else:
        page.goto(f"{base_url}/j/{code}")
    page.locator("#name").fill(name)
    page.get_by_role("radio", name=group_name).check()
    page.locator("#join-submit").click()
    page.wait_for_url(re.compile(r"/b/[0-9a-fA-F-]+$"))
    expect(page.locator("#cards-loading")).to_be_hidden()
    if connected:
        expect(page.locator("#conn-pill")).to_have_class(CONNECTED)


def sign_in(page: Any, base_url: str, token: str, board_id: str) -> None:
    """A facilitator signs in with their access key, then opens the board."""
    page.goto(f"{base_url}/login#token={token}")
    page.wait_for_url(re.compile(r"/(b/[0-9a-fA-F-]+|agenda)?$"))
    page.goto(f"{base_url}/b/{board_id}")
    expect(page.locator("#cards-loading")).to_be_hidden()
    expect(page.locator("#conn-pill")).to_have_class(CONNECTED)


def post(page: Any, text: str, *, keyboard: bool = False) -> None:
    page.locator("#composer-text").fill(text)
    if keyboard:
        page.locator("#composer-text").press("Control+Enter")
    else:
        page.locator("#composer-submit").click()


def card(page: Any, text: str) -> Any:
    """The card in the zones board (shown or not: on a phone only one zone is in view)."""
    return page.locator("#board-zones .card").filter(has=page.locator(".card__text", has_text=text))


def shown_card(page: Any, text: str) -> Any:
    """The card in the view shown: the zones board, or the list view a phone opens on."""
    return page.locator(".board-cards .card:visible").filter(has=page.locator(".card__text", has_text=text))


def zone(page: Any, zone_id: str) -> Any:
    return page.locator(f'#board-zones .zone[data-zone-id="{zone_id}"]')


def settled(page: Any) -> None:
    """Nothing of this page is still being sent."""
    expect(page.locator(".card__status:visible")).to_have_count(0)
