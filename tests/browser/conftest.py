"""The browser fixture: Debian's Chromium driven by Playwright (its own browser download never runs)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from .pages import CHROMIUM_ARGS, need_vendor

playwright_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture
def browser(chromium_path: str) -> Iterator[Any]:
    need_vendor()
    with playwright_api.sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield instance
        instance.close()
