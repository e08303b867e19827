"""The change log: write transactions say which units they touched, workers poll it per query.

A write calls one `record_*` function as the last statement of its transaction. That bumps
the single `matching_state` row, whose row lock orders writers: a transaction that bumps
after another waits for it to commit, so versions become visible in order and a reader that
sees version V can read every change up to V (PostgreSQL commits overlapping transactions in
any order; a plain sequence would leave gaps that fill in later). On SQLite writers are
serial anyway. A worker polls `current()` (one primary-key read) before each query and, when
the version moved, re-reads the units named by `since()`.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from memories.models import MatchingState, Unit, UnitChange

STATE_ID = 1
#: Changes are kept for this many versions; a worker further behind rebuilds its index.
RETAINED_VERSIONS = 10_000
PRUNE_EVERY = 1_000


@dataclass(frozen=True, slots=True)
class Change:
    version: int
    memory_id: int
    first_unit_id: int | None
    last_unit_id: int | None

    @property
    def whole_memory(self) -> bool:
        return self.first_unit_id is None


@dataclass(frozen=True, slots=True)
class State:
    version: int
    pruned_through: int
    database_id: str | None = None


def unit_watermark(session: Session) -> int:
    """Return the highest unit id now: units a transaction inserts after this read are above it."""
    return session.scalar(select(func.max(Unit.id))) or 0


def record_units(session: Session, memory_id: int, first_unit_id: int, last_unit_id: int) -> int:
    """Log that units `first_unit_id`..`last_unit_id` of a memory were added, edited or deleted."""
    return _record(session, memory_id, first_unit_id, last_unit_id)


def record_new_units(session: Session, memory_id: int, *, watermark: int) -> int | None:
    """Log the units inserted since `unit_watermark` returned `watermark`, if any."""
    highest = unit_watermark(session)
    if highest <= watermark:
        return None
    return _record(session, memory_id, watermark + 1, highest)


def record_memory(session: Session, memory_id: int) -> int:
    """Log that a memory was deleted (or changed so widely that it is re-read whole)."""
    return _record(session, memory_id, None, None)


def _record(session: Session, memory_id: int, first: int | None, last: int | None) -> int:
    session.execute(
        update(MatchingState).where(MatchingState.id == STATE_ID).values(version=MatchingState.version + 1)
    )
    version = session.scalar(select(MatchingState.version).where(MatchingState.id == STATE_ID))
    session.add(UnitChange(version=version, memory_id=memory_id, first_unit_id=first, last_unit_id=last))
    if version % PRUNE_EVERY == 0 and version > RETAINED_VERSIONS:
        pruned = version - RETAINED_VERSIONS
        session.execute(delete(UnitChange).where(UnitChange.version <= pruned))
        session.execute(update(MatchingState).where(MatchingState.id == STATE_ID).values(pruned_through=pruned))
    session.flush()
    return version


def current(session: Session) -> State:
    """Return the version a reader can see now, and how far the log has been pruned."""
    row = session.execute(
        select(MatchingState.version, MatchingState.pruned_through, MatchingState.database_id).where(
            MatchingState.id == STATE_ID
        )
    ).one()
    return State(row[0], row[1], row[2])


def since(session: Session, version: int, upto: int) -> list[Change]:
    """Return the changes after `version` up to `upto`, oldest first."""
    rows = session.execute(
        select(UnitChange.version, UnitChange.memory_id, UnitChange.first_unit_id, UnitChange.last_unit_id)
        .where(UnitChange.version > version, UnitChange.version <= upto)
        .order_by(UnitChange.version, UnitChange.id)
    )
    return [Change(*row) for row in rows]
