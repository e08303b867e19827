"""The fuzzy matcher: one per worker process, over this process's view of the shared index.

`Matcher.suggest` ranks by one of two scores, each exactly:

- by similarity (the default), it finds candidates by word score (`word_search`: every unit
  side whose word score, an upper bound of similarity, reaches `min_similarity`, best first),
  reads the best of them from the database and scores them exactly (`scores.compare`), reading
  more until no unread candidate could still enter the top `limit`;
- by quality (`order="quality"`, what tmserver and MyMemory clients read), it finds the sides
  whose character-level quality reaches `min_similarity` (`quality_search`, a q-gram count
  filter), then reads and orders the best `limit` and their ties.

Before each call it looks at the change log (`changes`), so a unit written through
`memories.service` by any process is matched on the next call, or within a refresh period for
large imports (`live`). `ExhaustiveMatcher` replaces the index by a scan of every unit: the
naive reference the tests compare the matcher with.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np
from sqlalchemy import Engine, and_, bindparam, or_, select
from sqlalchemy.orm import Session, sessionmaker

from memories import repository
from memories.errors import InvalidInput
from memories.languages import normalise_tag
from memories.matching import quality_search, word_search
from memories.matching.diff import DiffSpan, diff
from memories.matching.index import primary
from memories.matching.live import LiveIndex
from memories.matching.repair import Repair, repair
from memories.matching.scores import IDENTICAL, IN_CONTEXT, SIGNATURE, band, compare, quality
from memories.matching.segment import SOURCE_SIDE, TARGET_SIDE, term_hashes
from memories.matching.tokens import PUNCTUATION, prepare, tokenize
from memories.matching.word_search import Candidates
from memories.models import Document, Memory, Unit
from memories.normalise import normalise_text

logger = logging.getLogger(__name__)

DEFAULT_MIN_SIMILARITY = 70.0
DEFAULT_LIMIT = 5
MAX_LIMIT = 30
MAX_QUERY_LENGTH = 20_000
#: Candidates read from the database per round; the next round reads twice as many.
FIRST_READ = 16
#: A query never reads more candidates than this (only ties by the hundred reach it).
MAX_READ = 512
#: Similarities are rounded to two decimals, which may lift one by this much above its bound.
ROUNDING = 0.005
BY_SIMILARITY, BY_QUALITY = "similarity", "quality"
ORDERS = (BY_SIMILARITY, BY_QUALITY)


@dataclass(frozen=True, slots=True)
class DocumentRef:
    id: int
    title: str


@dataclass(frozen=True, slots=True)
class Match:
    """A stored unit that matches a query, oriented to the query's direction.

    `similarity` is the CAT-style score in [0, 100], 101 for an in-context match; `quality` is
    amaGama's character-level score; `band` names the similarity's range; `diff` lists the
    query's words that differ from `source`; `repaired_target` is `target` with the query's
    placeables when only placeables differ (`repairs` says what was replaced).
    """

    unit_id: int
    memory: str
    source: str
    target: str
    source_lang: str
    target_lang: str
    similarity: float
    quality: float
    band: str
    diff: tuple[DiffSpan, ...]
    repaired_target: str | None
    repairs: tuple[Repair, ...]
    document: DocumentRef | None
    created_at: datetime | None
    changed_at: datetime | None
    creator: str | None
    origin: str
    signature: str = field(default=SIGNATURE, repr=False)

    def as_dict(self) -> dict:
        """Return the match as JSON-ready data (dates in ISO 8601)."""
        return {
            "unit_id": self.unit_id,
            "memory": self.memory,
            "source": self.source,
            "target": self.target,
            "source_lang": self.source_lang,
            "target_lang": self.target_lang,
            "similarity": self.similarity,
            "quality": round(self.quality, 2),
            "band": self.band,
            "diff": [span.as_dict() for span in self.diff],
            "repaired_target": self.repaired_target,
            "repairs": [item.as_dict() for item in self.repairs],
            "document": {"id": self.document.id, "title": self.document.title} if self.document else None,
            "created_at": self.created_at.isoformat() if self.created_at else None,
            "changed_at": self.changed_at.isoformat() if self.changed_at else None,
            "creator": self.creator,
            "origin": self.origin,
            "signature": self.signature,
        }


@dataclass(slots=True)
class _Scored:
    unit_id: int
    side: int
    row: object
    source: str
    comparison: object
    similarity: float
    quality: float

    def sort_key(self):
        return (-self.similarity, -self.quality, -self.unit_id)

    def quality_key(self):
        return (-self.quality, -self.similarity, -self.unit_id)


_ROW_COLUMNS = (
    Unit.id,
    Unit.memory_id,
    Memory.name,
    Unit.document_id,
    Document.title,
    Unit.position,
    Unit.source_lang,
    Unit.source_text,
    Unit.target_lang,
    Unit.target_text,
    Unit.creator,
    Unit.origin,
    Unit.created_at,
    Unit.changed_at,
)


# One expanding parameter: SQLAlchemy would otherwise coerce every id of an IN list.
_ROWS = (
    select(*_ROW_COLUMNS)
    .join(Memory, Memory.id == Unit.memory_id)
    .outerjoin(Document, Document.id == Unit.document_id)
    .where(Unit.id.in_(bindparam("unit_ids", expanding=True)))
)


def _scored_row(row, side: int, query: str, prepared: str, tokens, source_lang: str) -> _Scored | None:
    """Score one side of a unit read from the database exactly; None when it was deleted
    since the index saw it."""
    if row is None:
        return None
    text = row.source_text if side == SOURCE_SIDE else row.target_text
    source = prepare(text)
    comparison = compare(prepared, tokens, source, tokenize(source, source_lang))
    return _Scored(row.id, side, row, source, comparison, comparison.similarity, quality(query, text))


def _rows_of(session: Session, unit_ids: set[int]):
    """Return the rows of the given units, with their memory's name and document's title."""
    return session.execute(_ROWS, {"unit_ids": sorted(unit_ids)})


class Matcher:
    """Fuzzy matches and concordance over every memory, from this process's view of the index.

    Create one per worker process and share it between threads. `bind` (an Engine or a
    sessionmaker) opens the sessions the index is built and refreshed with; queries read
    through the session they are given. With `index_dir`, the index lives in files there,
    shared by every process of the machine (`store`, `live`); without, in memory.
    """

    #: Candidates read from the database at most per query (None: no limit).
    max_read: int | None = MAX_READ

    def __init__(self, bind: Engine | sessionmaker, index_dir: Path | str | None = None) -> None:
        self._session_factory = bind if isinstance(bind, sessionmaker) else sessionmaker(bind=bind)
        self.index = LiveIndex(self._session_factory, Path(index_dir) if index_dir is not None else None)

    # -- the index -----------------------------------------------------------------------

    def build(self) -> None:
        """Build the index from the database, replacing any there was (the files too)."""
        self.index.build()

    def open(self) -> None:
        """Open the index now (map the files, or build them), rather than on the first query."""
        with self._session_factory() as session:
            self.index.current(session)

    def start(self) -> None:
        """Open the index, map its files' pages, and keep it current in a background thread
        (one per worker)."""
        self.open()
        self.index.prefault()
        self.index.start()

    @property
    def build_seconds(self) -> float | None:
        return self.index.opened_seconds

    def size(self) -> int:
        """Count the live unit sides in the index."""
        with self._session_factory() as session:
            return self.index.current(session).size()

    # -- suggestions ---------------------------------------------------------------------

    def suggest(
        self,
        session: Session,
        query: str,
        *,
        source_lang: str,
        target_lang: str,
        memory: str | None = None,
        min_similarity: float = DEFAULT_MIN_SIMILARITY,
        limit: int = DEFAULT_LIMIT,
        context: str | None = None,
        order: str = BY_SIMILARITY,
    ) -> list[Match]:
        """Return the stored units closest to `query`, best first.

        Params:
            query: the sentence to translate, in `source_lang`.
            source_lang, target_lang: the direction; a unit serves both of its directions.
            memory: search only this memory (by name); all memories of the pair when None.
            min_similarity: the lowest `similarity` returned, in [0, 100].
            limit: how many matches at most, clamped to [1, MAX_LIMIT].
            context: the sentence before `query`; an identical match whose previous unit in
                its document has that source becomes an in-context match (101).
            order: "similarity" ranks by similarity (ties by quality, then newest unit);
                "quality" keeps the units whose `quality` reaches `min_similarity` and ranks
                by quality (ties by similarity, then newest), as amaGama's clients expect.
                Both are exactly what an exhaustive scan of every unit would return.

        Raises InvalidInput for an empty or overlong query, a bad language tag or
        min_similarity, and NotFound for an unknown memory.
        """
        prepared, source_lang, target_lang, limit = self._check(query, source_lang, target_lang, min_similarity, limit)
        if context is not None and not isinstance(context, str):
            raise InvalidInput("context must be a string")
        if order not in ORDERS:
            raise InvalidInput(f"order must be one of {', '.join(ORDERS)}")
        memory_id = repository.memory_by_name(session, memory).id if memory is not None else None
        tokens = tokenize(prepared, source_lang)
        direction = (primary(source_lang), primary(target_lang))
        if order == BY_QUALITY:
            found = self._quality_candidates(session, direction, query, float(min_similarity), memory_id, limit)
            scored = self._score_by_quality(session, query, prepared, tokens, source_lang, found, float(min_similarity), limit, context)
        else:
            words = [token.key for token in tokens if token.kind != PUNCTUATION]
            candidates = self._candidates(session, direction, words, float(min_similarity), memory_id, limit)
            scored = self._score(
                session, query, prepared, tokens, source_lang, candidates, float(min_similarity), limit, context
            )
        return [self._match(item, prepared, target_lang) for item in scored]

    def _check(self, query, source_lang, target_lang, min_similarity, limit):
        if not isinstance(query, str) or not query.strip():
            raise InvalidInput("the query is empty")
        if len(query) > MAX_QUERY_LENGTH:
            raise InvalidInput(f"the query is longer than {MAX_QUERY_LENGTH} characters")
        source_lang, target_lang = normalise_tag(source_lang), normalise_tag(target_lang)
        if primary(source_lang) == primary(target_lang):
            raise InvalidInput("source and target languages must differ")
        if isinstance(min_similarity, bool) or not isinstance(min_similarity, (int, float)) or not (
            0 <= min_similarity <= 100
        ):
            raise InvalidInput("min_similarity must be a number from 0 to 100")
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise InvalidInput("limit must be a positive integer")
        return prepare(query), source_lang, target_lang, min(limit, MAX_LIMIT)

    def _candidates(
        self,
        session: Session,
        direction: tuple[str, str],
        words: list[str],
        min_similarity: float,
        memory_id: int | None,
        limit: int,
    ) -> Candidates:
        """Return the unit sides that may reach `min_similarity` and enter the best `limit`,
        best bound first (the hook `ExhaustiveMatcher` replaces)."""
        parts = self.index.current(session).searchable(direction)
        return word_search.search(
            parts, term_hashes(words), min_similarity=max(0.0, min_similarity - ROUNDING), memory_id=memory_id, limit=limit
        )

    def _quality_candidates(self, session, direction, query, min_quality, memory_id, limit) -> list[quality_search.Found]:
        """Return the unit sides whose quality reaches `min_quality`, at least the best
        `limit` and their ties, best first (the hook `ExhaustiveMatcher` replaces)."""
        parts = self.index.current(session).searchable(direction)
        return quality_search.search(parts, query, min_quality=min_quality, memory_id=memory_id, limit=limit)

    def _score_by_quality(self, session, query, prepared, tokens, source_lang, found, min_quality, limit, context):
        """Read the found sides, score them exactly, keep the best `limit` by quality."""
        scored: list[_Scored] = []
        position = 0
        while position < len(found) and len(scored) < limit:
            # Everything tied with the last one needed is read, so ties order by similarity.
            stop = min(len(found), position + limit - len(scored))
            while stop < len(found) and found[stop].quality >= found[stop - 1].quality - quality_search.EPSILON:
                stop += 1
            chunk = found[position:stop]
            position = stop
            rows = {row.id: row for row in _rows_of(session, {item.unit_id for item in chunk})}
            for found_side in chunk:
                item = _scored_row(rows.get(found_side.unit_id), found_side.side, query, prepared, tokens, source_lang)
                if item is not None and item.quality >= min_quality:  # else changed since the index saw it
                    scored.append(item)
        if context is not None:
            self._mark_in_context(session, scored, context)
        scored.sort(key=_Scored.quality_key)
        return scored[:limit]

    def _score(self, session, query, prepared, tokens, source_lang, candidates, min_similarity, limit, context):
        unit_ids = candidates.unit_ids.tolist()
        sides = candidates.sides.tolist()
        bounds = candidates.scores.tolist()
        scored: list[_Scored] = []
        position, batch = 0, FIRST_READ + limit
        most = len(unit_ids) if self.max_read is None else min(len(unit_ids), self.max_read)
        while position < most:
            stop = min(position + batch, most)
            chunk = list(zip(unit_ids[position:stop], sides[position:stop]))
            position += len(chunk)
            rows = {row.id: row for row in _rows_of(session, {unit_id for unit_id, _ in chunk})}
            for unit_id, side in chunk:
                item = _scored_row(rows.get(unit_id), side, query, prepared, tokens, source_lang)
                if item is not None and item.similarity >= min_similarity:
                    scored.append(item)
            scored.sort(key=_Scored.sort_key)
            if position < len(bounds) and len(scored) >= limit:
                if scored[limit - 1].similarity > bounds[position] + 2 * ROUNDING:
                    break
            batch *= 2
        if context is not None:
            self._mark_in_context(session, scored, context)
            scored.sort(key=_Scored.sort_key)
        return scored[:limit]

    def _mark_in_context(self, session: Session, scored: list[_Scored], context: str) -> None:
        wanted = normalise_text(context)
        identical = [
            item
            for item in scored
            if item.similarity == IDENTICAL and item.row.document_id is not None and item.row.position
        ]
        if not identical:
            return
        previous = session.execute(
            select(Unit.document_id, Unit.position, Unit.source_normalised, Unit.target_normalised).where(
                or_(
                    *(
                        and_(Unit.document_id == item.row.document_id, Unit.position == item.row.position - 1)
                        for item in identical
                    )
                )
            )
        )
        before = {(row[0], row[1]): (row[2], row[3]) for row in previous}
        for item in identical:
            texts = before.get((item.row.document_id, item.row.position - 1))
            if texts is not None and texts[item.side] == wanted:
                item.similarity = IN_CONTEXT

    def _match(self, item: _Scored, prepared: str, target_lang: str) -> Match:
        row = item.row
        source, source_lang, target, match_target_lang = (
            (row.source_text, row.source_lang, row.target_text, row.target_lang)
            if item.side == SOURCE_SIDE
            else (row.target_text, row.target_lang, row.source_text, row.source_lang)
        )
        repaired, repairs = repair(item.comparison, target, match_target_lang)
        return Match(
            unit_id=row.id,
            memory=row.name,
            source=source,
            target=target,
            source_lang=source_lang,
            target_lang=match_target_lang,
            similarity=item.similarity,
            quality=item.quality,
            band=band(item.similarity),
            diff=diff(prepared, item.source, item.comparison),
            repaired_target=repaired,
            repairs=repairs,
            document=DocumentRef(row.document_id, row.title or "") if row.document_id is not None else None,
            created_at=row.created_at,
            changed_at=row.changed_at,
            creator=row.creator,
            origin=row.origin,
        )

    # -- concordance ---------------------------------------------------------------------

    def _holding(self, session: Session, lang: str, words: list[str], value_terms: list[str], memory_id: int | None):
        """Return (unit ids, sides, lengths) of the live unit sides in `lang` holding `words`
        in a row and the placeable values `value_terms`."""
        snapshot = self.index.current(session)
        found = [
            word_search.holding(snapshot.searchable(key), term_hashes(words), term_hashes(value_terms), memory_id)
            for key in sorted(snapshot.keys())
            if key[0] == lang
        ]
        if not found:
            return (np.zeros(0, dtype=np.int64),) * 3
        return tuple(np.concatenate([part[i] for part in found]) for i in range(3))

    def concordance(
        self,
        session: Session,
        text: str,
        *,
        lang: str,
        memory: str | None = None,
        page: int = 1,
        page_size: int | None = None,
    ):
        """Find units holding `text` (a word or phrase in `lang`), a page at a time: a
        `ConcordancePage` (see `concordance.search`); `page_size` defaults to DEFAULT_PAGE_SIZE."""
        from memories.matching.concordance import DEFAULT_PAGE_SIZE, search  # it imports this module

        size = DEFAULT_PAGE_SIZE if page_size is None else page_size
        return search(self, session, text, lang=lang, memory=memory, page=page, page_size=size)


class ExhaustiveMatcher(Matcher):
    """The naive reference: scores every unit side of the direction, no index, no bounds."""

    max_read = None

    def _sides(self, session, direction, memory_id) -> list[tuple[int, int, str]]:
        source, target = direction
        condition = True if memory_id is None else Unit.memory_id == memory_id
        rows = session.execute(
            select(Unit.id, Unit.source_lang, Unit.target_lang, Unit.source_text, Unit.target_text)
            .where(condition)
            .order_by(Unit.id)
        )
        sides = []
        for unit_id, source_lang, target_lang, source_text, target_text in rows:
            pair = (primary(source_lang), primary(target_lang))
            if pair == (source, target):
                sides.append((unit_id, SOURCE_SIDE, source_text))
            elif pair == (target, source):
                sides.append((unit_id, TARGET_SIDE, target_text))
        return sides

    def _candidates(self, session, direction, words, min_similarity, memory_id, limit) -> Candidates:
        sides = self._sides(session, direction, memory_id)
        return Candidates(
            np.array([unit_id for unit_id, _, _ in sides], dtype=np.int64),
            np.array([side for _, side, _ in sides], dtype=np.int8),
            np.full(len(sides), 100.0),
        )

    def _quality_candidates(self, session, direction, query, min_quality, memory_id, limit):
        found = [
            quality_search.Found(quality(query, text), unit_id, side)
            for unit_id, side, text in self._sides(session, direction, memory_id)
        ]
        return sorted((item for item in found if item.quality >= min_quality), key=lambda item: -item.quality)
