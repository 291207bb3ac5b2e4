"""What every browser test shares: how Chromium is started, and pages watched for what must never
happen on them (dialogs, page errors, CSP violations)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "static" / "vendor" / "socket.io.esm.min.js"
SHOTS = Path(os.environ.get("COLLAB_SCREENSHOT_DIR", "/tmp"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Records CSP violations in the page (init scripts run outside the page's CSP).
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline'));
});
"""


def need_vendor() -> None:
    """The pages load the vendored Socket.IO client: without `npm run build` they cannot work."""
    if VENDOR.exists():
        return
    message = f"{VENDOR.relative_to(ROOT)} is missing: run `npm ci && npm run build`"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


class Watched:
    """A page with what must never happen on it recorded: dialogs, page errors, CSP violations."""

    def __init__(self, browser: Any, **context_options: Any) -> None:
        self.context = browser.new_context(**context_options)
        self.context.add_init_script(WATCH_CSP)
        self.page = self.context.new_page()
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page.on("dialog", self._on_dialog)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def _on_dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def i18n(self, key: str) -> str:
        """A string of the page's own translations (the `i18n` JSON block); `errors.network` for nested ones."""
        script = "(k) => k.split('.').reduce((o, p) => o[p], JSON.parse(document.getElementById('i18n').textContent))"
        return self.page.evaluate(script, key)

    def assert_clean(self) -> None:
        assert self.dialogs == [], f"a dialog fired: {self.dialogs}"
        assert self.errors == [], f"page errors: {self.errors}"
        assert self.page.evaluate("window.__cspViolations") == [], "CSP violations"

    def close(self) -> None:
        self.assert_clean()
        self.context.close()
