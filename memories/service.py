"""The write side of the store: every change to a memory goes through here, one transaction each."""
from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from itertools import islice
from queue import Queue
from threading import Thread

from sqlalchemy import Table, delete, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from memories import repository
from memories.errors import Conflict, InvalidInput, NotFound, TranslationMemoryError
from memories.languages import normalise_tag, primary_language
from memories.matching import changes  # matching: every write tells the index what it touched
from memories.models import KEY_SCOPES, ORIGINS, ApiKey, Document, Memory, Unit
from memories.normalise import checksum, content_hash, normalise_text
from memories.records import Segment, UnitRecord

logger = logging.getLogger(__name__)

DEFAULT_SOURCE_LANG = "fr"
DEFAULT_TARGET_LANG = "en"
MAX_TEXT_LENGTH = 20_000
INSERT_BATCH = 1000
PIPELINE_DEPTH = 4  # batches parsed ahead of the writer: bounds memory
_MEMORY_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
_FORBIDDEN_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import did: units read, newly stored, already present, and skipped."""

    read: int
    added: int
    duplicates: int
    skipped: int = 0


@contextmanager
def unit_of_work(session: Session) -> Iterator[Session]:
    """Commit what the block staged, or roll all of it back if anything goes wrong."""
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise


def create_memory(
    session: Session,
    name: str,
    *,
    description: str = "",
    source_lang: str = DEFAULT_SOURCE_LANG,
    target_lang: str = DEFAULT_TARGET_LANG,
) -> Memory:
    """Create an empty memory; raise Conflict when the name is taken."""
    if not isinstance(name, str) or not _MEMORY_NAME.match(name):
        raise InvalidInput(
            "a memory name is 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit"
        )
    source_lang, target_lang = normalise_tag(source_lang), normalise_tag(target_lang)
    if primary_language(source_lang) == primary_language(target_lang):
        raise InvalidInput("a memory needs two different languages")
    with unit_of_work(session):
        if session.scalar(select(Memory.id).where(Memory.name == name)) is not None:
            raise Conflict(f"a memory named {name!r} already exists")
        memory = Memory(
            name=name, description=description or "", source_lang=source_lang, target_lang=target_lang
        )
        session.add(memory)
        try:
            session.flush()
        except IntegrityError:
            raise Conflict(f"a memory named {name!r} already exists") from None
    logger.info("created memory %s", memory.id)
    return memory


def delete_memory(session: Session, name: str) -> None:
    """Delete a memory with its documents and units."""
    with unit_of_work(session):
        memory = repository.memory_by_name(session, name)
        # Bulk deletes: the ORM cascade would load every unit first.
        session.execute(delete(Unit).where(Unit.memory_id == memory.id))
        session.execute(delete(Document).where(Document.memory_id == memory.id))
        session.execute(delete(ApiKey).where(ApiKey.memory_id == memory.id))  # its keys go with it
        session.execute(delete(Memory).where(Memory.id == memory.id))
        changes.record_memory(session, memory.id)  # matching: drop the memory from every index
    logger.info("deleted memory %s", memory.id)


def add_units(
    session: Session,
    memory_name: str,
    records: Iterable[UnitRecord],
    *,
    document: Document | None = None,
) -> list[int]:
    """Store units (all or none) and return their ids, the existing id for a duplicate."""
    with unit_of_work(session):
        memory = repository.memory_by_name(session, memory_name)
        now = datetime.now(timezone.utc)
        rows = [
            unit_row(memory, record, now, document_id=document.id if document else None)
            for record in records
        ]
        _insert_new_units(session, memory.id, rows)
        hashes = [row["content_hash"] for row in rows]
        ids_by_hash = dict(
            session.execute(
                select(Unit.content_hash, Unit.id).where(
                    Unit.memory_id == memory.id, Unit.content_hash.in_(set(hashes))
                )
            ).all()
        )
    return [ids_by_hash[h] for h in hashes]


def import_records(
    session: Session,
    memory_name: str,
    records: Iterable[UnitRecord],
    *,
    skipped: Callable[[], int] = lambda: 0,
) -> ImportResult:
    """Store a stream of units in one transaction: a bad unit anywhere leaves the memory as it was.

    `skipped` is asked, once the stream is exhausted, how many units the reader passed over.
    """
    with unit_of_work(session):
        memory = repository.memory_by_name(session, memory_name)
        now = datetime.now(timezone.utc)
        watermark = changes.unit_watermark(session)  # matching: new units get ids above this
        rows = (unit_row(memory, record, now) for record in records)
        read, inserted = _insert_pipelined(session, iter(lambda: list(islice(rows, INSERT_BATCH)), []))
        added = _added(session, memory.id, inserted, watermark=watermark)
        changes.record_new_units(session, memory.id, watermark=watermark)  # matching
    result = ImportResult(read=read, added=added, duplicates=read - added, skipped=skipped())
    logger.info("imported into memory %s: %s", memory.id, result)
    return result


def update_unit(session: Session, memory_name: str, unit_id: int, record: UnitRecord) -> Unit:
    """Replace a unit's texts; raise Conflict when the new texts duplicate another unit."""
    with unit_of_work(session):
        memory = repository.memory_by_name(session, memory_name)
        unit = repository.unit_in_memory(session, memory.id, unit_id)
        row = unit_row(memory, record, datetime.now(timezone.utc))
        for key in ("created_at", "origin", "creator", "document_id", "position", "alignment_score"):
            row.pop(key)
        for key, value in row.items():
            setattr(unit, key, value)
        unit.changed_at = datetime.now(timezone.utc)
        try:
            session.flush()
        except IntegrityError:
            raise Conflict("another unit in this memory already holds these texts") from None
        changes.record_units(session, memory.id, unit.id, unit.id)  # matching: re-read this unit
    return unit


