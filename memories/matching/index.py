"""An in-memory word index over unit sides: exact top-k by word-level score through prefix filtering.

Each side of a unit is a document of one partition, keyed by its language and the other
side's (`("fr", "en")` holds the French sides of French/English units, whatever way round the
memory stores them). A document is its word keys (`tokens.keys`), each mapped to one
character, so a document is a short string and rapidfuzz computes word-level Levenshtein
distances between documents in C++.

Candidates come from the prefix filter of set-similarity joins (Chaudhuri, Ganti and Kaushik,
2006; Bayardo, Ma and Srikant, 2007): a document whose word score ``100 * (1 - D / max(n, m))``
reaches `min_similarity` shares at least ``R = ceil(min_similarity * n / 100)`` of the n query
words, so it holds one of the ``n - R + 1`` rarest ones. Documents are numbered by length, so
the length window that `min_similarity` allows (``D >= |n - m|``) is one slice of every
postings list. The candidates are then scored exactly; nothing that could reach
`min_similarity` is missed.

A segment is an immutable CSR postings table over some documents; a partition has a large
main segment and a small recent one rebuilt as units change, merged into main when it grows.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

#: Unicode code points skip the surrogates, so a term id is one character of a Python string.
_SURROGATES = 0xD800
_SURROGATE_SPAN = 0x800
_LAST_CODE_POINT = 0x10FFFF
#: Recent documents beyond this (or a tenth of main) are merged into the main segment.
MERGE_MIN_DOCUMENTS = 20_000
#: Deleted documents beyond this share of main make the next merge compact main too.
MAX_DEAD_SHARE = 0.2
SOURCE_SIDE, TARGET_SIDE = 0, 1
#: With a limit, documents this close are searched first (see `Partition.search`).
FIRST_THRESHOLD = 80.0
#: ... when min_similarity is below this: closer to FIRST_THRESHOLD, one search costs less.
TWO_STEPS_BELOW = 65.0
#: Probing a postings list this many times longer than the candidates is a binary search per
#: candidate; a shorter one is marked in a bitmap of the window.
BITMAP_FACTOR = 16
#: Below this many candidates, scoring them all beats probing more postings lists.
SCORE_DIRECTLY = 256


def term_char(term_id: int) -> str:
    code = term_id if term_id < _SURROGATES else term_id + _SURROGATE_SPAN
    if code > _LAST_CODE_POINT:
        # Past 1.1M distinct words, ids share characters: scores only rise, still upper bounds.
        code = (code % (_LAST_CODE_POINT - _SURROGATE_SPAN)) + 1
        if code >= _SURROGATES:
            code += _SURROGATE_SPAN
    return chr(code)


def _code_points_to_terms(codes: np.ndarray) -> np.ndarray:
    return np.where(codes >= _SURROGATES + _SURROGATE_SPAN, codes - _SURROGATE_SPAN, codes)


class Vocabulary:
    """Word keys and placeable value terms to term ids (one per distinct string)."""

    def __init__(self) -> None:
        self._chars: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self._chars)

    def encode(self, words: list[str]) -> str:
        """Return the document string of `words`, adding new words to the vocabulary."""
        chars = self._chars
        try:
            return "".join([chars[word] for word in words])
        except KeyError:
            for word in words:
                if word not in chars:
                    chars[word] = term_char(len(chars))
            return "".join([chars[word] for word in words])

    def lookup(self, words: list[str]) -> str:
        """Return the document string of `words`; a word never seen gets a character of its
        own that no document holds (it still counts for length and distance)."""
        chars = self._chars
        unknown = len(chars)
        out = []
        for word in words:
            char = chars.get(word)
            if char is None:
                char = term_char(unknown)
                unknown += 1
            out.append(char)
        return "".join(out)


class _Column:
    """A growable numpy column."""

    def __init__(self, dtype, capacity: int = 1024) -> None:
        self.data = np.zeros(capacity, dtype=dtype)
        self.size = 0

    def append(self, value) -> None:
        if self.size == len(self.data):
            self.data = np.concatenate([self.data, np.zeros(len(self.data), dtype=self.data.dtype)])
        self.data[self.size] = value
        self.size += 1

    def view(self) -> np.ndarray:
        return self.data[: self.size]


@dataclass(frozen=True, slots=True)
class Segment:
    """Postings over a set of documents, numbered locally in length order."""

    documents: np.ndarray  # global document ids, by length
    lengths: np.ndarray  # their lengths in words
    offsets: list[int]  # postings of term t are postings[offsets[t]:offsets[t+1]]
    postings: np.ndarray  # local document numbers, ascending per term
    unit_order: np.ndarray  # local numbers sorted by unit id, to find a unit's document
    unit_ids: np.ndarray  # unit ids in unit_order

    def window(self, shortest: int, longest: int) -> tuple[int, int]:
        # Needles of the haystack's dtype: numpy would otherwise copy the haystack to convert it.
        bounds = np.array([shortest, min(longest, np.iinfo(np.int32).max)], dtype=np.int32)
        start, stop = np.searchsorted(self.lengths, bounds, "left"), np.searchsorted(self.lengths, bounds, "right")
        return int(start[0]), int(stop[1])

    def postings_of(self, term: int) -> np.ndarray:
        if term + 1 >= len(self.offsets):
            return self.postings[:0]
        return self.postings[self.offsets[term] : self.offsets[term + 1]]

    def frequency(self, term: int) -> int:
        if term + 1 >= len(self.offsets):
            return 0
        return self.offsets[term + 1] - self.offsets[term]


def build_segment(documents: np.ndarray, keys: list[str], terms: list[str], unit_ids: np.ndarray) -> Segment:
    """Build the postings of `documents` (global ids) from their key strings and value terms."""
    lengths = np.fromiter((len(keys[d]) for d in documents.tolist()), dtype=np.int32, count=len(documents))
    order = np.argsort(lengths, kind="stable")
    documents = documents[order]
    lengths = lengths[order]
    texts = [keys[d] + terms[d] for d in documents.tolist()]
    counts = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    codes = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32)
    del texts
    term_ids = _code_points_to_terms(codes.astype(np.int64))
    local = np.repeat(np.arange(len(documents), dtype=np.int64), counts)
    pairs = np.sort((term_ids << 32) | local)
    del term_ids, local, codes
    if len(pairs):
        pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))]
    term_column = pairs >> 32
    vocabulary_size = int(term_column[-1]) + 1 if len(pairs) else 0
    # A Python list: indexing it is cheaper than a numpy scalar per query word.
    offsets = np.searchsorted(term_column, np.arange(vocabulary_size + 1)).tolist()
    postings = (pairs & 0xFFFFFFFF).astype(np.int32)
    units = unit_ids[documents]
    unit_order = np.argsort(units, kind="stable")
    return Segment(documents, lengths, offsets, postings, unit_order.astype(np.int32), units[unit_order])


@dataclass(frozen=True, slots=True)
class Candidates:
    """Documents whose word score reaches min_similarity, best first."""

    documents: np.ndarray
    unit_ids: np.ndarray
    sides: np.ndarray
    scores: np.ndarray  # word scores in [0, 100], upper bounds of similarity


class Partition:
    """The documents of one language written for one other language, and their segments."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self.keys: list[str] = []
        self.terms: list[str] = []
        self.unit_ids = _Column(np.int64)
        self.memory_ids = _Column(np.int32)
        self.sides = _Column(np.int8)
        self.alive = _Column(np.bool_)
        self.main: Segment | None = None
        self.main_end = 0  # documents below this are in main
        self.recent: Segment | None = None
        self.recent_units: dict[int, int] = {}  # unit id -> document, for documents >= main_end
        self.dead_in_main = 0
        self.changed = False  # since the last seal

    def add(self, unit_id: int, memory_id: int, side: int, words: list[str], value_terms: list[str]) -> int:
        document = len(self.keys)
        self.keys.append(self.vocabulary.encode(words))
        self.terms.append(self.vocabulary.encode(value_terms) if value_terms else "")
        self.unit_ids.append(unit_id)
        self.memory_ids.append(memory_id)
        self.sides.append(side)
        self.alive.append(True)
        self.changed = True
        if document >= self.main_end:
            self.recent_units[unit_id] = document
        return document

    def remove_units(self, memory_id: int, first: int | None, last: int | None) -> None:
        """Mark dead the documents of a memory's units `first`..`last` (all when None)."""
        alive = self.alive.data
        memories = self.memory_ids.data
        if self.main is not None:
            if first is None:
                documents = self.main.documents
            else:
                lo = np.searchsorted(self.main.unit_ids, first, "left")
                hi = np.searchsorted(self.main.unit_ids, last, "right")
                documents = self.main.documents[self.main.unit_order[lo:hi]]
            documents = documents[alive[documents] & (memories[documents] == memory_id)]
            alive[documents] = False
            self.dead_in_main += len(documents)
            self.changed |= bool(len(documents))
        if first is not None and last - first < len(self.recent_units):
            found = [self.recent_units.pop(u) for u in range(first, last + 1) if u in self.recent_units]
        else:
            found = []
            for unit_id in list(self.recent_units):
                if first is None or first <= unit_id <= last:
                    found.append(self.recent_units.pop(unit_id))
        for document in found:
            if memories[document] == memory_id:
                alive[document] = False
                self.changed = True
            else:  # another memory's unit with an id in the range: keep it
                self.recent_units[int(self.unit_ids.data[document])] = document

    def seal(self) -> None:
        """Index what was added since the last seal: rebuild recent, or merge it into main."""
        if not self.changed:
            return
        self.changed = False
        recent = len(self.keys) - self.main_end
        if self.main is None or recent > max(MERGE_MIN_DOCUMENTS, self.main_end // 10) or (
            self.dead_in_main > MAX_DEAD_SHARE * max(1, self.main_end)
        ):
            self._merge()
            return
        documents = np.fromiter(
            (d for d in self.recent_units.values() if self.alive.data[d]), dtype=np.int64
        )
        self.recent = (
            build_segment(documents, self.keys, self.terms, self.unit_ids.data) if len(documents) else None
        )

    def _merge(self) -> None:
        """Rebuild main from every live document, compacting the dead ones away."""
        live = np.flatnonzero(self.alive.view())
        self.keys = [self.keys[d] for d in live.tolist()]
        self.terms = [self.terms[d] for d in live.tolist()]
        for column in (self.unit_ids, self.memory_ids, self.sides, self.alive):
            kept = column.view()[live].copy()
            column.data = kept if len(kept) else np.zeros(1024, dtype=kept.dtype)
            column.size = len(kept)
        self.main_end = len(self.keys)
        self.dead_in_main = 0
        self.recent = None
        self.recent_units = {}
        self.main = (
            build_segment(np.arange(self.main_end, dtype=np.int64), self.keys, self.terms, self.unit_ids.data)
            if self.main_end
            else None
        )

    def segments(self) -> list[Segment]:
        return [segment for segment in (self.main, self.recent) if segment is not None]

    def search(
        self, query_key: str, *, min_similarity: float, memory_id: int | None, limit: int | None = None
    ) -> Candidates:
        """Return the documents whose word score for `query_key` reaches `min_similarity`, best
        first: all of them, or with `limit`, enough that the best `limit` by similarity are there.

        With a limit, a first search at `FIRST_THRESHOLD` finds the close documents cheaply (short
        prefixes, a narrow window). A word score W bounds similarity from below too: at least
        min(94, W - 5), or 95 when W is 100 (see `scores`). If `limit` documents are bound to
        reach some similarity S, nothing below S matters, and the search need not go lower.
        """
        if limit is not None and min_similarity < TWO_STEPS_BELOW:
            close = self._search(query_key, FIRST_THRESHOLD, memory_id)
            if len(close.scores) >= limit:
                floors = np.where(close.scores >= 100.0 - 1e-6, 95.0, np.minimum(94.0, close.scores - 5.0))
                enough = float(np.partition(floors, len(floors) - limit)[len(floors) - limit])
                if enough >= FIRST_THRESHOLD:
                    return close
                min_similarity = max(min_similarity, enough - 0.01)  # float32 scores, rounding
        return self._search(query_key, min_similarity, memory_id)

    def _search(self, query_key: str, min_similarity: float, memory_id: int | None) -> Candidates:
        length = len(query_key)
        ratio = min_similarity / 100.0
        shortest = math.ceil(length * ratio - 1e-9)
        longest = math.floor(length / ratio + 1e-9) if ratio > 0 else 1 << 30
        counts: dict[int, int] = {}
        for char in query_key:
            counts[_term_of(ord(char))] = counts.get(_term_of(ord(char)), 0) + 1
        parts = []
        for segment in self.segments():
            start, stop = segment.window(shortest, longest)
            if start >= stop:
                continue
            if length == 0 or shortest == 0:
                parts.append(segment.documents[start:stop])  # nothing to filter on
                continue
            lists = sorted(
                ((segment.postings_of(term), count) for term, count in counts.items()),
                key=lambda pair: len(pair[0]),
            )
            local = _filtered(segment, lists, length, ratio, start, stop)
            parts.append(segment.documents[local])
        if not parts:
            return _empty()
        documents = np.concatenate(parts) if len(parts) > 1 else parts[0]
        keep = self.alive.data[documents]
        if memory_id is not None:
            keep &= self.memory_ids.data[documents] == memory_id
        documents = documents[keep]
        if not len(documents):
            return _empty()
        keys = self.keys
        choices = [keys[d] for d in documents.tolist()]
        scores = process.cdist(
            [query_key], choices, scorer=Levenshtein.normalized_similarity, score_cutoff=max(0.0, ratio - 1e-9),
            dtype=np.float32,
        )[0]
        hits = np.flatnonzero(scores > 0) if ratio > 0 else np.arange(len(scores))
        order = hits[np.argsort(-scores[hits], kind="stable")]
        documents = documents[order]
        return Candidates(
            documents,
            self.unit_ids.data[documents],
            self.sides.data[documents],
            scores[order].astype(np.float64) * 100.0,
        )

    def documents_with(self, query_key: str, value_terms: str) -> np.ndarray:
        """Return the live documents holding the words of `query_key` in a row and every value term."""
        needed = {ord(c) for c in query_key} | {ord(c) for c in value_terms}
        parts = []
        for segment in self.segments():
            lists = sorted((segment.postings_of(_term_of(code)) for code in needed), key=len)
            if not lists:
                continue
            local = lists[0]
            for other in lists[1:]:
                if not len(local):
                    break
                positions = np.searchsorted(other, local)
                positions[positions == len(other)] = 0
                local = local[other[positions] == local] if len(other) else local[:0]
            parts.append(segment.documents[local])
        if not parts:
            return np.zeros(0, dtype=np.int64)
        documents = np.concatenate(parts)
        documents = documents[self.alive.data[documents]]
        if len(query_key) > 1:
            keys = self.keys
            documents = np.fromiter(
                (d for d in documents.tolist() if query_key in keys[d]), dtype=np.int64
            )
        return documents


