"""The board page preloads its whole module graph (collab/modulegraph.py): every module board.js needs,
directly or not, is in a `<link rel="modulepreload">` of the page, read from the imports themselves."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from collab.modulegraph import module_graph

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


def test_board_page_preloads_the_board_modules(app: Any) -> None:
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
