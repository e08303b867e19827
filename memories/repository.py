"""Queries over the store. A repository reads and stages; it never commits."""
from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from memories.errors import NotFound
from memories.models import ApiKey, Document, Memory, Unit


@dataclass(frozen=True, slots=True)
class MemorySummary:
    name: str
    description: str
    source_lang: str
    target_lang: str
    units: int


def memory_by_name(session: Session, name: str) -> Memory:
    """Return the memory called `name`; raise NotFound when there is none."""
    if "\x00" in name:  # no name holds one, and PostgreSQL cannot even compare it: do not ask
        raise NotFound(f"no memory named {name!r}")
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


def document_in_memory(session: Session, memory_id: int, document_id: int) -> Document:
    document = session.get(Document, document_id)
    if document is None or document.memory_id != memory_id:
        raise NotFound(f"no document {document_id} in this memory")
    return document


# -- API keys ---------------------------------------------------------------------------------


def key_hash(token: str) -> str:
    """Return the stored form of a key: the SHA-256 of the token, in hex.

    A plain hash is enough (no salt, no stretching): tokens are 256 random bits, not passwords.
    """
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def key_by_token(session: Session, token: str) -> ApiKey | None:
    """Return the key whose token this is, or None; the stored hash is compared in constant time."""
    wanted = key_hash(token)
    key = session.scalar(select(ApiKey).where(ApiKey.key_hash == wanted))
    if key is None or not hmac.compare_digest(key.key_hash, wanted):
        return None
    return key


def api_keys(session: Session) -> list[ApiKey]:
    """List every key (never a token: none is stored), oldest first."""
    return list(session.scalars(select(ApiKey).order_by(ApiKey.id)))


def unit_lengths(
    session: Session, memory_ids: list[int], *, reversed_ids: frozenset[int] = frozenset(), limit: int = 20_000
) -> list[tuple[int, int]]:
    """Return (source length, target length) of up to `limit` recent units of the memories.

    Memories in `reversed_ids` hold the pair the other way round; their lengths are swapped so
    every pair reads in the caller's direction.
    """
    rows = session.execute(
        select(Unit.memory_id, Unit.source_length, Unit.target_length)
        .where(Unit.memory_id.in_(memory_ids))
        .order_by(Unit.id.desc())
        .limit(limit)
    )
    return [(t, s) if memory_id in reversed_ids else (s, t) for memory_id, s, t in rows]


def memories_for_pair(session: Session, source_lang: str, target_lang: str) -> list[tuple[Memory, bool]]:
    """Return the memories holding this pair of primary languages, each with whether it is reversed."""
    from memories.languages import primary_language

    wanted = (primary_language(source_lang), primary_language(target_lang))
    found = []
    for memory in session.scalars(select(Memory).order_by(Memory.name)):
        pair = (primary_language(memory.source_lang), primary_language(memory.target_lang))
        if pair == wanted:
            found.append((memory, False))
        elif pair == wanted[::-1]:
            found.append((memory, True))
    return found
