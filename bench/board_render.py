"""First render of a big board in Chromium, measured in the page (bench/board_budget.py).

An init script (outside the page's CSP, like tests/browser/pages.py's) records, in `performance.now()`
time (0 = navigation start): long tasks (PerformanceObserver), the moment the page holds all N card
elements (MutationObserver), and the end of the task that rendered them (a `setTimeout(0)` queued
from there runs after that frame's style, layout and paint). The page counts as rendered and idle at
the later of that moment and the end of the last long task before a quiet period (no long task for
`quiet_ms`). Python polls `page.evaluate` (`wait_for_function` is blocked by the CSP).
"""

from __future__ import annotations

import json
import statistics
import time
from typing import Any

import requests

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1366, "height": 768}  # a common laptop screen

MEASURE = """
(() => {
  const SEL = %(selector)s, N = %(expected)d;
  const m = window.__bench = {longtasks: [], inDom: null, rendered: null, maxCount: 0, error: null, big: []};
  // When the snapshot arrives: every WebSocket message over 100 kB, timed as it is received.
  const NativeWebSocket = window.WebSocket;
  if (NativeWebSocket) {
    window.WebSocket = class extends NativeWebSocket {
      constructor(...args) {
        super(...args);
        this.addEventListener('message', (e) => {
          const n = typeof e.data === 'string' ? e.data.length : (e.data.byteLength || e.data.size || 0);
          if (n > 100000) m.big.push([performance.now(), n]);
        });
      }
    };
  }
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) m.longtasks.push([e.startTime, e.duration]);
    }).observe({type: 'longtask', buffered: true});
  } catch (e) { m.error = String(e); }
  let mo = null;
  const check = () => {
    if (m.inDom !== null) return;
    const n = document.querySelectorAll(SEL).length;
    if (n > m.maxCount) m.maxCount = n;
    if (n >= N) {
      m.inDom = performance.now();
      mo.disconnect();
      setTimeout(() => { m.rendered = performance.now(); }, 0);
    }
  };
  mo = new MutationObserver(check);
  mo.observe(document, {childList: true, subtree: true});
})();
"""

READ = r"""() => {
  const m = window.__bench || {};
  const nav = performance.getEntriesByType('navigation')[0];
  const res = performance.getEntriesByType('resource');
  const js = res.filter((r) => /\.m?js(\?|$)/.test(r.name));
  // The snapshot over REST (board.html preloads it): GET /api/v1/boards/<id>, not …/events.
  const snaps = res.filter((r) => /\/api\/v1\/boards\/[^/?]+$/.test(r.name));
  return {now: performance.now(), inDom: m.inDom, rendered: m.rendered, maxCount: m.maxCount, error: m.error,
          longtasks: m.longtasks || [], big: m.big || [],
          resources: {count: res.length, js: js.length, jsEnd: Math.max(0, ...js.map((r) => r.responseEnd)),
                      bytes: res.reduce((n, r) => n + (r.transferSize || 0), 0),
                      snapshots: snaps.map((r) => [r.responseEnd, r.encodedBodySize, r.decodedBodySize])},
          nav: nav ? {responseEnd: nav.responseEnd, domContentLoaded: nav.domContentLoadedEventEnd,
                      load: nav.loadEventEnd} : null};
}"""


def session_cookie(url: str, token: str) -> dict[str, Any]:
    """The participant's session cookie, as the browser gets it after joining."""
    session = requests.Session()
    session.post(url + "/api/v1/session", json={"token": token}, timeout=10).raise_for_status()
    return {
        "name": "collab_session",
        "value": session.cookies["collab_session"],
        "domain": "127.0.0.1",
        "path": "/",
        "httpOnly": True,
    }


def new_context(browser: Any, cookie: dict[str, Any], selector: str, expected: int) -> Any:
    context = browser.new_context(viewport=VIEWPORT, locale="fr-FR")
    context.add_cookies([cookie])
    context.add_init_script(MEASURE % {"selector": json.dumps(selector), "expected": expected})
    return context


def check_page(response: Any) -> None:
    """A board page that failed (a half-committed tree…) would only time out later: say why now."""
    if response is None or response.status >= 400:
        status = response.status if response is not None else "no response"
        raise RuntimeError(f"the board page answered {status} (see the server's log)")


