"""Where a big board's first render spends its time in Chromium (bench/board_budget.py --profile).

One cold load, recorded twice over: a Chromium trace (`devtools.timeline`, as the Performance panel
records it), summarised as self time per kind of work on the page's main thread (scripting, style,
layout, paint, parsing, garbage collection), and a V8 CPU profile, summarised as self and total
time per JavaScript function (`file:line name`). Both files are kept for Chromium's DevTools
(Performance panel: load `trace.json`; `cpuprofile` opens in the JavaScript profiler). Profiling
slows the page down: its times are for proportions, not for the budget.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from board_render import check_page, new_context, wait_rendered

CATEGORIES = [
    "devtools.timeline",
    "disabled-by-default-devtools.timeline",
    "v8.execute",
    "blink.user_timing",
    "loading",
]
# Trace event name -> kind of work (as the Performance panel groups them).
KINDS = {
    "FunctionCall": "scripting",
    "EvaluateScript": "scripting",
    "v8.evaluateModule": "scripting",
    "V8.Execute": "scripting",
    "FireAnimationFrame": "scripting",
    "TimerFire": "scripting",
    "EventDispatch": "scripting",
    "RunMicrotasks": "scripting",
    "v8.compile": "compile",
    "v8.compileModule": "compile",
    "V8.CompileCode": "compile",
    "MinorGC": "garbage collection",
    "MajorGC": "garbage collection",
    "V8.GC_SCAVENGER": "garbage collection",
    "V8.GC_MARK_COMPACTOR": "garbage collection",
    "BlinkGC.AtomicPhase": "garbage collection",
    "UpdateLayoutTree": "style",
    "RecalculateStyles": "style",
    "ParseAuthorStyleSheet": "style",
    "Layout": "layout",
    "PrePaint": "paint",
    "Paint": "paint",
    "PaintImage": "paint",
    "Layerize": "paint",
    "UpdateLayer": "paint",
    "CompositeLayers": "paint",
    "Commit": "paint",
    "ParseHTML": "parse HTML",
    "HitTest": "other",
    "RunTask": "other (task overhead)",
}


def profile_first_render(
    browser: Any, url: str, board_id: str, cookie: dict[str, Any], *, expected: int, selector: str, outdir: Path
) -> dict[str, Any]:
    context = new_context(browser, cookie, selector, expected)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Profiler.enable")
    cdp.send("Profiler.setSamplingInterval", {"interval": 200})  # µs
    cdp.send("Profiler.start")
    browser.start_tracing(page=page, categories=CATEGORIES)
    check_page(page.goto(f"{url}/b/{board_id}", wait_until="commit"))
    timing = wait_rendered(page, quiet_ms=1000, timeout_s=120)
    trace = browser.stop_tracing()
    profile = cdp.send("Profiler.stop")["profile"]
    context.close()
    (outdir / "render-trace.json").write_bytes(trace)
    (outdir / "render.cpuprofile").write_text(json.dumps(profile))
    return {
        "timing_profiled": {k: v for k, v in timing.items() if k != "long_tasks_list"},
        "main_thread_ms": main_thread_kinds(json.loads(trace)),
        "js_functions": js_functions(profile),
        "files": ["render-trace.json", "render.cpuprofile"],
    }


def main_thread_kinds(trace: dict[str, Any] | list[Any]) -> dict[str, Any]:
    """Self time per kind of work and per trace event name on the renderer's main thread."""
    events = trace["traceEvents"] if isinstance(trace, dict) else trace
    main = {
        (e["pid"], e["tid"]) for e in events if e.get("ph") == "M" and e.get("args", {}).get("name") == "CrRendererMain"
    }
    on_main = [e for e in events if e.get("ph") == "X" and (e.get("pid"), e.get("tid")) in main and e.get("dur")]
    spans = sorted(  # parents before the children that start with them
        (e["ts"], -(e["ts"] + e["dur"]), e["name"]) for e in on_main
    )
    # Top-level tasks: wall time, and thread (CPU) time, which other work on the machine does not inflate.
    tasks = [e for e in on_main if e["name"] == "RunTask"]
    self_us: dict[str, float] = defaultdict(float)
    stack: list[list[Any]] = []  # [start, end, name, time spent in children]

    def pop() -> None:
        start, end, name, child = stack.pop()
        self_us[name] += max(0.0, end - start - child)

    for start, neg_end, name in spans:
        end = -neg_end
        while stack and stack[-1][1] <= start:
            pop()
        if stack:
            stack[-1][3] += min(end, stack[-1][1]) - start
        stack.append([start, end, name, 0.0])
    while stack:
        pop()
    kinds: dict[str, float] = defaultdict(float)
    for name, us in self_us.items():
        kinds[KINDS.get(name, "other")] += us
    top = sorted(self_us.items(), key=lambda kv: -kv[1])[:15]
    return {
        "tasks_wall_ms": round(sum(e["dur"] for e in tasks) / 1000, 1),
        "tasks_cpu_ms": round(sum(e.get("tdur", 0) for e in tasks) / 1000, 1),
        "by_kind": {k: round(v / 1000, 1) for k, v in sorted(kinds.items(), key=lambda kv: -kv[1])},
        "by_event": {k: round(v / 1000, 1) for k, v in top},
    }


def js_functions(profile: dict[str, Any], top: int = 20) -> dict[str, Any]:
    """Self and total time per JavaScript function from a V8 CPU profile."""
    nodes = {n["id"]: n for n in profile["nodes"]}
    parent = {child: n["id"] for n in profile["nodes"] for child in n.get("children", [])}

    def label(node: dict[str, Any]) -> str:
        frame = node["callFrame"]
        name = frame["functionName"] or "(anonymous)"
        source = frame["url"].rsplit("/", 1)[-1]
        return f"{source}:{frame['lineNumber'] + 1} {name}" if source else name

    self_us: dict[str, float] = defaultdict(float)
    total_us: dict[str, float] = defaultdict(float)
    for node_id, delta in zip(profile.get("samples", []), profile.get("timeDeltas", []), strict=False):
        node = nodes.get(node_id)
        if node is None:
            continue
        self_us[label(node)] += delta
        seen = set()
        current: int | None = node_id
        while current is not None:
            name = label(nodes[current])
            if name not in seen:
                total_us[name] += delta
                seen.add(name)
            current = parent.get(current)
    skip = {"(root)", "(program)", "(idle)"}
    return {
        "self_ms": {k: round(v / 1000, 1) for k, v in sorted(self_us.items(), key=lambda kv: -kv[1])[:top]},
        "total_ms": _top_total(total_us, skip, top),
    }


def _top_total(total_us: dict[str, float], skip: set[str], top: int) -> dict[str, float]:
    items = [(k, v) for k, v in total_us.items() if k not in skip]
    return {k: round(v / 1000, 1) for k, v in sorted(items, key=lambda kv: -kv[1])[:top]}