def delete_unit(session: Session, memory_name: str, unit_id: int) -> None:
    with unit_of_work(session):
        memory = repository.memory_by_name(session, memory_name)
        session.delete(repository.unit_in_memory(session, memory.id, unit_id))
        changes.record_units(session, memory.id, unit_id, unit_id)  # matching: drop this unit


def add_document(
    session: Session,
    memory: Memory,
    *,
    title: str,
    origin: str,
    source_text: str,
    target_text: str,
    published_on: datetime | None = None,
) -> tuple[Document, bool]:
    """Stage a document, or find the one with the same two sides; tell whether it is new."""
    source_sum, target_sum = checksum(source_text), checksum(target_text)
    existing = repository.document_by_checksums(session, memory.id, source_sum, target_sum)
    if existing is not None:
        return existing, False
    document = Document(
        memory_id=memory.id,
        title=title,
        origin=origin,
        published_on=published_on,
        source_checksum=source_sum,
        target_checksum=target_sum,
    )
    session.add(document)
    session.flush()
    return document, True


def unit_row(
    memory: Memory, record: UnitRecord, now: datetime, *, document_id: int | None = None, position: int | None = None
) -> dict:
    """Turn a record into a row of `units`, oriented to the memory's language pair.

    Raises InvalidInput naming the record's location when a text or language is unusable.
    """
    try:
        source, target = _oriented(memory, record.source, record.target)
        source_normalised = _checked_text(source.text, "source")
        target_normalised = _checked_text(target.text, "target")
        if record.origin not in ORIGINS:
            raise InvalidInput(f"origin must be one of {', '.join(ORIGINS)}")
    except TranslationMemoryError as error:
        if record.location:
            raise InvalidInput(f"{record.location}: {error}") from None
        raise
    created = record.created_at or now
    return {
        "memory_id": memory.id,
        "document_id": document_id,
        "position": position,
        "content_hash": content_hash(source.lang, source_normalised, target.lang, target_normalised),
        "source_lang": source.lang,
        "source_text": source.text,
        "source_normalised": source_normalised,
        "source_length": len(source_normalised),
        "source_markup": source.markup,
        "target_lang": target.lang,
        "target_text": target.text,
        "target_normalised": target_normalised,
        "target_length": len(target_normalised),
        "target_markup": target.markup,
        "origin": record.origin,
        "alignment_score": record.alignment_score,
        "external_id": record.external_id,
        "creator": record.creator,
        "changer": record.changer,
        "created_at": created,
        "changed_at": record.changed_at or created,
        "properties": _properties(record),
    }


