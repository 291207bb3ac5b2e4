"""Nothing in collab/facilitator/ changes what a board's page shows but through the op pipeline
(docs/sync-spec.md SYNC-16): no assignment to a board's title, template, zones or lock, or to a group's
name or colour, and no UPDATE or DELETE of boards or groups, outside the few places that make new
boards or touch a group that has none."""

from __future__ import annotations

import ast
from pathlib import Path

FACILITATOR = Path(__file__).resolve().parent.parent / "collab" / "facilitator"
SHOWN = {"title", "template", "zones", "locked", "seq", "name", "colour"}
# (module, function): why it may.
ALLOWED = {
    ("manage", "create"): "the boards of a workshop being made: no page shows them yet",
    ("board_changes", "update_group"): "a group without a board: no page shows it",
    ("board_changes", "delete_group"): "a group without a board: no page shows it",
}


def _writes(function: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(function):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
            node, ast.AugAssign | ast.AnnAssign) else []
        for target in targets:
            for part in ast.walk(target):
                if isinstance(part, ast.Attribute) and part.attr in SHOWN and isinstance(part.value, ast.Name):
                    if any(word in part.value.id.lower() for word in ("board", "group", "fresh")):
                        found.append(f"{part.value.id}.{part.attr} = … (line {part.lineno})")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("update", "delete"):
            if node.args and isinstance(node.args[0], ast.Name) and node.args[0].id in ("Board", "Group"):
                found.append(f"{node.func.id}({node.args[0].id}) (line {node.lineno})")
    return found


def test_the_console_changes_boards_only_through_ops() -> None:
    """SYNC-16: a change of an existing board is an op (collab.facilitator.board_changes sends them)."""
    offences = []
    for path in sorted(FACILITATOR.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and (path.stem, node.name) not in ALLOWED:
                offences += [f"{path.name}:{node.name}: {write}" for write in _writes(node)]
    assert offences == []


def test_the_guard_sees_a_direct_change() -> None:
    code = "def rename(db, group, board):\n    board.title = 'x'\n    db.execute(delete(Board))\n"
    assert len(_writes(ast.parse(code))) == 2
