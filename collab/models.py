"""The database model: workshops, groups, participants, boards, cards and the board event log.

Plain SQLAlchemy 2 typed declarative models with no Flask dependency, so the sync rules in
`collab.sync` can use them outside an application context.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_id() -> str:
    return str(uuid.uuid4())


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime; SQLite hands back naive values, so they are marked UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


# Order keys (fractional indexing) compare byte by byte: PostgreSQL must not sort them by a locale.
OrderKey = String(64).with_variant(String(64, collation="C"), "postgresql")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Workshop(Base):
    __tablename__ = "workshop"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    title: Mapped[str] = mapped_column(String(200))
    join_code: Mapped[str] = mapped_column(String(16), unique=True)
    locale: Mapped[str] = mapped_column(String(8), default="fr")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    starts_on: Mapped[date | None] = mapped_column(Date, nullable=True)  # facilitator console
    ends_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # The closing presentation's conclusions slide title (collab.present.slides); none: the bilan's question.
    conclusions_title: Mapped[str | None] = mapped_column(String(200), nullable=True)

    groups: Mapped[list[Group]] = relationship(
        back_populates="workshop", order_by="Group.position", cascade="all, delete-orphan"
    )


class Group(Base):
    __tablename__ = "group"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    workshop_id: Mapped[str] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    colour: Mapped[str] = mapped_column(String(16))
    position: Mapped[int] = mapped_column(Integer, default=0)

    workshop: Mapped[Workshop] = relationship(back_populates="groups")
    board: Mapped[Board | None] = relationship(back_populates="group", uselist=False)


class Visit(Base):
    """One item of the workshop's agenda: a site visited, a meeting, a work session."""

    __tablename__ = "visit"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    workshop_id: Mapped[str] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    place: Mapped[str] = mapped_column(String(200), default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Media(Base):
    """An uploaded photo, re-encoded without metadata, with its thumbnail (collab.media)."""

    __tablename__ = "media"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    workshop_id: Mapped[str] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
    uploader_id: Mapped[str | None] = mapped_column(
        ForeignKey("participant.id", ondelete="SET NULL"), nullable=True
    )
    # Random file names under COLLAB_MEDIA_DIR: never derived from the id or the upload's name.
    file_name: Mapped[str] = mapped_column(String(100))
    thumb_name: Mapped[str] = mapped_column(String(100))
    content_type: Mapped[str] = mapped_column(String(32))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Participant(Base):
    __tablename__ = "participant"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    workshop_id: Mapped[str] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[str | None] = mapped_column(
        ForeignKey("group.id", ondelete="SET NULL"), index=True, nullable=True
    )
    name: Mapped[str] = mapped_column(String(60))
    role: Mapped[str] = mapped_column(String(16), default="participant")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def is_facilitator(self) -> bool:
        return self.role == "facilitator"


class Board(Base):
    __tablename__ = "board"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    workshop_id: Mapped[str] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[str | None] = mapped_column(
        ForeignKey("group.id", ondelete="CASCADE"), unique=True, nullable=True
    )
    title: Mapped[str] = mapped_column(String(200))
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    template: Mapped[str] = mapped_column(String(32), default="territory")
    # [{"id", "title"}, …] in display order; "inbox" always first (collab.board_templates).
    zones: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    # Events with seq <= pruned_seq are no longer kept; catch-up from before that needs a snapshot.
    pruned_seq: Mapped[int] = mapped_column(Integer, default=0)

    group: Mapped[Group | None] = relationship(back_populates="board")


class Card(Base):
    __tablename__ = "card"
    __table_args__ = (Index("ix_card_board_live", "board_id", "deleted"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    board_id: Mapped[str] = mapped_column(ForeignKey("board.id", ondelete="CASCADE"))
    author_id: Mapped[str | None] = mapped_column(
        ForeignKey("participant.id", ondelete="SET NULL"), nullable=True
    )
    author_name: Mapped[str] = mapped_column(String(60))
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16), default="note")
    colour: Mapped[str] = mapped_column(String(16), default="yellow")
    zone: Mapped[str] = mapped_column(String(64), default="inbox")
    position: Mapped[str] = mapped_column(OrderKey, default="")  # fractional key within the zone
    visit_id: Mapped[str | None] = mapped_column(ForeignKey("visit.id", ondelete="SET NULL"), nullable=True)
    actor: Mapped[str] = mapped_column(String(120), default="")  # the person or body met
    media_id: Mapped[str | None] = mapped_column(ForeignKey("media.id", ondelete="SET NULL"), nullable=True)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)  # dimensions (politique…) and free tags
    theme_id: Mapped[str | None] = mapped_column(ForeignKey("theme.id", ondelete="SET NULL"), nullable=True)
    # {"👍": [participant ids], …}: who reacted how (a fixed set of reactions, collab.sync.fields).
    reactions: Mapped[dict[str, list[str]]] = mapped_column(JSON, default=dict)
    version: Mapped[int] = mapped_column(Integer, default=1)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Theme(Base):
    """A theme of a group's analysis: a title, its cards (Card.theme_id) and a synthesis in Markdown."""

    __tablename__ = "theme"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    board_id: Mapped[str] = mapped_column(ForeignKey("board.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    synthesis: Mapped[str] = mapped_column(Text, default="")
    colour: Mapped[str] = mapped_column(String(16), default="blue")
    position: Mapped[str] = mapped_column(OrderKey, default="")
    author_id: Mapped[str | None] = mapped_column(
        ForeignKey("participant.id", ondelete="SET NULL"), nullable=True
    )
    version: Mapped[int] = mapped_column(Integer, default=1)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Comment(Base):
    """A comment on a card; a reply has a `parent_id` (one level of threads)."""

    __tablename__ = "comment"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    board_id: Mapped[str] = mapped_column(ForeignKey("board.id", ondelete="CASCADE"), index=True)
    card_id: Mapped[str] = mapped_column(ForeignKey("card.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("comment.id", ondelete="CASCADE"), nullable=True)
    author_id: Mapped[str | None] = mapped_column(
        ForeignKey("participant.id", ondelete="SET NULL"), nullable=True
    )
    author_name: Mapped[str] = mapped_column(String(60))
    text: Mapped[str] = mapped_column(Text)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Vote(Base):
    """A dot vote on a board's cards, opened by a facilitator: `dots` per participant."""

    __tablename__ = "vote"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    board_id: Mapped[str] = mapped_column(ForeignKey("board.id", ondelete="CASCADE"), index=True)
    dots: Mapped[int] = mapped_column(Integer)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)  # counts hidden until revealed or closed
    revealed: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | closed
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class VoteDot(Base):
    """How many dots one participant put on one card in one vote."""

    __tablename__ = "vote_dot"

    vote_id: Mapped[str] = mapped_column(ForeignKey("vote.id", ondelete="CASCADE"), primary_key=True)
    participant_id: Mapped[str] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), primary_key=True)
    card_id: Mapped[str] = mapped_column(ForeignKey("card.id", ondelete="CASCADE"), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class WorkshopLive(Base):
    """What facilitators broadcast to a whole workshop (collab.live): timer, announcement, whether the
    groups' boards are hidden from each other. One row per workshop, replaced whole at each change."""

    __tablename__ = "workshop_live"

    workshop_id: Mapped[str] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Event(Base):
    """One applied op: the board's log, the source of truth for sync and de-duplication."""

    __tablename__ = "event"
    __table_args__ = (UniqueConstraint("board_id", "seq", name="uq_event_board_seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    board_id: Mapped[str] = mapped_column(ForeignKey("board.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    op_id: Mapped[str] = mapped_column(String(64), unique=True)
    type: Mapped[str] = mapped_column(String(32))
    actor_id: Mapped[str | None] = mapped_column(
        ForeignKey("participant.id", ondelete="SET NULL"), nullable=True
    )
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    ts: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class FacilitatorAccount(Base):
    """A facilitator's account (collab.facilitator): signs in with an email and a password."""

    __tablename__ = "facilitator_account"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-case
    name: Mapped[str] = mapped_column(String(60))
    password_hash: Mapped[str] = mapped_column(String(255))
    # Bumped when the password changes: sessions signed in before then end.
    session_epoch: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class WorkshopFacilitator(Base):
    """Which accounts manage which workshops, and the facilitator `Participant` each acts through
    there (made on first entry: boards, ops and presence only know participants)."""

    __tablename__ = "workshop_facilitator"

    workshop_id: Mapped[str] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), primary_key=True)
    account_id: Mapped[str] = mapped_column(
        ForeignKey("facilitator_account.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    participant_id: Mapped[str | None] = mapped_column(
        ForeignKey("participant.id", ondelete="SET NULL"), nullable=True
    )
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class FacilitatorInvitation(Base):
    """A one-time link that lets someone create an account and co-facilitate a workshop."""

    __tablename__ = "facilitator_invitation"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    workshop_id: Mapped[str] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by: Mapped[str | None] = mapped_column(
        ForeignKey("facilitator_account.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Prompt(Base):
    """A question put to the whole workshop by a facilitator (collab.prompts): the opening "travail sur
    les mots" (1–3 words each, shown as a word cloud) or the closing "bilan" (a personal takeaway and an
    anonymous evaluation)."""

    __tablename__ = "prompt"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    workshop_id: Mapped[str] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # words | bilan
    question: Mapped[str] = mapped_column(String(200))
    # bilan: {"ratings": [labels], "open_question": "…"}; words: {"hidden": [normalised words]}
    config: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | closed
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class PromptAnswer(Base):
    """One answer to a prompt: a participant's words or takeaway (named, one each, replaced when sent
    again), or an evaluation (anonymous: no participant, see PromptEvaluated)."""

    __tablename__ = "prompt_answer"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    prompt_id: Mapped[str] = mapped_column(ForeignKey("prompt.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # words | takeaway | evaluation
    participant_id: Mapped[str | None] = mapped_column(
        ForeignKey("participant.id", ondelete="SET NULL"), nullable=True
    )
    author_name: Mapped[str] = mapped_column(String(60), default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PromptEvaluated(Base):
    """Who has sent their anonymous evaluation of a prompt (once each), kept apart from the answers."""

    __tablename__ = "prompt_evaluated"

    prompt_id: Mapped[str] = mapped_column(ForeignKey("prompt.id", ondelete="CASCADE"), primary_key=True)
    participant_id: Mapped[str] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), primary_key=True)