def _properties(record: UnitRecord) -> dict | None:
    if not record.properties and not record.notes:
        return None
    return {"props": [list(pair) for pair in record.properties], "notes": list(record.notes)}


def _canonical_tag(tag: str) -> tuple[str, str]:
    return normalise_tag(tag), primary_language(tag)


def _oriented(memory: Memory, first: Segment, second: Segment) -> tuple[Segment, Segment]:
    first_tag, first_lang = _canonical_tag(first.lang)
    second_tag, second_lang = _canonical_tag(second.lang)
    first = Segment(first_tag, first.text, first.markup)
    second = Segment(second_tag, second.text, second.markup)
    memory_source = _canonical_tag(memory.source_lang)[1]
    memory_target = _canonical_tag(memory.target_lang)[1]
    if (first_lang, second_lang) == (memory_source, memory_target):
        return first, second
    if (first_lang, second_lang) == (memory_target, memory_source):
        return second, first
    raise InvalidInput(
        f"languages {first_tag}/{second_tag} do not match the memory's pair "
        f"{memory.source_lang}/{memory.target_lang}"
    )


def _checked_text(text: str, side: str) -> str:
    if not isinstance(text, str):
        raise InvalidInput(f"the {side} text must be a string")
    if len(text) > MAX_TEXT_LENGTH:
        raise InvalidInput(f"the {side} text is longer than {MAX_TEXT_LENGTH} characters")
    if _FORBIDDEN_CONTROLS.search(text):
        raise InvalidInput(f"the {side} text holds control characters")
    normalised = normalise_text(text)
    if not normalised:
        raise InvalidInput(f"the {side} text is empty")
    return normalised


def _insert_pipelined(session: Session, batches: Iterator[list[dict]]) -> tuple[int, int]:
    """Insert batches on a writer thread while this one parses the next; return the rows read
    and the rows inserted (the others were stored already).

    The database driver releases the GIL while it executes, so parsing and writing overlap.
    Only one thread touches the session at a time: the writer, until it is joined.
    """
    queue: Queue[list[dict] | None] = Queue(maxsize=PIPELINE_DEPTH)
    failures: list[BaseException] = []
    inserted = [0]

    def write() -> None:
        while (batch := queue.get()) is not None:
            if not failures:
                try:
                    inserted[0] += _insert_ignoring_duplicates(session, batch)
                except BaseException as error:  # handed to the caller below
                    failures.append(error)

    writer = Thread(target=write, name="tm-import-writer", daemon=True)
    writer.start()
    count = 0
    try:
        for batch in batches:
            if failures:
                break
            count += len(batch)
            queue.put(batch)
    finally:
        queue.put(None)
        writer.join()
    if failures:
        raise failures[0]
    return count, inserted[0]


def _insert_ignoring_duplicates(session: Session, rows: list[dict]) -> int:
    """Insert rows, leaving out any whose (memory, content hash) is stored already; return how
    many were inserted.

    The count comes from the insert itself: counting the memory's units before and after would
    also count units that a concurrent import committed meanwhile (PostgreSQL reads committed
    rows, and SQLite reads outside the write transaction until the first insert), so two imports
    of one file at once would both claim every unit.
    """
    if not rows:
        return 0
    table: Table = Unit.__table__
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        raise NotImplementedError(dialect)
    statement = insert(table).on_conflict_do_nothing(index_elements=["memory_id", "content_hash"])
    if dialect == "sqlite":
        return len(session.execute(statement.returning(table.c.id), rows).all())
    # On PostgreSQL, RETURNING turns psycopg's pipelined executemany into rendered multi-row
    # statements, four times slower: the caller counts once at the end (`_added`) instead.
    session.execute(statement, rows)
    return 0


def _insert_new_units(session: Session, memory_id: int, rows: list[dict]) -> int:
    """Insert rows, log them for every worker's match index, and return how many were new."""
    watermark = changes.unit_watermark(session)  # matching: new units get ids above this
    added = _added(session, memory_id, _insert_ignoring_duplicates(session, rows), watermark=watermark)
    changes.record_new_units(session, memory_id, watermark=watermark)  # matching
    return added


