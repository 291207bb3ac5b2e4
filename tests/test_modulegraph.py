"""A page loads its bundle while it is up to date, else its modules (collab/modulegraph.py): then
every module board.js needs, directly or not, is in a `<link rel="modulepreload">` of the page, read
from the imports themselves."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from flask import Flask

from collab.modulegraph import init_modulegraph, module_graph, module_preloads, script_url

from .test_facilitator_accounts import Console

STATIC = Path(__file__).resolve().parent.parent / "static"


def test_graph_follows_every_kind_of_static_import(tmp_path: Path) -> None:
    js = tmp_path / "js"
    (tmp_path / "vendor").mkdir()
    js.mkdir()
    (js / "main.js").write_text(
        "// import { nope } from './commented.js';\n"
        "/* import { nope } from './also-commented.js'; */\n"
        "import { a } from './a.js';\n"
        "import {\n  b,\n  c,\n} from './b.js';\n"
        "import './side-effect.js';\n"
        "import Lib from '../vendor/lib.esm.js';\n"
        'export { d } from "./d.js";\n'
        "export function later() { return import('./lazy.js'); }\n"
        "const text = 'from ./nope.js';\n"
    )
    for name in ("a", "b", "side-effect", "d", "lazy", "commented", "also-commented"):
        (js / f"{name}.js").write_text("import { a } from './a.js';\nexport const x = 1;\n")
    (js / "a.js").write_text("import { main } from './main.js';\nexport const a = 1;\n")  # a cycle
    (tmp_path / "vendor" / "lib.esm.js").write_text("export default {};\n")

    graph = module_graph(tmp_path, "js/main.js")
    assert graph == ["js/main.js", "js/a.js", "js/b.js", "js/side-effect.js", "vendor/lib.esm.js", "js/d.js"]


def test_a_page_loads_its_bundle_only_while_it_is_newer_than_its_modules(tmp_path: Path) -> None:
    js, dist = tmp_path / "js", tmp_path / "dist"
    js.mkdir()
    (js / "main.js").write_text("import { a } from './a.js';\n")
    (js / "a.js").write_text("export const a = 1;\n")
    app = Flask(__name__, static_folder=str(tmp_path), static_url_path="/static")
    app.config["BUNDLES"] = True  # the default (collab/config.py)
    init_modulegraph(app)

    def page() -> tuple[str, list[str]]:
        with app.test_request_context():
            return script_url("js/main.js"), module_preloads("js/main.js")

    assert page() == ("/static/js/main.js", ["/static/js/main.js", "/static/js/a.js"])  # not built
    dist.mkdir()
    (dist / "main.js").write_text("const a = 1;\n")
    assert page() == ("/static/dist/main.js", [])
    later = (dist / "main.js").stat().st_mtime + 5
    os.utime(js / "a.js", (later, later))  # a module edited since the build
    assert page() == ("/static/js/main.js", ["/static/js/main.js", "/static/js/a.js"])
    os.utime(dist / "main.js", (later + 1, later + 1))  # built again
    assert page()[0] == "/static/dist/main.js"
    app.config["BUNDLES"] = False  # COLLAB_BUNDLES=0
    assert page()[0] == "/static/js/main.js"


def test_board_page_preloads_the_board_modules(app: Any) -> None:
    app.config["BUNDLES"] = False
    graph = module_graph(STATIC, "js/board.js")
    assert {"js/board.js", "js/cards-view.js", "js/zones-view.js", "vendor/sortable.esm.js"} <= set(graph)
    assert len(graph) == len(set(graph)) > 40

    console = Console(app)
    made = console.workshop(groups=1)
    entered = console.client.get(f"/facilitator/w/{made['id']}/enter")
    page = console.client.get(entered.location).get_data(as_text=True)
    preloaded = re.findall(r'<link rel="modulepreload" href="/static/([^"]+)">', page)
    assert sorted(preloaded) == sorted(graph)
    assert preloaded[0] == "js/board.js"
    assert '<script type="module" src="/static/js/board.js">' in page
