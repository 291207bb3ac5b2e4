"""The capture screen's budget (issue: field capture): first load under 100 KB gzipped (HTML + JS +
CSS), and interactive in under 1 s on a throttled "slow 3G" profile once the service worker has
cached the app shell. Drives the real server and real Chromium; traffic stays on 127.0.0.1.

    .venv/bin/python bench/capture_budget.py            # prints a table and JSON
"""

from __future__ import annotations

import gzip
import json
import sys
import tempfile
import time
from pathlib import Path

import requests
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.server import LiveServer  # noqa: E402

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Chrome DevTools' "Slow 3G" preset: 400 ms latency, 500 kbit/s down, 500 kbit/s up.
SLOW_3G = {"offline": False, "latency": 400, "downloadThroughput": 500 * 1024 / 8, "uploadThroughput": 500 * 1024 / 8}
BUDGET_KB = 100
BUDGET_INTERACTIVE_S = 1.0


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        server = LiveServer(Path(tmp), {"COLLAB_OP_RATE_LIMIT": "off"}).start()
        try:
            result = measure(server)
        finally:
            server.stop()
    print(json.dumps(result, indent=2))
    print(f"\nfirst load, gzipped: {result['first_load_gzip_kb']:.1f} KB (budget {BUDGET_KB} KB)")
    print(
        f"interactive on slow 3G, warm service worker: median {result['interactive_s_median']:.2f} s "
        f"(budget {BUDGET_INTERACTIVE_S} s)"
    )


def measure(server: LiveServer) -> dict[str, object]:
    workshop = server.create_workshop("Budget", 1)
    joined = server.join(workshop["join_code"], "Mesure")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        context.add_cookies([_session_cookie(server, joined["token"])])
        page = context.new_page()
        loaded: list[str] = []
        page.on("response", lambda r: loaded.append(r.url) if r.ok else None)
        page.goto(server.url + "/capture", wait_until="networkidle")
        sizes = _gzip_sizes(server, context, loaded)
        page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
        page.reload(wait_until="networkidle")  # now controlled by the service worker

        timings = []
        for _ in range(5):
            fresh = context.new_page()
            cdp = context.new_cdp_session(fresh)
            cdp.send("Network.enable")
            cdp.send("Network.emulateNetworkConditions", SLOW_3G)
            start = time.perf_counter()
            fresh.goto(server.url + "/capture", wait_until="commit")
            fresh.wait_for_selector("textarea:not([disabled])", state="visible")
            fresh.locator("textarea").first.fill("prêt")
            timings.append(time.perf_counter() - start)
            fresh.close()
        browser.close()
    timings.sort()
    return {
        "files": sizes,
        "first_load_gzip_kb": sum(sizes.values()) / 1024,
        "interactive_s": [round(t, 3) for t in timings],
        "interactive_s_median": timings[len(timings) // 2],
    }


def _session_cookie(server: LiveServer, token: str) -> dict[str, object]:
    session = requests.Session()
    session.post(server.url + "/api/v1/session", json={"token": token}, timeout=10).raise_for_status()
    value = session.cookies["collab_session"]
    return {"name": "collab_session", "value": value, "domain": "127.0.0.1", "path": "/", "httpOnly": True}


def _gzip_sizes(server: LiveServer, context: object, urls: list[str]) -> dict[str, int]:
    """Gzipped size of every HTML, JS and CSS file the first load fetched."""
    sizes: dict[str, int] = {}
    cookies = {c["name"]: c["value"] for c in context.cookies()}  # type: ignore[attr-defined]
    for url in dict.fromkeys(urls):
        path = url.removeprefix(server.url)
        if not (path.startswith("/capture") or path.endswith((".js", ".mjs", ".css"))):
            continue
        if path.startswith(("/socket.io", "/api/")):
            continue
        body = requests.get(url, cookies=cookies, timeout=10).content
        sizes[path] = len(gzip.compress(body, 6))
    return sizes


if __name__ == "__main__":
    main()
