"""Align parallel releases and store their sentence pairs: the path from a folder to a memory."""
from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

import alignment
from memories import repository, service
from memories.errors import InvalidInput
from memories.languages import primary_language
from memories.models import Memory, Unit
from memories.normalise import checksum
from tm_service.releases import ReleasePair, find_release_pairs

logger = logging.getLogger(__name__)

#: Releases aligned together: they share subword and translation-table evidence.
CHUNK_SIZE = 40
#: Stored pairs that seed the translation table, so alignment improves as the memory grows.
LEXICON_SEED_UNITS = 5000
MIN_SEED_UNITS = 200


@dataclass(frozen=True, slots=True)
class IngestReport:
    releases: int
    already_stored: int
    units_added: int
    duplicates: int
    links_dropped: int


@dataclass(frozen=True, slots=True)
class AlignedText:
    """The aligner's result for one release: pairs worth storing and links left out."""

    pairs: list[service.AlignedPair]
    dropped: int
    title: str


def align_texts(
    texts: Sequence[tuple[str, str]],
    *,
    source_lang: str,
    target_lang: str,
    kind: str = "auto",
    min_score: float = alignment.DEFAULT_MIN_SCORE,
    lexicon: alignment.Lexicon | None = None,
) -> list[AlignedText]:
    """Split and align (source, target) document texts together; keep links >= `min_score`."""
    documents = [
        (
            alignment.read_document(source, kind=kind, lang=source_lang),
            alignment.read_document(target, kind=kind, lang=target_lang),
        )
        for source, target in texts
    ]
    all_beads = alignment.align_corpus(
        documents, source_lang=source_lang, target_lang=target_lang, lexicon=lexicon
    )
    results = []
    for (source, target), beads in zip(documents, all_beads):
        kept = alignment.pairs(beads, source.sentences, target.sentences, min_score=min_score)
        links = sum(1 for bead in beads if not bead.is_deletion)
        results.append(
            AlignedText(
                [service.AlignedPair(s, t, round(score, 4)) for s, t, score in kept],
                dropped=links - len(kept),
                title=source.sentences[0][:300] if source.sentences else "",
            )
        )
    return results


def ingest_folder(
    session: Session,
    memory_name: str,
    folder: Path,
    *,
    kind: str = "auto",
    jobs: int = 1,
    min_score: float = alignment.DEFAULT_MIN_SCORE,
    creator: str | None = None,
    on_found: Callable[[int], None] = lambda count: None,
    on_release: Callable[[ReleasePair], None] = lambda release: None,
) -> IngestReport:
    """Align every release pair in `folder` not stored yet, and store its pairs.

    Each release is stored in its own transaction, so an interrupted ingest resumes where it
    stopped; a release whose two texts are stored already is skipped before aligning.
    """
    memory = repository.memory_by_name(session, memory_name)
    releases = find_release_pairs(folder, source_lang=primary_language(memory.source_lang), target_lang=primary_language(memory.target_lang))
    on_found(len(releases))
    texts = {release: (read_text(release.source_path), read_text(release.target_path)) for release in releases}
    pending = [release for release in releases if not _is_stored(session, memory, *texts[release])]
    for release in releases:
        if release not in pending:
            on_release(release)
    seed = seed_lexicon(session, memory)
    chunks = [pending[start : start + CHUNK_SIZE] for start in range(0, len(pending), CHUNK_SIZE)]
    arguments = [
        ([texts[release] for release in chunk], memory.source_lang, memory.target_lang, kind, min_score, seed)
        for chunk in chunks
    ]
    added = duplicates = dropped = 0
    with _executor(jobs) as executor:
        for chunk, aligned in zip(chunks, executor.map(_align_chunk, arguments)):
            for release, result in zip(chunk, aligned):
                source_text, target_text = texts[release]
                stored = service.store_release(
                    session,
                    memory_name,
                    title=release.title or result.title,
                    origin=release.origin,
                    source_text=source_text,
                    target_text=target_text,
                    pairs=result.pairs,
                    published_on=release.published_on,
                    creator=creator,
                )
                if stored is not None:
                    added += stored.added
                    duplicates += stored.duplicates
                dropped += result.dropped
                on_release(release)
    report = IngestReport(len(releases), len(releases) - len(pending), added, duplicates, dropped)
    logger.info("ingested into memory %s: %s", memory.id, report)
    return report


def seed_lexicon(session: Session, memory: Memory) -> alignment.Lexicon | None:
    """Train a translation table on the memory's own units, when it holds enough of them."""
    rows = session.execute(
        select(Unit.source_normalised, Unit.target_normalised)
        .where(Unit.memory_id == memory.id)
        .order_by(Unit.id.desc())
        .limit(LEXICON_SEED_UNITS)
    ).all()
    if len(rows) < MIN_SEED_UNITS:
        return None
    return alignment.Lexicon.train(
        [tuple(row) for row in rows],
        source_lang=primary_language(memory.source_lang),
        target_lang=primary_language(memory.target_lang),
    )


def read_text(path: Path) -> str:
    """Read a release as UTF-8 (a BOM is fine); raise InvalidInput naming the file otherwise."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInput(f"{path}: not UTF-8 (byte {error.start})") from None


def _align_chunk(arguments: tuple) -> list[AlignedText]:
    texts, source_lang, target_lang, kind, min_score, seed = arguments
    return align_texts(
        texts,
        source_lang=primary_language(source_lang),
        target_lang=primary_language(target_lang),
        kind=kind,
        min_score=min_score,
        lexicon=seed,
    )


def _executor(jobs: int):
    if jobs <= 1:
        return _InProcess()
    return ProcessPoolExecutor(max_workers=jobs)


class _InProcess:
    """The executor interface, run in this process: no pickling for a single job."""

    def __enter__(self) -> _InProcess:
        return self

    def __exit__(self, *_exc: object) -> None:
        return None

    @staticmethod
    def map(function, iterable):
        return map(function, iterable)


def _is_stored(session: Session, memory: Memory, source_text: str, target_text: str) -> bool:
    return repository.document_by_checksums(session, memory.id, checksum(source_text), checksum(target_text)) is not None


