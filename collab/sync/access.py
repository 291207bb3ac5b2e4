"""The one access rule: who may read and who may write which board (docs/sync-spec.md SYNC-2,
SYNC-15; docs/protocol.md, "Permissions").

Every reader and writer asks here — REST, Socket.IO joins, pages, the op pipeline and the live
delivery of each message (collab.realtime.readers) — so they cannot disagree:

- read: a board of the actor's workshop; while the facilitators hide the groups' boards from each
  other (collab.live), a participant reads only their own group's board (and, for slides only, the
  group being presented). Facilitators read everything.
- write: read, and the actor's own group's board (facilitators: every board); a locked board
  refuses participants.
- who the actor is now: `refresh_actor` re-reads them inside the caller's transaction, so a person
  moved to another group, removed, or whose facilitator session ended (password changed) acts with
  the rights they have now, in every process — rights are never cached.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Board, FacilitatorAccount, Participant, WorkshopFacilitator, WorkshopLive
from .errors import N_, OpError

HIDDEN = N_("The other groups' boards are hidden for now: the facilitators will reveal them.")
ENDED = N_("Your access to this workshop has ended: join again or sign in again.")


@dataclass(frozen=True)
class Actor:
    """The authenticated person behind a request, detached from any database session.

    `account_id` and `session_epoch` are set when a facilitator account acts through its
    participant (collab.facilitator.acting): the account's session must still be the current one."""

    id: str
    name: str
    role: str
    workshop_id: str
    group_id: str | None
    account_id: str | None = None
    session_epoch: int | None = None

    @classmethod
    def of(cls, participant: Participant, account_id: str | None = None, session_epoch: int | None = None) -> Actor:
        return cls(
            id=participant.id,
            name=participant.name,
            role=participant.role,
            workshop_id=participant.workshop_id,
            group_id=participant.group_id,
            account_id=account_id,
            session_epoch=session_epoch,
        )

    @property
    def is_facilitator(self) -> bool:
        return self.role == "facilitator"


@dataclass(frozen=True)
class WriteRights:
    """What a page needs to know of the write rule: may this person write here, and may they while
    the board is locked. The browser only applies the live lock to it."""

    write: bool
    while_locked: bool

    def now(self, locked: bool) -> bool:
        return self.write and (self.while_locked or not locked)


BoardLike = TypeVar("BoardLike", bound=Any)  # a Board, or a BoardRow read under the write lock


def read_refusal(
    actor: Actor, workshop_id: str, group_id: str | None, *, groups_hidden: bool, shown_group: str | None = None
) -> OpError | None:
    """Why `actor` may not read a board (or slides) of `group_id` in `workshop_id`; None if they may."""
    if workshop_id != actor.workshop_id:
        return OpError("not_found", N_("This board does not exist."))
    if actor.is_facilitator or group_id is None or group_id == actor.group_id or not groups_hidden:
        return None
    if shown_group is not None and group_id == shown_group:
        return None  # presenting a group is its reveal (its slides only)
    return OpError("forbidden", HIDDEN, details={"hidden": True})


def check_read(actor: Actor, board: BoardLike | None, *, groups_hidden: bool) -> BoardLike:
    if board is None:
        raise OpError("not_found", N_("This board does not exist."))
    refusal = read_refusal(actor, board.workshop_id, board.group_id, groups_hidden=groups_hidden)
    if refusal is not None:
        raise refusal
    return board


def check_write(actor: Actor, board: BoardLike | None) -> BoardLike:
    """Writing: the actor's own group's board (a facilitator: any board of the workshop), unlocked
    for participants. Whoever may write a board may read it, hidden groups or not."""
    board = check_read(actor, board, groups_hidden=False)
    if actor.is_facilitator:
        return board
    if board.group_id is None or board.group_id != actor.group_id:
        raise OpError("forbidden", N_("You can only write on your own group's board."))
    if board.locked:
        raise OpError("locked", N_("A facilitator has locked this board."))
    return board


def write_rights(actor: Actor, board: BoardLike) -> WriteRights:
    try:
        check_write(actor, replace_locked(board))
    except OpError:
        return WriteRights(write=False, while_locked=False)
    return WriteRights(write=True, while_locked=actor.is_facilitator)


def replace_locked(board: Any) -> Any:
    """The board's access facts, unlocked (what the rule gives when no lock is on)."""
    return _Facts(board.id, board.workshop_id, board.group_id, False)


@dataclass(frozen=True)
class _Facts:
    id: str
    workshop_id: str
    group_id: str | None
    locked: bool


def live_hidden(session: Session, workshop_id: str) -> tuple[int, bool]:
    """The workshop's live state seq and whether the groups' boards are hidden from each other."""
    row = session.get(WorkshopLive, workshop_id)
    return (row.seq, bool(row.state.get("groups_hidden"))) if row else (0, False)


def readable(session: Session, actor: Actor, board_id: str) -> Board:
    """The board, if `actor` may read it now (snapshot, catch-up, history, pages, joins)."""
    board = session.get(Board, board_id) if isinstance(board_id, str) and len(board_id) <= 64 else None
    if board is None or board.workshop_id != actor.workshop_id:
        raise OpError("not_found", N_("This board does not exist."))
    hidden = hiding_matters(actor, board) and live_hidden(session, board.workshop_id)[1]
    return check_read(actor, board, groups_hidden=hidden)


def hiding_matters(actor: Actor, board: Any) -> bool:
    """Whether hiding the groups changes what `actor` may read of `board`: only a participant, on another
    group's board. (Spares the workshop's live state a read on every other join and snapshot.)"""
    return not actor.is_facilitator and board.group_id is not None and board.group_id != actor.group_id


_WHO = (
    select(Participant.name, Participant.role, Participant.group_id, Participant.workshop_id,
           FacilitatorAccount.session_epoch)
    .outerjoin(WorkshopFacilitator, WorkshopFacilitator.participant_id == Participant.id)
    .outerjoin(FacilitatorAccount, FacilitatorAccount.id == WorkshopFacilitator.account_id)
)


def refresh_actor(session: Session, actor: Actor) -> Actor:
    """`actor` as they are now, read in `session`: `unauthorized` once they were removed, or once the
    facilitator session they act through ended (a password change bumps the account's epoch)."""
    row = session.execute(_WHO.where(Participant.id == actor.id)).first()
    if row is None or row.workshop_id != actor.workshop_id:
        raise OpError("unauthorized", ENDED)
    if actor.account_id is not None and row.session_epoch != actor.session_epoch:
        raise OpError("unauthorized", ENDED)
    if (row.name, row.role, row.group_id) == (actor.name, actor.role, actor.group_id):
        return actor
    return replace(actor, name=row.name, role=row.role, group_id=row.group_id)