def _needed(lengths: np.ndarray, query_length: int, ratio: float) -> np.ndarray:
    """Words a document of each length must share with the query to reach `ratio`."""
    return np.ceil(ratio * np.maximum(lengths, query_length) - 1e-9).astype(np.int64)


def _filtered(segment: Segment, lists, length: int, ratio: float, start: int, stop: int) -> np.ndarray:
    """Return the local documents in [start, stop) that may share enough query words.

    Prefix filter: a document must hold one of its prefix words, the rarest `length - needed
    + 1`, where `needed` grows with the document's length, so longer documents have shorter
    prefixes (bands of equal prefix, each a slice of every postings list). Then count filter:
    the other words are probed rarest first, and a document that can no longer share
    `needed` words is dropped.
    """
    lengths = segment.lengths
    cumulative = np.cumsum([count for _, count in lists])
    # One band per run of document lengths whose prefix has the same words.
    band_lengths = np.arange(int(lengths[start]), int(lengths[stop - 1]) + 1, dtype=np.int32)
    prefixes = length - _needed(band_lengths, length, ratio) + 1
    chosen = np.searchsorted(cumulative, prefixes, "left") + 1
    edges = np.flatnonzero(np.diff(chosen)) + 1
    firsts = np.concatenate(([0], edges))
    lasts = np.concatenate((edges, [len(band_lengths)])) - 1
    band_starts = np.maximum(start, np.searchsorted(lengths, band_lengths[firsts], "left")).astype(np.int32)
    band_stops = np.minimum(stop, np.searchsorted(lengths, band_lengths[lasts], "right")).astype(np.int32)
    pieces = []
    for band_start, band_stop, prefix in zip(band_starts, band_stops, chosen[firsts].tolist()):
        if band_start >= band_stop:
            continue
        bounds = np.array([band_start, band_stop], dtype=np.int32)
        for postings, _count in lists[:prefix]:
            if len(postings):
                first, last = np.searchsorted(postings, bounds).tolist()
                if last > first:
                    pieces.append(postings[first:last])
    if not pieces:
        return np.zeros(0, dtype=np.int32)
    local = np.sort(np.concatenate(pieces)) if len(pieces) > 1 else pieces[0]
    if len(pieces) > 1 and len(local) > 1:
        local = local[np.concatenate(([True], local[1:] != local[:-1]))]
    need = _needed(lengths[local], length, ratio)
    hits = np.zeros(len(local), dtype=np.int64)
    remaining = length
    for postings, count in lists:
        if len(local) <= SCORE_DIRECTLY:
            break
        remaining -= count
        if len(postings) > BITMAP_FACTOR * len(local):
            positions = np.searchsorted(postings, local)
            positions[positions == len(postings)] = len(postings) - 1
            hits += (postings[positions] == local) * count
        elif len(postings):
            # Many candidates: marking the postings beats a binary search per candidate.
            bounds = np.array([start, stop], dtype=np.int32)
            first, last = np.searchsorted(postings, bounds).tolist()
            marks = np.zeros(stop - start, dtype=np.bool_)
            marks[postings[first:last] - start] = True
            hits += marks[local - start] * count
        keep = hits + remaining >= need
        if not keep.all():
            local, hits, need = local[keep], hits[keep], need[keep]
    return local


def _term_of(code: int) -> int:
    return code - _SURROGATE_SPAN if code >= _SURROGATES + _SURROGATE_SPAN else code


def _empty() -> Candidates:
    empty = np.zeros(0, dtype=np.int64)
    return Candidates(empty, empty, empty.astype(np.int8), empty.astype(np.float64))
