"""Plain records that flow between the file formats and the store, free of any ORM state."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Segment:
    """One side of a translation unit.

    `text` is the plain text that is normalised and indexed; `markup` keeps the original
    inner XML of a TMX `<seg>` when it held inline elements (bpt/ept/ph/it/hi), so an export
    writes back exactly what was imported.
    """

    lang: str
    text: str
    markup: str | None = None


@dataclass(frozen=True, slots=True)
class UnitRecord:
    """A translation unit as read from, or written to, a file."""

    source: Segment
    target: Segment
    external_id: str | None = None
    creator: str | None = None
    created_at: datetime | None = None
    changer: str | None = None
    changed_at: datetime | None = None
    properties: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()
    origin: str = "import"
    alignment_score: float | None = None
    location: str | None = field(default=None, compare=False)
