"""One change path, one way out (issue #10, "The design behind them"): collab.mutations is the only
module that sends to connections — every board change through its `submit_op`, live controls, prompt
results, presence, editing and access messages through its helpers — and the live delivery
(collab.realtime.delivery) filters each message per reader (SYNC-15)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "collab"
ALLOWED = {ROOT / "mutations.py", ROOT / "realtime" / "delivery.py"}  # the sender, and the manager's own emit
SENDS = {"emit", "send", "call"}


def _sends(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if name in SENDS:
                found.append(f"{path.relative_to(ROOT.parent)}:{node.lineno}: {ast.unparse(func)}(…)")
    return found


def test_nothing_outside_collab_mutations_sends_to_connections() -> None:
    offenders = [line for path in sorted(ROOT.rglob("*.py")) if path not in ALLOWED for line in _sends(path)]
    assert offenders == []


def test_the_check_sees_a_send() -> None:
    """The check itself finds `socketio.emit(…)` and `flask_socketio.emit(…)`."""
    probe = ROOT.parent / "tests" / "__probe_send.py"
    probe.write_text("socketio.emit('event', {}, to='board:x')\nflask_socketio.emit('live', {})\n")
    try:
        assert len(_sends(probe)) == 2
    finally:
        probe.unlink()
