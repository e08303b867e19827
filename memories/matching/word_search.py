"""Candidates by word-level score: every unit side whose word score reaches `min_similarity`.

A document's word score is ``100 * (1 - D / max(n, m))``, D the Levenshtein distance between
the query's n word keys and the document's m (`tokens.keys`). It bounds `similarity` from above
(`scores`), so a document below `min_similarity` here can never reach it.

The bound (prefix filtering, Chaudhuri et al. 2006): a document whose word score reaches
s = min_similarity / 100 has D <= (1 - s) max(n, m), so ``m >= ceil(s n)`` and ``m <= n / s``
(D >= |n - m|), and it shares at least ``ceil(s max(n, m))`` of the n query words (each edit
removes at most one shared word). `filtering.candidates` turns that into the documents to score.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from memories.matching import filtering
from memories.matching.segment import Segment

#: With a limit, documents this close are searched first (see `search`).
FIRST_THRESHOLD = 80.0
#: ... when min_similarity is below this: closer to FIRST_THRESHOLD, one search costs less.
TWO_STEPS_BELOW = 65.0


@dataclass(frozen=True, slots=True)
class Candidates:
    """Unit sides whose word score reaches min_similarity, best first."""

    unit_ids: np.ndarray
    sides: np.ndarray
    scores: np.ndarray  # word scores in [0, 100], upper bounds of similarity

    def __len__(self) -> int:
        return len(self.unit_ids)


EMPTY = Candidates(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int8), np.zeros(0))


def search(parts, hashes: np.ndarray, *, min_similarity: float, memory_id: int | None, limit: int | None = None) -> Candidates:
    """Return the documents of `parts` ((segment, alive) pairs) whose word score for the query
    words `hashes` reaches `min_similarity`, best first: all of them, or with `limit`, enough
    that the best `limit` by similarity are there.

    With a limit, a first search at `FIRST_THRESHOLD` finds the close documents cheaply. A word
    score W bounds similarity from below too: at least min(94, W - 5), or 95 when W is 100 (see
    `scores`). If `limit` documents are bound to reach some similarity S, nothing below S
    matters, and the search need not go lower.
    """
    if limit is not None and min_similarity < TWO_STEPS_BELOW:
        close = _search(parts, hashes, FIRST_THRESHOLD, memory_id)
        if len(close) >= limit:
            floors = np.where(close.scores >= 100.0 - 1e-6, 95.0, np.minimum(94.0, close.scores - 5.0))
            enough = float(np.partition(floors, len(floors) - limit)[len(floors) - limit])
            if enough >= FIRST_THRESHOLD:
                return close
            min_similarity = max(min_similarity, enough - 0.01)  # float32 scores, rounding
    return _search(parts, hashes, min_similarity, memory_id)


def _search(parts, hashes: np.ndarray, min_similarity: float, memory_id: int | None) -> Candidates:
    length = len(hashes)
    ratio = min_similarity / 100.0
    shortest = math.ceil(length * ratio - 1e-9)
    longest = math.floor(length / ratio + 1e-9) if ratio > 0 else 1 << 30

    def need_of(lengths: np.ndarray) -> np.ndarray:
        return np.ceil(ratio * np.maximum(lengths, length) - 1e-9).astype(np.int64)

    found_units, found_sides, found_scores = [], [], []
    for segment, alive in parts:
        start, stop = _window(segment.word_lengths, shortest, longest)
        if start >= stop:
            continue
        query_key, known = segment.query_key(hashes)
        counts: dict[int, int] = {}
        for term in known:
            counts[term] = counts.get(term, 0) + 1
        lists = sorted(((segment.postings_of(term), count) for term, count in counts.items()), key=lambda p: len(p[0]))
        documents = filtering.candidates(segment.word_lengths, lists, need_of, start, stop)
        documents = _kept(segment, alive, documents, memory_id)
        if not len(documents):
            continue
        scores = process.cdist(
            [query_key], segment.keys_of(documents), scorer=Levenshtein.normalized_similarity,
            score_cutoff=max(0.0, ratio - 1e-9), dtype=np.float32,
        )[0]
        hits = np.flatnonzero(scores > 0) if ratio > 0 else np.arange(len(scores))
        documents = documents[hits]
        found_units.append(segment.unit_ids[documents])
        found_sides.append(segment.sides[documents])
        found_scores.append(scores[hits].astype(np.float64) * 100.0)
    if not found_units:
        return EMPTY
    scores = np.concatenate(found_scores)
    order = np.argsort(-scores, kind="stable")
    return Candidates(np.concatenate(found_units)[order], np.concatenate(found_sides)[order], scores[order])


def _window(lengths: np.ndarray, shortest: int, longest: int) -> tuple[int, int]:
    bounds = np.array([shortest, min(longest, np.iinfo(np.int32).max)], dtype=lengths.dtype)
    return int(np.searchsorted(lengths, bounds[0], "left")), int(np.searchsorted(lengths, bounds[1], "right"))


def _kept(segment: Segment, alive: np.ndarray, documents: np.ndarray, memory_id: int | None) -> np.ndarray:
    keep = alive[documents]
    if memory_id is not None:
        keep &= segment.memory_ids[documents] == memory_id
    return documents[keep]


def holding(parts, hashes: np.ndarray, value_hashes: np.ndarray, memory_id: int | None):
    """Return (unit ids, sides, word lengths) of the live documents holding the query words in
    a row and every placeable value of `value_hashes` (concordance)."""
    unit_ids, sides, lengths = [], [], []
    for segment, alive in parts:
        ids = segment.term_ids(np.concatenate((hashes, value_hashes)))
        if (ids < 0).any() or not len(ids):
            continue
        lists = sorted((segment.postings_of(int(term)) for term in set(ids.tolist())), key=len)
        local = np.asarray(lists[0], dtype=np.int64)
        for other in lists[1:]:
            if not len(local):
                break
            positions = np.searchsorted(other, local)
            positions[positions == len(other)] = 0
            local = local[other[positions] == local]
        local = _kept(segment, alive, local, memory_id)
        if len(hashes) > 1 and len(local):
            query_key, _known = segment.query_key(hashes)
            local = local[np.fromiter((query_key in key for key in segment.keys_of(local)), dtype=np.bool_, count=len(local))]
        unit_ids.append(segment.unit_ids[local])
        sides.append(segment.sides[local])
        lengths.append(segment.word_lengths[local].astype(np.int64))
    if not unit_ids:
        return (np.zeros(0, dtype=np.int64),) * 3
    return np.concatenate(unit_ids), np.concatenate(sides), np.concatenate(lengths)
