"""The memory store's tables: memories, documents (parallel releases) and units."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

ORIGINS = ("aligner", "import", "manual")


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    pass


class Memory(Base):
    """A named collection of units sharing one language pair."""

    __tablename__ = "memories"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    source_lang: Mapped[str] = mapped_column(String(35))
    target_lang: Mapped[str] = mapped_column(String(35))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)

    documents: Mapped[list[Document]] = relationship(
        back_populates="memory", cascade="all, delete-orphan", passive_deletes=True
    )


class Document(Base):
    """One parallel release: both sides' checksums make re-ingesting it a no-op."""

    __tablename__ = "documents"
    __table_args__ = (
        UniqueConstraint("memory_id", "source_checksum", "target_checksum", name="uq_document_sides"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    memory_id: Mapped[int] = mapped_column(ForeignKey("memories.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(Text, default="")
    published_on: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    origin: Mapped[str] = mapped_column(Text, default="")
    source_checksum: Mapped[str] = mapped_column(String(64))
    target_checksum: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)

    memory: Mapped[Memory] = relationship(back_populates="documents")


class Unit(Base):
    """A translation unit: two texts that serve both directions (fr->en and en->fr).

    `content_hash` covers the primary languages and normalised texts of both sides, so the
    same pair is stored once per memory however often it is imported.
    """

    __tablename__ = "units"
    __table_args__ = (
        UniqueConstraint("memory_id", "content_hash", name="uq_unit_content"),
        Index("ix_units_document_position", "document_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The unique (memory_id, content_hash) index also serves lookups by memory.
    memory_id: Mapped[int] = mapped_column(ForeignKey("memories.id", ondelete="CASCADE"))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))
    position: Mapped[int | None] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))

    source_lang: Mapped[str] = mapped_column(String(35))
    source_text: Mapped[str] = mapped_column(Text)
    source_normalised: Mapped[str] = mapped_column(Text)
    source_length: Mapped[int] = mapped_column(Integer)
    source_markup: Mapped[str | None] = mapped_column(Text)

    target_lang: Mapped[str] = mapped_column(String(35))
    target_text: Mapped[str] = mapped_column(Text)
    target_normalised: Mapped[str] = mapped_column(Text)
    target_length: Mapped[int] = mapped_column(Integer)
    target_markup: Mapped[str | None] = mapped_column(Text)

    origin: Mapped[str] = mapped_column(String(16), default="manual")
    alignment_score: Mapped[float | None] = mapped_column(Float)
    external_id: Mapped[str | None] = mapped_column(Text)
    creator: Mapped[str | None] = mapped_column(Text)
    changer: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    properties: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))

    document: Mapped[Document | None] = relationship()
    memory: Mapped[Memory] = relationship()


# -- Matching: the change log that keeps every worker's index current (memories.matching) ---


class MatchingState(Base):
    """One row holding the version of the units: every write transaction bumps it last.

    The bump's row lock makes writers commit in version order, so a worker that has seen
    version V has seen every change up to V, whatever order PostgreSQL commits overlapping
    transactions in.
    """

    __tablename__ = "matching_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)
    pruned_through: Mapped[int] = mapped_column(BigInteger, default=0)
    # Set once by migration 0004: index files record it, so files built from another
    # database (or from this one before its schema was recreated) are never trusted.
    database_id: Mapped[str | None] = mapped_column(String(32))


class UnitChange(Base):
    """Units a write transaction touched: ids `first_unit_id`..`last_unit_id` of a memory, or
    the whole memory when both are null. A worker re-reads them; it never trusts the log's
    content, only that something there changed."""

    __tablename__ = "unit_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, index=True)
    memory_id: Mapped[int] = mapped_column(Integer)
    first_unit_id: Mapped[int | None] = mapped_column(Integer)
    last_unit_id: Mapped[int | None] = mapped_column(Integer)


# -- API keys (tm_service.auth) --------------------------------------------------------------

KEY_SCOPES = ("read", "write")


class ApiKey(Base):
    """An API key: only the SHA-256 of the token is stored, so a leaked table leaks no key.

    `memory_id` None means the key serves every memory (and may create memories); otherwise
    it serves that memory alone and goes with it when the memory is deleted.
    """

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scope: Mapped[str] = mapped_column(String(8))
    memory_id: Mapped[int | None] = mapped_column(ForeignKey("memories.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)

    memory: Mapped[Memory | None] = relationship()
