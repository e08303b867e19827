"""The memory store's tables: memories, documents (parallel releases) and units."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    JSON,
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
    properties: Mapped[dict | None] = mapped_column(JSON)

    document: Mapped[Document | None] = relationship()
    memory: Mapped[Memory] = relationship()
