"""Small builders shared by tests."""
from __future__ import annotations

from memories.records import Segment, UnitRecord


def record(source: str, target: str, source_lang: str = "fr", target_lang: str = "en", **extra) -> UnitRecord:
    """A French/English unit record, unless other languages are named."""
    return UnitRecord(Segment(source_lang, source), Segment(target_lang, target), **extra)
