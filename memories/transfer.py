"""Import and export of whole memories as TMX 1.4b or TSV files."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import PurePath
from typing import BinaryIO

from sqlalchemy.orm import Session

from memories import repository, service
from memories.errors import InvalidInput
from memories.models import Unit
from memories.records import Segment, UnitRecord

FORMATS = ("tmx", "tsv")
MEDIA_TYPES = {"tmx": "application/x-tmx+xml", "tsv": "text/tab-separated-values; charset=utf-8"}


def format_for(filename: str | None, declared: str | None = None) -> str:
    """Pick the file format from an explicit choice, else from the file name's suffix."""
    choice = (declared or PurePath(filename or "").suffix.lstrip(".")).lower()
    if choice not in FORMATS:
        raise InvalidInput(f"cannot tell the format of {filename!r}: use a .tmx or .tsv file, or name the format")
    return choice


def import_file(
    session: Session,
    memory_name: str,
    stream: BinaryIO,
    *,
    file_format: str,
    source_lang: str | None = None,
    target_lang: str | None = None,
) -> service.ImportResult:
    """Import a TMX or TSV file into a memory, all or nothing.

    The languages default to the memory's pair; TMX variants such as `fr-CA` match `fr`.
    """
    from memories.tmx import read_tmx
    from memories.tsv import read_tsv

    memory = repository.memory_by_name(session, memory_name)
    languages = {
        "source_lang": source_lang or memory.source_lang,
        "target_lang": target_lang or memory.target_lang,
    }
    reader = read_tmx(stream, **languages) if file_format == "tmx" else read_tsv(stream, **languages)
    return service.import_records(
        session, memory_name, reader, skipped=lambda: getattr(reader, "skipped", 0)
    )


def export_file(session: Session, memory_name: str, stream: BinaryIO, *, file_format: str) -> int:
    """Write a memory's units to `stream`; return how many were written."""
    from memories.tmx import write_tmx
    from memories.tsv import write_tsv

    memory = repository.memory_by_name(session, memory_name)
    records = (record_of(unit) for unit in repository.iter_units(session, memory.id))
    if file_format == "tmx":
        from importlib.metadata import PackageNotFoundError, version

        try:
            tool_version = version("tm-service")
        except PackageNotFoundError:  # running from a source tree
            tool_version = "0"
        return write_tmx(records, stream, source_lang=memory.source_lang, tool_version=tool_version)
    return write_tsv(records, stream)


def record_of(unit: Unit) -> UnitRecord:
    """Turn a stored unit back into the record it was imported from."""
    properties = unit.properties or {}
    return UnitRecord(
        source=Segment(unit.source_lang, unit.source_text, unit.source_markup),
        target=Segment(unit.target_lang, unit.target_text, unit.target_markup),
        external_id=unit.external_id,
        creator=unit.creator,
        created_at=as_utc(unit.created_at),
        changer=unit.changer,
        changed_at=as_utc(unit.changed_at),
        properties=tuple(tuple(pair) for pair in properties.get("props", ())),
        notes=tuple(properties.get("notes", ())),
        origin=unit.origin,
        alignment_score=unit.alignment_score,
    )


def as_utc(moment: datetime | None) -> datetime | None:
    """Return `moment` as aware UTC; SQLite hands back the naive UTC datetimes it stored."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=timezone.utc)


def iter_records(session: Session, memory_name: str) -> Iterator[UnitRecord]:
    memory = repository.memory_by_name(session, memory_name)
    return (record_of(unit) for unit in repository.iter_units(session, memory.id))
