"""The ES modules a page's entry module imports, directly or not, for `<link rel="modulepreload">`.

Without a bundler, the browser finds a module's imports only once it has fetched and parsed that
module: the board page's ~60 modules arrive as a waterfall of round trips before any script runs.
Listing the whole graph in the page's head lets the browser fetch them all at once, in parallel with
the HTML. The graph is read from the files themselves (static `import … from './x.js'` and
`export … from './x.js'` lines), so it cannot drift from the code; it is read again when a file of
the graph changes (development), otherwise kept in memory.

In a template (templates/board.html):
    {% for href in module_preloads('js/board.js') %}<link rel="modulepreload" href="{{ href }}">{% endfor %}
    <script type="module" src="{{ script_url('js/board.js') }}"></script>

`script_url` gives the page's bundle (static/dist/, built by static/build-bundles.mjs at setup: one
file instead of ~60) when it is newer than every module of the graph, and the entry module otherwise:
editing a module in development needs no rebuild. `module_preloads` is then empty.
"""

from __future__ import annotations

import posixpath
import re
import threading
from pathlib import Path

from flask import Flask, current_app, url_for

# Static imports and re-exports with a relative specifier (dynamic `import()` is left out: those
# modules are fetched on demand, on purpose). The body may span lines (`import {\n a,\n b\n} from`).
_IMPORT = re.compile(
    r"""^[ \t]*(?:import|export)\b(?:[^'";]*?\bfrom)?\s*['"](\.{1,2}/[^'"]+)['"]""",
    re.MULTILINE,
)
_COMMENTS = re.compile(r"/\*.*?\*/", re.DOTALL)

_cache: dict[str, tuple[tuple[tuple[Path, float], ...], list[str]]] = {}
_lock = threading.Lock()


def module_graph(static_dir: Path, entry: str) -> list[str]:
    """Paths (relative to `static_dir`, '/'-separated) of `entry` and every module it imports,
    entry first, then in the order they are first met (depth first)."""
    seen: list[str] = []
    pending = [entry]
    while pending:
        path = pending.pop()
        if path in seen:
            continue
        file = static_dir / path
        if not file.is_file():
            continue  # a broken import shows in the browser's console, not as a server error
        seen.append(path)
        source = _COMMENTS.sub("", file.read_text(encoding="utf-8"))
        imports = [posixpath.normpath(posixpath.join(posixpath.dirname(path), m)) for m in _IMPORT.findall(source)]
        pending.extend(reversed([p for p in imports if not p.startswith("..")]))
    return seen


def _fresh(signature: tuple[tuple[Path, float], ...]) -> bool:
    try:
        return all(file.stat().st_mtime == mtime for file, mtime in signature)
    except OSError:
        return False


def _graph(entry: str) -> tuple[tuple[tuple[Path, float], ...], list[str]]:
    """(signature: each file with its mtime, paths) of `entry`'s graph, read again when a file changed."""
    static_dir = Path(current_app.static_folder or "static")
    with _lock:
        cached = _cache.get(entry)
        if cached is None or not _fresh(cached[0]):
            paths = module_graph(static_dir, entry)
            signature = tuple((static_dir / p, (static_dir / p).stat().st_mtime) for p in paths)
            cached = (signature, paths)
            _cache[entry] = cached
    return cached


def bundle(entry: str) -> str | None:
    """'dist/<name>.js' (static/build-bundles.mjs) when it exists and is newer than every module of
    `entry`'s graph; None otherwise (not built, a module edited since, or COLLAB_BUNDLES=0)."""
    if not current_app.config["BUNDLES"]:
        return None
    path = f"dist/{posixpath.basename(entry)}"
    try:
        built = (Path(current_app.static_folder or "static") / path).stat().st_mtime
    except OSError:
        return None
    signature, _ = _graph(entry)
    return path if all(mtime <= built for _, mtime in signature) else None


def script_url(entry: str) -> str:
    """The URL of a page's `<script type="module">`: its bundle when fresh, else the module itself."""
    return url_for("static", filename=bundle(entry) or entry)


def module_preloads(entry: str) -> list[str]:
    """URLs of `entry` (e.g. 'js/board.js') and of every module it needs, for `<link
    rel="modulepreload">` (the entry too: its `<script>` at the end of the page is found later).
    Empty when the page loads its bundle (one file, nothing to preload)."""
    if bundle(entry):
        return []
    return [url_for("static", filename=p) for p in _graph(entry)[1]]


def init_modulegraph(app: Flask) -> None:
    app.add_template_global(module_preloads)
    app.add_template_global(script_url)
