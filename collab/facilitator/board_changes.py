"""The console's changes to a group's board — its name, colour, template, deletion — as ops.

They go through the one pipeline (`collab.mutations.submit_op`) as the account's facilitator
participant: one transaction, an event with the board's next seq, the broadcast to the board's open
pages, exactly as any op (docs/sync-spec.md SYNC-16). A request may carry an `op_id` so that its retry
changes nothing twice; each of its ops takes it with a suffix (`<op_id>-rename`, …).
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..models import Board, FacilitatorAccount, Group, Workshop
from ..mutations import submit_op
from ..sync.access import Actor
from ..sync.errors import OpError
from .acting import acting_actor
from .forms import GroupChanges
from .manage import groups_of


def board_op(actor: Actor, board_id: str, op_type: str, data: dict[str, Any], op_id: str) -> dict[str, Any]:
    """Apply one op for the console; a refusal is raised as the `OpError` the op answered."""
    raw = {"op_id": f"{op_id}-{op_type.removeprefix('board.')}", "board_id": board_id, "type": op_type, "data": data}
    result = submit_op(actor, raw)
    if not result["ok"]:
        error = dict(result["error"])
        code, message = error.pop("code"), error.pop("message")
        raise OpError(code, message, details=error)  # the message is translated already
    return result


def update_group(
    db: Session, account: FacilitatorAccount, workshop: Workshop, group: Group, changes: GroupChanges
) -> None:
    """Name, colour and template by ops (what did not change sends none); the order of the groups, a
    matter of the workshop's, not of a board, is written here."""
    given = changes.model_fields_set
    board = db.scalar(select(Board).where(Board.group_id == group.id))
    ops: list[tuple[str, dict[str, Any]]] = []
    if "name" in given and changes.name and (changes.name != group.name or (board and changes.name != board.title)):
        ops.append(("board.rename", {"title": changes.name}))
    if "colour" in given and changes.colour and changes.colour != group.colour:
        ops.append(("board.colour", {"colour": changes.colour}))
    if "template" in given and changes.template and board is not None and board.template != changes.template:
        ops.append(("board.template", {"template": changes.template}))
    if board is None:  # no board shows this group: nothing to tell anyone
        group.name = changes.name if "name" in given and changes.name else group.name
        group.colour = changes.colour if "colour" in given and changes.colour else group.colour
    elif ops:
        actor = acting_actor(db, account, workshop)
        board_id, op_id = board.id, changes.op_id or uuid.uuid4().hex
        db.commit()  # nothing of this session's may be pending while the ops write (SQLite has one writer)
        for op_type, data in ops:
            board_op(actor, board_id, op_type, data, op_id)
        db.expire_all()
    if "position" in given and changes.position is not None:
        ordered = [g for g in groups_of(db, workshop) if g.id != group.id]
        ordered.insert(min(changes.position, len(ordered)), group)
        for index, item in enumerate(ordered):
            item.position = index
    db.commit()


def delete_group(
    db: Session, account: FacilitatorAccount, workshop: Workshop, group: Group, op_id: str | None = None
) -> None:
    """Delete a group with its board and notes by a `board.delete` op; its members stay in the
    workshop, without a group. Their connections stay open: their pages say that the board was removed
    (no `access` message sending them elsewhere), and what they may do is decided anew at every op
    and every message (SYNC-15)."""
    group_id = group.id
    board_id = db.scalar(select(Board.id).where(Board.group_id == group_id))
    if board_id is None:
        db.expunge(group)
        db.execute(delete(Group).where(Group.id == group_id))  # members' group_id: SET NULL
        db.commit()
    else:
        actor = acting_actor(db, account, workshop)
        db.commit()
        board_op(actor, board_id, "board.delete", {}, op_id or uuid.uuid4().hex)
    db.expire_all()
