"""The count filter with a prefix, shared by the word and the character index.

Both indexes number documents by length and keep, per item (a word, a trigram bucket), the
ascending list of documents holding it. A document can only reach the threshold if it shares
at least ``need(length)`` items with the query (each score gives its own `need`; see
`word_search` and `quality_search`). Then it holds one of the query's ``total - need + 1``
rarest items (the prefix filter of Chaudhuri, Ganti and Kaushik 2006; Bayardo, Ma and Srikant
2007), and a document that can no longer make `need` with the items left to probe is dropped
(the count filter). Where ``need <= 0`` nothing can be filtered and every document of those
lengths is a candidate. Nothing that could reach the threshold is ever dropped.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

#: Probing a list this many times longer than the candidates is a binary search per candidate;
#: a shorter one is marked in a bitmap of the window.
BITMAP_FACTOR = 16
#: Below this many candidates, verifying them all beats probing more lists.
VERIFY_DIRECTLY = 256

_EMPTY = np.zeros(0, dtype=np.int64)


def candidates(
    lengths: np.ndarray,
    lists: list[tuple[np.ndarray, int]],
    need_of: Callable[[np.ndarray], np.ndarray],
    start: int,
    stop: int,
) -> np.ndarray:
    """Return the numbers in [start, stop) that may share `need_of(length)` query items.

    Params:
        lengths: each document's length, ascending (the numbering of the postings).
        lists: (postings, count) per distinct query item, rarest first; `count` is how many
            times the item occurs in the query (a document holding it shares at most that many).
        need_of: the least number of shared items a document of each length needs.
        start, stop: the window of numbers the lengths allow.
    """
    if start >= stop:
        return _EMPTY
    total = sum(count for _, count in lists)
    band_lengths = np.arange(int(lengths[start]), int(lengths[stop - 1]) + 1, dtype=np.int64)
    needs = need_of(band_lengths)
    cumulative = np.cumsum([count for _, count in lists]) if lists else np.zeros(0, dtype=np.int64)
    prefixes = total - needs + 1
    chosen = np.searchsorted(cumulative, prefixes, "left") + 1
    chosen[prefixes <= 0] = 0  # more is needed than the query holds
    chosen[needs <= 0] = -1  # nothing to filter on: every document is a candidate
    # Dense lengths: every document is a candidate (one range per run of such lengths).
    dense = []
    if (chosen < 0).any():
        flags = np.concatenate(([False], chosen < 0, [False]))
        runs = np.flatnonzero(np.diff(flags.astype(np.int8)))
        for first, last in zip(runs[::2].tolist(), (runs[1::2] - 1).tolist()):
            lo = max(start, int(np.searchsorted(lengths, band_lengths[first], "left")))
            hi = min(stop, int(np.searchsorted(lengths, band_lengths[last], "right")))
            if lo < hi:
                dense.append(np.arange(lo, hi, dtype=np.int64))
    # Sparse lengths: a document of length l must hold one of the first chosen(l) lists. Each
    # list is sliced to the window once; where the prefix is shorter for some lengths, the
    # documents of those lengths are dropped from the lists past it.
    pieces = []
    widest = int(chosen.max()) if len(chosen) else 0
    narrowest = int(chosen[chosen >= 0].min()) if (chosen >= 0).any() else 0
    base = int(band_lengths[0]) if len(band_lengths) else 0
    for number, (postings, _count) in enumerate(lists[:widest]):
        if not len(postings):
            continue
        first, last = np.searchsorted(postings, np.array([start, stop], dtype=postings.dtype)).tolist()
        piece = postings[first:last]
        if (number >= narrowest or dense) and len(piece):
            piece = piece[chosen[np.asarray(lengths[piece], dtype=np.int64) - base] > number]
        if len(piece):
            pieces.append(piece)
    sparse = _verified(lengths, lists, need_of, total, start, stop, _union(pieces))
    if dense:
        return np.concatenate(dense + [sparse]) if len(sparse) else np.concatenate(dense)
    return sparse


def _union(pieces: list[np.ndarray]) -> np.ndarray:
    if not pieces:
        return _EMPTY
    if len(pieces) == 1:
        return np.asarray(pieces[0], dtype=np.int64)
    joined = np.sort(np.concatenate(pieces).astype(np.int64))
    return joined[np.concatenate(([True], joined[1:] != joined[:-1]))] if len(joined) > 1 else joined


def _verified(lengths, lists, need_of, total: int, start: int, stop: int, local: np.ndarray) -> np.ndarray:
    """Drop the candidates that cannot share enough items, probing the lists rarest first."""
    if len(local) <= VERIFY_DIRECTLY:
        return local
    need = need_of(np.asarray(lengths[local], dtype=np.int64))
    hits = np.zeros(len(local), dtype=np.int64)
    remaining = total
    for postings, count in lists:
        if len(local) <= VERIFY_DIRECTLY:
            break
        remaining -= count
        if not len(postings):
            pass
        elif len(postings) > BITMAP_FACTOR * len(local):
            positions = np.searchsorted(postings, local)
            positions[positions == len(postings)] = len(postings) - 1
            hits += (postings[positions] == local) * count
        else:
            # Many candidates: marking the postings beats a binary search per candidate.
            bounds = np.array([start, stop], dtype=postings.dtype)
            first, last = np.searchsorted(postings, bounds).tolist()
            marks = np.zeros(stop - start, dtype=np.bool_)
            marks[np.asarray(postings[first:last], dtype=np.int64) - start] = True
            hits += marks[local - start] * count
        keep = hits + remaining >= need
        if not keep.all():
            local, hits, need = local[keep], hits[keep], need[keep]
    return local
