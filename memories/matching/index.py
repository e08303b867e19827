"""A snapshot of the match index: segments per language pair, which of their sides are alive, and the overlay.

A snapshot never changes once made. Applying changes from the change log makes a new one: the
sides of the changed units are marked dead (copy on write of a small bool array per segment),
the units are re-read from the database and tokenised into the overlay, a small segment rebuilt
from its rows. A worker swaps its snapshot in one assignment, so a request always searches one
consistent state and never waits for an index to be rebuilt. `store` writes a snapshot's
segments to files and maps them back.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np
from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from memories.languages import primary_language
from memories.matching import changes
from memories.matching.segment import SOURCE_SIDE, TARGET_SIDE, Segment, build, documents_from, merged
from memories.matching.tokens import keys, prepare
from memories.models import Unit

#: Overlay rows beyond this are sealed into a segment of their own.
FRESH_LIMIT = 4_096
#: In-memory segments of a partition beyond this are merged into one.
MAX_MEMORY_SEGMENTS = 4
#: Units read and indexed per batch by a full build.
BUILD_BATCH = 250_000

Key = tuple[str, str]
#: (unit_id, memory_id, side, word keys, value terms, raw text): one side, tokenised.
Row = tuple[int, int, int, list[str], list[str], str]

UNIT_COLUMNS = (Unit.id, Unit.memory_id, Unit.source_lang, Unit.source_text, Unit.target_lang, Unit.target_text)


@lru_cache(maxsize=256)
def primary(tag: str) -> str:
    """`primary_language`, cached: every unit side and query asks it."""
    return primary_language(tag)


def rows_of_unit(unit_id, memory_id, source_lang, source_text, target_lang, target_text) -> Iterator[tuple[Key, Row]]:
    """Yield the two sides of a unit, each under its (language, other language) partition."""
    source, target = primary(source_lang), primary(target_lang)
    for side, lang, other, text in ((SOURCE_SIDE, source, target, source_text), (TARGET_SIDE, target, source, target_text)):
        words, values = keys(prepare(text), lang)
        yield (lang, other), (unit_id, memory_id, side, words, values, text)


def segments_of(units: Iterable[tuple]) -> dict[Key, Segment]:
    """Tokenise and index unit rows (UNIT_COLUMNS), one segment per partition."""
    rows: dict[Key, list[Row]] = {}
    for unit in units:
        for key, row in rows_of_unit(*unit):
            rows.setdefault(key, []).append(row)
    return {key: build(key[0], key[1], documents_from(batch)) for key, batch in rows.items()}


@dataclass(frozen=True, slots=True, eq=False)  # parts are compared by identity
class Part:
    """A segment and which of its sides are alive; `name` is its folder when it is on disk."""

    segment: Segment
    alive: np.ndarray
    name: str | None = None
    dead: int = 0

    @classmethod
    def of(cls, segment: Segment, name: str | None = None) -> Part:
        return cls(segment, np.ones(len(segment), dtype=np.bool_), name)

    def without(self, documents: np.ndarray) -> Part:
        documents = documents[self.alive[documents]]
        if not len(documents):
            return self
        alive = self.alive.copy()
        alive[documents] = False
        return replace(self, alive=alive, dead=self.dead + len(documents))

    def live(self) -> int:
        return len(self.segment) - self.dead


@dataclass(frozen=True)
class Snapshot:
    """The index at one version of the change log."""

    version: int
    database_id: str | None = None
    generation: int | None = None  # the files' generation it was opened from
    parts: dict[Key, tuple[Part, ...]] = field(default_factory=dict)
    fresh: dict[Key, tuple[Row, ...]] = field(default_factory=dict)
    fresh_parts: dict[Key, Part] = field(default_factory=dict)

    def searchable(self, key: Key) -> list[tuple[Segment, np.ndarray]]:
        """Return (segment, alive) for every segment of a partition, the overlay's included."""
        found = [(part.segment, part.alive) for part in self.parts.get(key, ())]
        if key in self.fresh_parts:
            found.append((self.fresh_parts[key].segment, self.fresh_parts[key].alive))
        return found

    def keys(self) -> set[Key]:
        return set(self.parts) | set(self.fresh_parts)

    def size(self) -> int:
        """Count the live unit sides."""
        return sum(part.live() for parts in self.parts.values() for part in parts) + sum(
            part.live() for part in self.fresh_parts.values()
        )

    def overlay_size(self) -> int:
        """Count the sides not in a file: in-memory segments and the overlay rows."""
        return sum(len(part.segment) for parts in self.parts.values() for part in parts if part.name is None) + sum(
            len(rows) for rows in self.fresh.values()
        )

    # -- changes -------------------------------------------------------------------------

    def applied(self, session: Session, pending: list[changes.Change], version: int) -> Snapshot:
        """Return this snapshot with `pending` changes applied, at `version`."""
        parts = {key: list(found) for key, found in self.parts.items()}
        fresh = {key: list(rows) for key, rows in self.fresh.items()}
        touched: set[Key] = set()
        for change in pending:
            for found in parts.values():
                for number, part in enumerate(found):
                    found[number] = part.without(_documents_of(part.segment, change))
            for key, rows in fresh.items():
                kept = [row for row in rows if not _covers(change, row[0], row[1])]
                if len(kept) != len(rows):
                    fresh[key] = kept
                    touched.add(key)
            for unit in _units_of(session, change):
                for key, row in rows_of_unit(*unit):
                    fresh.setdefault(key, []).append(row)
                    touched.add(key)
        fresh_parts = dict(self.fresh_parts)
        for key in touched:
            rows = fresh[key]
            if len(rows) > FRESH_LIMIT:
                parts.setdefault(key, []).append(Part.of(build(key[0], key[1], documents_from(rows))))
                rows = fresh[key] = []
                parts[key] = _compacted(parts[key])
            if rows:
                fresh_parts[key] = Part.of(build(key[0], key[1], documents_from(rows)))
            else:
                fresh_parts.pop(key, None)
                fresh.pop(key, None)
        return Snapshot(
            version,
            self.database_id,
            self.generation,
            {key: tuple(found) for key, found in parts.items()},
            {key: tuple(rows) for key, rows in fresh.items()},
            fresh_parts,
        )


