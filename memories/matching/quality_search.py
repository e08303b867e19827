"""Exact top-k by `quality`, amaGama's character-level score, through a q-gram count filter.

quality = 100 (1 - d / M), with d the Levenshtein distance between the raw query (length L)
and a unit side (length m), and M = max(L, m). For a threshold t (a fraction), quality >= t
exactly when d <= K(M) = floor((1 - t) M). The bounds that make the search complete:

- length: d >= |L - m|, so only ``t L <= m <= L / t`` can qualify (one slice of the documents,
  numbered by character length);
- q-grams (Ukkonen 1992; Jokinen and Ukkonen 1991): each edit destroys at most q of the
  ``M - q + 1`` q-grams of the longer string, so a side within K(M) edits shares at least
  ``M - q + 1 - q K(M)`` q-grams (q = 3, counted with multiplicity) with the query. Trigrams
  are hashed into buckets; a document holding a bucket is counted as sharing every query
  trigram of that bucket, which only over-counts, so no qualifying side is dropped. Where the
  bound is <= 0 (t below about 2/3 for long strings) it filters nothing and every side of the
  window is verified.

Candidates are verified with rapidfuzz's exact Levenshtein. The top `limit` come from
thresholds tried from high to low (`LEVELS`): once `limit` sides reach a level, every side at
or above that level has been found, so the best `limit` are exactly those of an exhaustive
scan, ties included.
"""
from __future__ import annotations

import heapq
import math
from dataclasses import dataclass

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from memories.matching import filtering
from memories.matching.segment import GRAM_SIZE, gram_buckets, gram_hashes, text_codes

#: The first pass's threshold, and the steps tried after it (never below the `limit`-th best known).
SEED_LEVEL = 90.0
LEVELS = (82.0, 75.0, 68.0)
#: Sides verified per call to rapidfuzz; between calls the cutoff rises to the best found.
SCAN_CHUNK = 8_192
#: A call with this many sides uses every core (a request scanning a window is rare and long).
PARALLEL_ABOVE = 4_096
#: Slack, in quality points, for rapidfuzz: a `score_cutoff` within about 2e-9 of a score
#: drops it (rapidfuzz 3.14), and batch scores may differ from single ones in the last bit.
#: Sides within this of a threshold are kept; the caller applies it exactly. Two different
#: qualities of strings up to 2,000 characters differ by at least 100 / 2000**2 = 2.5e-5.
EPSILON = 1e-5


@dataclass(frozen=True, slots=True)
class Found:
    """A unit side and its exact quality."""

    quality: float
    unit_id: int
    side: int


def search(parts, query: str, *, min_quality: float, memory_id: int | None, limit: int | None) -> list[Found]:
    """Return the sides of `parts` ((segment, alive) pairs) whose quality for `query` reaches
    `min_quality`, best first: all of them, or with `limit`, at least every side that ties or
    beats the `limit`-th best (ties are left for the caller to order).

    With a limit, a first pass at SEED_LEVEL (a short prefix of rare trigrams, few candidates)
    finds the sides closest to the query; each verified side gets its exact quality (the
    cutoff is `min_quality`, or the `limit`-th best known once there are that many). Then
    passes at lower LEVELS, never below the `limit`-th best quality T known: a pass at a level
    is complete for every side at or above it, so once `limit` sides reach the level of the
    last pass, nothing outside them can beat them.
    """
    length = len(query)
    hashes = gram_hashes(text_codes(query))
    known: list[dict[int, float]] = [{} for _ in parts]  # exact qualities >= min_quality
    verified: list[np.ndarray | None] = [None for _ in parts]  # masks of the sides verified
    best: list[float] = []  # a min-heap of the best `limit` qualities known

    def floor() -> float:
        """The least quality still worth knowing: with `limit` sides known, the worst of them."""
        if limit is not None and len(best) >= limit:
            return max(min_quality, best[0] - EPSILON)
        return min_quality

    threshold = SEED_LEVEL if limit is not None and SEED_LEVEL > min_quality else min_quality
    while True:
        for number, (segment, alive) in enumerate(parts):
            ranks = np.sort(_candidates(segment, length, hashes, threshold / 100.0))
            documents = segment.by_chars[ranks].astype(np.int64) if len(ranks) else ranks
            keep = alive[documents]
            if memory_id is not None:
                keep &= segment.memory_ids[documents] == memory_id
            if verified[number] is not None:
                keep &= ~verified[number][documents]
            ranks, documents = ranks[keep], documents[keep]
            for quality, document in _verified(segment, query, ranks, documents, floor):
                known[number][document] = quality
                if limit is not None:
                    (heapq.heappush if len(best) < limit else heapq.heappushpop)(best, quality)
            if len(documents):
                if verified[number] is None:
                    verified[number] = np.zeros(len(segment), dtype=np.bool_)
                verified[number][documents] = True
        qualities = sorted((q for found in known for q in found.values()), reverse=True)
        if threshold <= min_quality or limit is None:
            break
        if len(qualities) >= limit and qualities[limit - 1] >= threshold:
            break  # every side at or above the threshold is known, and `limit` of them
        # Lower the threshold step by step, never below the limit-th best known: a pass at a
        # level is complete for every side at or above it, and cheaper the higher it is.
        known_floor = qualities[limit - 1] - EPSILON if len(qualities) >= limit else min_quality
        step = next((level for level in LEVELS if level < threshold and level > min_quality), min_quality)
        threshold = max(min_quality, known_floor, step)
    results = [
        Found(quality, int(parts[number][0].unit_ids[document]), int(parts[number][0].sides[document]))
        for number, qualities in enumerate(known)
        for document, quality in qualities.items()
        if quality >= min_quality - EPSILON
    ]
    results.sort(key=lambda item: -item.quality)
    if limit is not None and len(results) > limit:
        boundary = results[limit - 1].quality - EPSILON
        results = [item for item in results if item.quality >= boundary]
    return results


