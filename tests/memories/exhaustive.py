"""A naive reference for `Matcher.suggest`: every stored unit side read with plain SQL and scored one by one.

It shares no code with the engine but the definition of `similarity`
(`memories.matching.scores.similarity`): no index, no Matcher, no tokenizer, no comparison.
`quality` is computed here from its definition, amaGama's
``100 * (1 - levenshtein(query, text) / max(len(query), len(text)))`` on the raw strings, with
rapidfuzz's Levenshtein distance (checked against `levenshtein`, a plain dynamic programme).
"""
from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein
from sqlalchemy import text
from sqlalchemy.orm import Session

from memories.matching.scores import similarity

ORDERS = ("similarity", "quality")

_UNITS = (
    "SELECT units.id, units.source_lang, units.source_text, units.target_lang, units.target_text"
    " FROM units JOIN memories ON memories.id = units.memory_id"
)
_ALL_UNITS = text(_UNITS + " ORDER BY units.id")
# A separate statement, not ":memory IS NULL OR ...": PostgreSQL cannot type a bare NULL parameter.
_UNITS_OF_MEMORY = text(_UNITS + " WHERE memories.name = :memory ORDER BY units.id")


@dataclass(frozen=True, slots=True)
class Side:
    """One side of a stored unit in the query's language, with the unit's other side."""

    unit_id: int
    source: str
    target: str


@dataclass(frozen=True, slots=True)
class Scored:
    """A unit side's two scores for one query."""

    unit_id: int
    similarity: float
    quality: float


def levenshtein(first: str, second: str) -> int:
    """Return the edit distance (insert, delete, substitute a character: 1 each), row by row.

    >>> levenshtein("kitten", "sitting"), levenshtein("", "abc"), levenshtein("ab", "ba")
    (3, 3, 2)
    """
    previous = list(range(len(second) + 1))
    for i, left in enumerate(first, 1):
        current = [i]
        for j, right in enumerate(second, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (left != right)))
        previous = current
    return previous[-1]


def quality(query: str, source: str, distance: Callable[[str, str], int] = Levenshtein.distance) -> float:
    """Return amaGama's character-level score of `source` for `query`, in [0, 100].

    >>> round(quality("kitten", "sitting"), 4), quality("", ""), quality("abc", "abc")
    (57.1429, 100.0, 100.0)
    """
    longest = max(len(query), len(source))
    if longest == 0:
        return 100.0
    return 100.0 * (1.0 - distance(query, source) / longest)


def primary(tag: str) -> str:
    """Return a tag's primary language: `fr-CA` -> `fr`."""
    return tag.replace("_", "-").split("-", 1)[0].lower()


def unit_sides(session: Session, source_lang: str, target_lang: str, memory: str | None = None) -> list[Side]:
    """Return the `source_lang` side of every unit of a `source_lang`/`target_lang` memory,
    whichever way round the unit is stored, by unit id."""
    wanted = (primary(source_lang), primary(target_lang))
    sides = []
    rows = session.execute(_ALL_UNITS) if memory is None else session.execute(_UNITS_OF_MEMORY, {"memory": memory})
    for unit_id, stored_source_lang, source_text, stored_target_lang, target_text in rows:
        pair = (primary(stored_source_lang), primary(stored_target_lang))
        if pair == wanted:
            sides.append(Side(unit_id, source_text, target_text))
        elif pair == wanted[::-1]:
            sides.append(Side(unit_id, target_text, source_text))
    return sides


def _similarities(job: tuple[str, tuple[str, ...], str]) -> list[float]:
    query, texts, lang = job
    return [similarity(query, stored, lang) for stored in texts]


class SimilarityTable:
    """The similarities of every stored text for each query, computed once and reused across
    thresholds, limits, orders and databases (they depend on the texts alone)."""

    def __init__(self) -> None:
        self._rows: dict[tuple[str, str], tuple[tuple[str, ...], list[float]]] = {}

    def _missing(self, query: str, texts: tuple[str, ...], lang: str) -> bool:
        cached = self._rows.get((lang, query))
        return cached is None or cached[0] != texts

    def fill(self, jobs: Iterable[tuple[str, tuple[str, ...], str]]) -> None:
        """Compute the similarities of many (query, texts, lang) at once, on every core:
        scoring each query against each unit is most of these tests' time."""
        jobs = list({(lang, query): (query, texts, lang) for query, texts, lang in jobs
                     if self._missing(query, texts, lang)}.values())
        workers = min(len(jobs) // 8, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)
        if workers < 2:
            results = list(map(_similarities, jobs))
        else:
            # spawn, not fork: the engine may run threads, and a forked child could inherit a held lock.
            with multiprocessing.get_context("spawn").Pool(workers) as pool:
                results = pool.map(_similarities, jobs, chunksize=max(1, len(jobs) // (8 * workers)))
        for (query, texts, lang), values in zip(jobs, results):
            self._rows[(lang, query)] = (texts, values)

    def of(self, query: str, texts: tuple[str, ...], lang: str) -> list[float]:
        if self._missing(query, texts, lang):
            self.fill([(query, texts, lang)])
        return self._rows[(lang, query)][1]


def texts_of(sides: Sequence[Side]) -> tuple[str, ...]:
    return tuple(side.source for side in sides)


def score_all(query: str, sides: Sequence[Side], lang: str, table: SimilarityTable | None = None) -> list[Scored]:
    """Score every side for `query` (in language `lang`)."""
    similarities = (table or SimilarityTable()).of(query, texts_of(sides), primary(lang))
    return [
        Scored(side.unit_id, value, quality(query, side.source)) for side, value in zip(sides, similarities)
    ]


def top(scored: Sequence[Scored], *, min_similarity: float, limit: int, order: str = "similarity") -> list[Scored]:
    """Return the best `limit` of `scored` whose `order` score reaches `min_similarity`:
    by that score, then the other one, then the newest unit (highest id)."""
    if order == "similarity":
        kept = [row for row in scored if row.similarity >= min_similarity]
        kept.sort(key=lambda row: (-row.similarity, -row.quality, -row.unit_id))
    elif order == "quality":
        kept = [row for row in scored if row.quality >= min_similarity]
        kept.sort(key=lambda row: (-row.quality, -row.similarity, -row.unit_id))
    else:
        raise ValueError(f"unknown order {order!r}")
    return kept[:limit]
