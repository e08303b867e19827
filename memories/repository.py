"""Queries over the store. A repository reads and stages; it never commits."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from memories.errors import NotFound
from memories.models import Document, Memory, Unit


@dataclass(frozen=True, slots=True)
class MemorySummary:
    name: str
    description: str
    source_lang: str
    target_lang: str
    units: int


def memory_by_name(session: Session, name: str) -> Memory:
    """Return the memory called `name`; raise NotFound when there is none."""
    memory = session.scalar(select(Memory).where(Memory.name == name))
    if memory is None:
        raise NotFound(f"no memory named {name!r}")
    return memory


def memory_summaries(session: Session) -> list[MemorySummary]:
    """List every memory with its unit count, by name."""
    counts = (
        select(Unit.memory_id, func.count().label("units")).group_by(Unit.memory_id).subquery()
    )
    rows = session.execute(
        select(Memory, func.coalesce(counts.c.units, 0))
        .outerjoin(counts, counts.c.memory_id == Memory.id)
        .order_by(Memory.name)
    )
    return [
        MemorySummary(m.name, m.description, m.source_lang, m.target_lang, units)
        for m, units in rows
    ]


def count_units(session: Session, memory_id: int) -> int:
    return session.scalar(select(func.count()).select_from(Unit).where(Unit.memory_id == memory_id))


def iter_units(session: Session, memory_id: int, *, batch_size: int = 2000) -> Iterator[Unit]:
    """Yield a memory's units in id order, a batch at a time, so an export stays flat in memory."""
    last_id = 0
    while True:
        batch = session.scalars(
            select(Unit)
            .where(Unit.memory_id == memory_id, Unit.id > last_id)
            .order_by(Unit.id)
            .limit(batch_size)
        ).all()
        if not batch:
            return
        yield from batch
        last_id = batch[-1].id
        session.expunge_all()


def unit_in_memory(session: Session, memory_id: int, unit_id: int) -> Unit:
    unit = session.get(Unit, unit_id)
    if unit is None or unit.memory_id != memory_id:
        raise NotFound(f"no unit {unit_id} in this memory")
    return unit


def document_by_checksums(session: Session, memory_id: int, source: str, target: str) -> Document | None:
    return session.scalar(
        select(Document).where(
            Document.memory_id == memory_id,
            Document.source_checksum == source,
            Document.target_checksum == target,
        )
    )


def memory_statistics(session: Session, memory: Memory) -> dict:
    """Count a memory's units by origin and documents, with average text lengths."""
    by_origin = dict(
        session.execute(
            select(Unit.origin, func.count()).where(Unit.memory_id == memory.id).group_by(Unit.origin)
        ).all()
    )
    averages = session.execute(
        select(
            func.avg(Unit.source_length), func.avg(Unit.target_length), func.min(Unit.created_at), func.max(Unit.changed_at)
        ).where(Unit.memory_id == memory.id)
    ).one()
    documents = session.scalar(
        select(func.count()).select_from(Document).where(Document.memory_id == memory.id)
    )
    return {
        "name": memory.name,
        "description": memory.description,
        "source_lang": memory.source_lang,
        "target_lang": memory.target_lang,
        "units": sum(by_origin.values()),
        "units_by_origin": by_origin,
        "documents": documents,
        "average_source_length": round(float(averages[0] or 0), 1),
        "average_target_length": round(float(averages[1] or 0), 1),
        "first_created": averages[2].isoformat() if averages[2] else None,
        "last_changed": averages[3].isoformat() if averages[3] else None,
    }