def wait_rendered(page: Any, quiet_ms: float, timeout_s: float) -> dict[str, Any]:
    """Poll until all cards are rendered and no long task has run for `quiet_ms`."""
    deadline = time.monotonic() + timeout_s
    while True:
        state = page.evaluate(READ)
        last_end = max((start + dur for start, dur in state["longtasks"]), default=0.0)
        if state["rendered"] is not None and state["now"] - max(state["rendered"], last_end) >= quiet_ms:
            return _summary(state, quiet_ms)
        if time.monotonic() > deadline:
            result = _summary(state, quiet_ms)
            result["timed_out"] = True
            return result
        time.sleep(0.1)


def _summary(state: dict[str, Any], quiet_ms: float) -> dict[str, Any]:
    tasks = sorted(state["longtasks"])
    rendered = state["rendered"]
    # The last long task that ended before the quiet period began.
    horizon = state["now"] - quiet_ms
    last_end = max((s + d for s, d in tasks if s + d <= horizon), default=0.0)
    idle = None if rendered is None else max(rendered, last_end)
    # The snapshot: over REST (preloaded with the page, since 2026-11-26) or in the board:join ack.
    arrivals = [(end, size, "rest") for end, _, size in state["resources"]["snapshots"]]
    arrivals += [(at, size, "socket") for at, size in state["big"]]
    first = min(arrivals, default=None)
    return {
        "in_dom_ms": _r(state["inDom"]),
        "rendered_ms": _r(rendered),
        "rendered_idle_ms": _r(idle),
        "cards_seen": state["maxCount"],
        "long_tasks": len(tasks),
        "long_task_ms_total": _r(sum(d for _, d in tasks)),
        "long_task_ms_max": _r(max((d for _, d in tasks), default=0.0)),
        "long_tasks_list": [[_r(s), _r(d)] for s, d in tasks],
        "nav": {k: _r(v) for k, v in (state["nav"] or {}).items()},
        # The critical path: modules loaded, snapshot received (board:join ack), cards in the page.
        "js_files": state["resources"]["js"],
        "js_loaded_ms": _r(state["resources"]["jsEnd"]),
        "transfer_kb": round(state["resources"]["bytes"] / 1024),
        "snapshot_received_ms": _r(first[0]) if first else None,
        "snapshot_chars": first[1] if first else None,
        "snapshot_via": first[2] if first else None,
        "snapshot_requests": len(state["resources"]["snapshots"]),
        "observer_error": state["error"],
    }


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def measure_first_render(
    browser: Any,
    url: str,
    board_id: str,
    cookie: dict[str, Any],
    *,
    expected: int,
    selector: str,
    runs: int,
    warm_runs: int,
    quiet_ms: float = 1000,
    timeout_s: float = 60,
) -> dict[str, Any]:
    """`runs` cold loads (a new browser context each: no cache, no stored snapshot, no service
    worker) and `warm_runs` reloads of the last one (HTTP cache, service worker and the board's
    snapshot kept in IndexedDB)."""
    cold: list[dict[str, Any]] = []
    warm: list[dict[str, Any]] = []
    errors: list[str] = []
    for index in range(runs):
        context = new_context(browser, cookie, selector, expected)
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        check_page(page.goto(f"{url}/b/{board_id}", wait_until="commit"))
        cold.append(wait_rendered(page, quiet_ms, timeout_s))
        print(
            f"    cold load {index + 1}: {cold[-1]['rendered_idle_ms']} ms, {cold[-1]['long_tasks']} long tasks",
            flush=True,
        )
        if index == runs - 1:
            for w in range(warm_runs):
                page.reload(wait_until="commit")
                warm.append(wait_rendered(page, quiet_ms, timeout_s))
                print(f"    warm reload {w + 1}: {warm[-1]['rendered_idle_ms']} ms", flush=True)
        context.close()
    return {"cold": _aggregate(cold), "warm": _aggregate(warm), "page_errors": errors[:10]}


def _aggregate(runs: list[dict[str, Any]]) -> dict[str, Any]:
    done = [r["rendered_idle_ms"] for r in runs if r["rendered_idle_ms"] is not None and not r.get("timed_out")]
    path = {}
    for key in ("js_loaded_ms", "snapshot_received_ms", "in_dom_ms", "rendered_idle_ms"):
        values = [r[key] for r in runs if r.get(key) is not None]
        path[key] = _r(statistics.median(values)) if values else None
    return {
        "runs": runs,
        "critical_path_median_ms": path,
        "median_ms": _r(statistics.median(done)) if done else None,
        "worst_ms": _r(max(done)) if done else None,
        "incomplete": len(runs) - len(done),
    }
