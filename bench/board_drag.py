"""Dragging a card across the zones of a big board, frame by frame (bench/board_budget.py).

The board is loaded (cold) and left to settle; then a card near the top of the inbox is dragged with
the mouse (Playwright's `page.mouse`, one move every 1/60 s, 6 px at a time, as a hand on a mouse
would send them) over the next zones into a later one, held there for a moment and dropped. Meanwhile
the page records every `requestAnimationFrame` timestamp and every long task. Reported: the frame
intervals during the drag (p50, p95, max), the frames dropped (an interval of n × 16.7 ms drops
n - 1 frames), the same for the second after the drop (the board redraws and sends `card.move`),
and whether the card landed in the zone it was dropped on, in the page and on the server. With
`profile`, the drag is also traced (drag-trace.json, drag.cpuprofile; slower: proportions only).
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import requests
from board_profile import CATEGORIES, js_functions, main_thread_kinds
from board_render import check_page, new_context, wait_rendered

FRAME_MS = 1000 / 60
RECORD = """() => {
  const r = window.__drag = {frames: [], tasks: [], on: true};
  const tick = (t) => { r.frames.push(t); if (r.on) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) r.tasks.push([e.startTime, e.duration]);
  }).observe({type: 'longtask'});
  return performance.now();
}"""
STOP = "() => { const r = window.__drag; r.on = false; return {frames: r.frames, tasks: r.tasks}; }"
NOW = "() => performance.now()"
# The first card of the first zone, and the list of the farthest zone shown whole on the screen, away
# from the edges where SortableJS scrolls the board by itself (`scrollSensitivity`).
PICK = """([selector, hops]) => {
  const lists = [...document.querySelectorAll('ul[data-zone-id]')].filter((l) => l.offsetParent !== null);
  if (lists.length < 2) return {error: `only ${lists.length} zone lists on the page`};
  const source = lists[0];
  source.scrollIntoView({block: 'nearest', inline: 'nearest'});
  const card = source.querySelector(selector);
  if (!card) return {error: 'no card in the first zone'};
  const margin = 100;
  const shown = lists.slice(1, hops + 1).filter((l) => {
    const r = l.getBoundingClientRect();
    return r.left + r.width / 2 > margin && r.left + r.width / 2 < innerWidth - margin;
  });
  const target = shown.length ? shown[shown.length - 1] : lists[1];
  const a = card.getBoundingClientRect();
  const b = target.getBoundingClientRect();
  return {id: card.dataset.id, from: source.dataset.zoneId, to: target.dataset.zoneId,
          start: [a.left + a.width / 2, a.top + Math.min(a.height / 2, 24)],
          end: [b.left + b.width / 2, Math.min(b.top + 120, innerHeight - margin)],
          lists: lists.length};
}"""
ZONE_OF = """(id) => {
  const card = document.querySelector(`.card[data-id="${CSS.escape(id)}"]`);
  const list = card && card.closest('[data-zone-id]');
  return list ? list.dataset.zoneId : null;
}"""


def measure_drag(
    browser: Any,
    url: str,
    board_id: str,
    cookie: dict[str, Any],
    *,
    expected: int,
    selector: str,
    outdir: Path,
    token: str,
    hops: int = 3,
    step_px: float = 6,
    profile: bool = False,
    before_drag: str | None = None,
) -> dict[str, Any]:
    """`before_drag`: a script evaluated in the page before the drag (experiments)."""
    context = new_context(browser, cookie, selector, expected)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    check_page(page.goto(f"{url}/b/{board_id}", wait_until="commit"))
    settled = wait_rendered(page, quiet_ms=1000, timeout_s=90)
    pick = page.evaluate(PICK, [selector, hops])
    if "error" in pick:
        context.close()
        return {"error": pick["error"], "render": settled}
    if before_drag:
        page.evaluate(before_drag)
    (x0, y0), (x1, y1) = pick["start"], pick["end"]
    page.mouse.move(x0, y0)
    if profile:  # the drag only: Chromium trace and V8 CPU profile (board_profile.py)
        cdp = context.new_cdp_session(page)
        cdp.send("Profiler.enable")
        cdp.send("Profiler.setSamplingInterval", {"interval": 200})
        cdp.send("Profiler.start")
        browser.start_tracing(page=page, categories=CATEGORIES)
    t_start = page.evaluate(RECORD)
    time.sleep(0.3)  # frames at rest, before the drag
    page.mouse.down()
    distance = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
    steps = max(10, int(distance / step_px))
    drag_from = page.evaluate(NOW)
    for i in range(1, steps + 1):
        page.mouse.move(x0 + (x1 - x0) * i / steps, y0 + (y1 - y0) * i / steps)
        time.sleep(1 / 60)
    for i in range(30):  # hover over the target for half a second, as people do before letting go
        page.mouse.move(x1 + (i % 2) * 2, y1 + (i % 3))
        time.sleep(1 / 60)
    drag_to = page.evaluate(NOW)
    page.mouse.up()
    deadline = time.monotonic() + 10
    while page.evaluate(ZONE_OF, pick["id"]) != pick["to"] and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)  # the second after the drop
    recorded = page.evaluate(STOP)
    landed_page = page.evaluate(ZONE_OF, pick["id"])
    where = None
    if profile:
        trace = browser.stop_tracing()
        cpu = cdp.send("Profiler.stop")["profile"]
        (outdir / "drag-trace.json").write_bytes(trace)
        (outdir / "drag.cpuprofile").write_text(json.dumps(cpu))
        where = {"main_thread_ms": main_thread_kinds(json.loads(trace)), "js_functions": js_functions(cpu)}
    context.close()
    landed_server = _server_zone(url, board_id, token, pick["id"], pick["to"])
    frames = recorded["frames"]
    during = _intervals(frames, drag_from, drag_to)
    after = _intervals(frames, drag_to, drag_to + 1000)
    return {
        "card": pick["id"],
        "from_zone": pick["from"],
        "to_zone": pick["to"],
        "moves": steps + 30,
        "drag_ms": round(drag_to - drag_from),
        "frames": _frame_stats(during, drag_to - drag_from),
        "after_drop": _frame_stats(after, 1000),
        "rest_before_ms": round(drag_from - t_start),
        "long_tasks_during": [[round(s), round(d)] for s, d in recorded["tasks"] if drag_from <= s <= drag_to],
        "long_tasks_after_drop": [[round(s), round(d)] for s, d in recorded["tasks"] if s > drag_to],
        "landed_in_page": landed_page == pick["to"],
        "zone_in_page": landed_page,
        "landed_on_server": landed_server,
        "render_before_drag_ms": settled["rendered_idle_ms"],
        "page_errors": errors[:5],
        **({"profile": where} if where else {}),
    }


def _server_zone(url: str, board_id: str, token: str, card_id: str, zone: str) -> bool:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        data = requests.get(
            f"{url}/api/v1/boards/{board_id}", headers={"Authorization": f"Bearer {token}"}, timeout=30
        ).json()
        if any(c["id"] == card_id and c["zone"] == zone for c in data["cards"]):
            return True
        time.sleep(0.2)
    return False


def _intervals(frames: list[float], start: float, end: float) -> list[float]:
    inside = [t for t in frames if start <= t <= end]
    return [b - a for a, b in zip(inside, inside[1:], strict=False)]


def _frame_stats(intervals: list[float], window_ms: float) -> dict[str, Any]:
    if not intervals:
        return {
            "frames": 0,
            "expected": round(window_ms / FRAME_MS),
            "dropped": None,
            "p50": None,
            "p95": None,
            "max": None,
        }
    ordered = sorted(intervals)
    dropped = sum(max(0, round(dt / FRAME_MS) - 1) for dt in intervals)
    return {
        "frames": len(intervals),
        "expected": round(window_ms / FRAME_MS),
        "dropped": dropped,
        "fps": round(1000 * len(intervals) / max(1.0, sum(intervals)), 1),
        "p50": round(ordered[len(ordered) // 2], 1),
        "p95": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 1),
        "max": round(ordered[-1], 1),
        "over_20ms": sum(1 for dt in intervals if dt > 20),
    }