def _candidates(segment, length: int, hashes: np.ndarray, threshold: float) -> np.ndarray:
    """Return the character ranks of the sides that may reach `threshold` (a fraction)."""
    if not len(segment):
        return np.zeros(0, dtype=np.int64)
    buckets, counts = _counted(gram_buckets(hashes, segment.gram_bits))
    shortest = math.ceil(threshold * length - 1e-7)
    longest = math.floor(length / threshold + 1e-7) if threshold > 0 else 1 << 30
    lengths = segment.char_lengths
    start = int(np.searchsorted(lengths, shortest, "left"))
    stop = int(np.searchsorted(lengths, min(longest, np.iinfo(np.int32).max), "right"))

    common = np.isin(buckets, segment.gram_common) if len(segment.gram_common) else np.zeros(len(buckets), bool)
    assumed = int(counts[common].sum())  # trigrams too common to list count as shared by every side

    def need_of(side_lengths: np.ndarray) -> np.ndarray:
        longer = np.maximum(side_lengths, length)
        edits = np.floor((1.0 - threshold) * longer + 1e-9)
        return (longer - GRAM_SIZE + 1 - GRAM_SIZE * edits).astype(np.int64) - assumed

    lists = sorted(
        (
            (segment.grams_of(int(bucket)), int(count))
            for bucket, count in zip(buckets[~common].tolist(), counts[~common].tolist())
        ),
        key=lambda pair: len(pair[0]),
    )
    return filtering.candidates(lengths, lists, need_of, start, stop)


def _counted(buckets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the distinct buckets and how many of the query's trigrams fall in each."""
    if not len(buckets):
        return buckets, buckets
    buckets = np.sort(buckets)
    starts = np.flatnonzero(np.concatenate(([True], buckets[1:] != buckets[:-1])))
    return buckets[starts], np.diff(np.concatenate((starts, [len(buckets)])))


def _verified(segment, query: str, ranks: np.ndarray, documents: np.ndarray, floor):
    """Yield (quality, document) for the candidates whose exact quality reaches `floor()`.

    The floor may rise as better sides are found (it is read again for every chunk): a side
    below it cannot enter the answer, and rapidfuzz gives up on it sooner.
    """
    for begin in range(0, len(ranks), SCAN_CHUNK):
        level = floor()
        cutoff = max(0.0, (level - 2 * EPSILON) / 100.0)
        chunk = ranks[begin : begin + SCAN_CHUNK]
        span = int(chunk[-1]) - int(chunk[0]) + 1 if len(chunk) else 0
        if len(chunk) > 64 and span <= 2 * len(chunk):
            # A dense window (a scan): decode its texts in one piece.
            window = segment.texts_between(int(chunk[0]), int(chunk[-1]) + 1)
            texts = [window[rank] for rank in (chunk - chunk[0]).tolist()]
        else:
            texts = segment.texts_of(chunk)
        scores = process.cdist(
            [query], texts, scorer=Levenshtein.normalized_similarity, score_cutoff=cutoff, dtype=np.float64,
            workers=-1 if len(texts) >= PARALLEL_ABOVE else 1,
        )[0]
        for index in np.flatnonzero(scores > 0 if cutoff > 0 else scores >= 0).tolist():
            quality = float(scores[index]) * 100.0
            if quality >= level - EPSILON:
                yield quality, int(documents[begin + index])