def _added(session: Session, memory_id: int, counted: int, *, watermark: int) -> int:
    """Return how many units this transaction added to the memory.

    SQLite counted them batch by batch (RETURNING); on PostgreSQL the rows a transaction wrote
    carry its id in `xmin`, which leaves out units a concurrent import committed meanwhile.
    Only ids above `watermark` (the highest id before the insert) are read, so the count walks
    the new rows, not the whole memory.
    """
    if session.get_bind().dialect.name != "postgresql":
        return counted
    return session.scalar(
        text(
            "SELECT count(*) FROM units WHERE id > :watermark AND memory_id = :memory_id "
            "AND xmin::text::bigint = txid_current() % 4294967296"
        ),
        {"memory_id": memory_id, "watermark": watermark},
    )



@dataclass(frozen=True, slots=True)
class AlignedPair:
    """A sentence pair from the aligner, with its confidence in [0, 1]."""

    source: str
    target: str
    score: float | None = None


def store_release(
    session: Session,
    memory_name: str,
    *,
    title: str,
    origin: str,
    source_text: str,
    target_text: str,
    pairs: Iterable[AlignedPair],
    published_on: datetime | None = None,
    creator: str | None = None,
    source_lang: str | None = None,
    target_lang: str | None = None,
) -> ImportResult | None:
    """Store one parallel release and its aligned pairs, or return None if it is stored already.

    The release's two checksums identify it, so ingesting a folder twice adds nothing. The
    languages default to the memory's pair; a release in the reverse direction is stored
    oriented to the memory, like any unit.
    """
    with unit_of_work(session):
        memory = repository.memory_by_name(session, memory_name)
        source_lang, target_lang = source_lang or memory.source_lang, target_lang or memory.target_lang
        source_side, target_side = _oriented(memory, Segment(source_lang, source_text), Segment(target_lang, target_text))
        document, is_new = add_document(
            session,
            memory,
            title=title,
            origin=origin,
            source_text=source_side.text,
            target_text=target_side.text,
            published_on=published_on,
        )
        if not is_new:
            return None
        now = datetime.now(timezone.utc)
        rows = [
            unit_row(
                memory,
                UnitRecord(
                    source=Segment(source_lang, pair.source),
                    target=Segment(target_lang, pair.target),
                    origin="aligner",
                    alignment_score=pair.score,
                    creator=creator,
                ),
                now,
                document_id=document.id,
                position=position,
            )
            for position, pair in enumerate(pairs)
        ]
        added = _insert_new_units(session, memory.id, rows)
    return ImportResult(read=len(rows), added=added, duplicates=len(rows) - added)


# -- API keys ---------------------------------------------------------------------------------

KEY_PREFIX = "tm_"
KEY_BYTES = 32


def create_key(session: Session, *, scope: str, memory_name: str | None = None, label: str = "") -> tuple[ApiKey, str]:
    """Create an API key and return it with its token, the only time the token exists in clear.

    A key with `memory_name` serves that memory alone; without, every memory.
    """
    if scope not in KEY_SCOPES:
        raise InvalidInput(f"scope must be one of {', '.join(KEY_SCOPES)}")
    token = KEY_PREFIX + secrets.token_urlsafe(KEY_BYTES)
    with unit_of_work(session):
        memory_id = repository.memory_by_name(session, memory_name).id if memory_name is not None else None
        key = ApiKey(key_hash=repository.key_hash(token), scope=scope, memory_id=memory_id, label=label or "")
        session.add(key)
        session.flush()
    logger.info("created %s key %s for memory %s", scope, key.id, memory_id)
    return key, token


def revoke_key(session: Session, key_id: int) -> None:
    """Delete an API key; raise NotFound when there is none with this id."""
    with unit_of_work(session):
        key = session.get(ApiKey, key_id)
        if key is None:
            raise NotFound(f"no API key {key_id}")
        session.delete(key)
    logger.info("revoked key %s", key_id)