def _compacted(found: list[Part]) -> list[Part]:
    """Merge a partition's in-memory segments into one when there are too many."""
    in_memory = [part for part in found if part.name is None]
    if len(in_memory) <= MAX_MEMORY_SEGMENTS:
        return found
    live = [(part.segment, part.alive) for part in in_memory if part.live()]
    kept = [part for part in found if part.name is not None]
    return kept + ([Part.of(merged(live))] if live else [])


def _covers(change: changes.Change, unit_id: int, memory_id: int) -> bool:
    if memory_id != change.memory_id:
        return False
    return change.whole_memory or change.first_unit_id <= unit_id <= change.last_unit_id


def _documents_of(segment: Segment, change: changes.Change) -> np.ndarray:
    if change.whole_memory:
        documents = np.flatnonzero(np.asarray(segment.memory_ids) == change.memory_id)
    else:
        documents = segment.documents_of_units(change.first_unit_id, change.last_unit_id)
        documents = documents[np.asarray(segment.memory_ids[documents]) == change.memory_id]
    return documents.astype(np.int64)


def _units_of(session: Session, change: changes.Change):
    condition = Unit.memory_id == change.memory_id
    if not change.whole_memory:
        condition = and_(condition, Unit.id.between(change.first_unit_id, change.last_unit_id))
    return session.execute(select(*UNIT_COLUMNS).where(condition).order_by(Unit.id))


def pending_units(pending: list[changes.Change]) -> int:
    """Estimate how many units applying `pending` re-reads. A whole memory is logged when it is
    deleted: marking its sides dead is one pass over each segment, and nothing is re-read."""
    return sum(1 if change.whole_memory else change.last_unit_id - change.first_unit_id + 1 for change in pending)


def built(session: Session) -> Snapshot:
    """Return a snapshot of every unit in the database, built in memory."""
    state = changes.current(session)  # before reading: later changes are re-applied, harmlessly
    parts: dict[Key, list[Part]] = {}
    for batch in unit_batches(session):
        for key, segment in segments_of(batch).items():
            parts.setdefault(key, []).append(Part.of(segment))
    return Snapshot(state.version, state.database_id, None, {key: tuple(found) for key, found in parts.items()})


def unit_batches(session: Session, batch: int = BUILD_BATCH) -> Iterator[list[tuple]]:
    """Yield every unit (UNIT_COLUMNS), by id, `batch` at a time."""
    result = session.execute(select(*UNIT_COLUMNS).order_by(Unit.id), execution_options={"yield_per": 5_000})
    while True:
        rows = [tuple(row) for row in result.fetchmany(batch)]
        if not rows:
            return
        yield rows
