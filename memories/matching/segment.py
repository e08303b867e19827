"""One immutable piece of the match index: numpy arrays over some unit sides, built in memory or mapped from files.

A segment holds the sides of one language written for one other language (the French sides
of French/English units, whichever way round a memory stores them). Each side is a document,
numbered by its length in words, with two postings tables:

- words: each distinct word key (and placeable value term) is a term, named by a 64-bit hash
  of its text so that segments built apart agree without sharing a dictionary; the segment's
  vocabulary is its sorted hashes and a term's id is its rank there. A document's key is its
  term ids, written as one character each so rapidfuzz compares documents as strings.
- characters: each character trigram of the raw text is hashed into one of 2**gram_bits
  buckets (up to 2**GRAM_BITS, fewer in a small segment); postings list documents by rank in character length (`by_chars`). A collision
  merges two trigrams, which can only make a document look closer: the filters built on these
  postings stay complete (see `quality_search`).

Every array is a plain numpy array saved with `np.save`, so a worker opens a segment with
`mmap_mode="r"` and every worker on the machine shares its pages.
"""
from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass, fields
from hashlib import blake2b
from pathlib import Path

import numpy as np

SOURCE_SIDE, TARGET_SIDE = 0, 1
GRAM_BITS = 20
GRAM_SIZE = 3
#: Trigram buckets occurring more than this many times per side are not listed (see _gram_postings).
#: Set high: each unlisted trigram weakens the filter at middle thresholds more than it saves.
COMMON_SHARE = 1.0
#: ... in segments of at least this many sides.
COMMON_FROM = 2_000
_SURROGATES, _SURROGATE_SPAN, _LAST_CODE_POINT = 0xD800, 0x800, 0x10FFFF
_WRAP = _LAST_CODE_POINT - _SURROGATE_SPAN
_HASH_CACHE: dict[str, int] = {}
_HASH_CACHE_LIMIT = 2_000_000
_PAGE = 4096
FORMAT = 2


def term_hash(word: str) -> int:
    """Return the stable 64-bit name of a word key or value term (the same in every process)."""
    value = _HASH_CACHE.get(word)
    if value is None:
        if len(_HASH_CACHE) >= _HASH_CACHE_LIMIT:
            _HASH_CACHE.clear()
        digest = blake2b(word.encode("utf-8", "surrogatepass"), digest_size=8).digest()
        value = _HASH_CACHE[word] = int.from_bytes(digest, "little")
    return value


def term_hashes(words: list[str]) -> np.ndarray:
    named = {word: term_hash(word) for word in set(words)}
    return np.fromiter(map(named.__getitem__, words), dtype=np.uint64, count=len(words))


def term_codes(ids: np.ndarray) -> np.ndarray:
    """Return the character of each term id: code points, skipping the surrogates.

    Past 1.1M terms in one segment, ids share characters; distances only fall, so word scores
    stay upper bounds.
    """
    codes = ids.astype(np.int64)
    codes = np.where(codes >= _SURROGATES, codes + _SURROGATE_SPAN, codes)
    over = codes > _LAST_CODE_POINT
    if over.any():
        wrapped = codes[over] % _WRAP + 1
        codes[over] = np.where(wrapped >= _SURROGATES, wrapped + _SURROGATE_SPAN, wrapped)
    return codes.astype(np.uint32)


def as_string(codes: np.ndarray) -> str:
    return codes.astype(np.uint32).tobytes().decode("utf-32-le")


def gram_hashes(codes: np.ndarray) -> np.ndarray:
    """Return a 64-bit hash of the trigram starting at each position of `codes` but the last two."""
    if len(codes) < GRAM_SIZE:
        return np.zeros(0, dtype=np.uint64)
    c = codes.astype(np.uint64)
    with np.errstate(over="ignore"):
        mixed = (c[:-2] * np.uint64(0x9E3779B97F4A7C15)) ^ (c[1:-1] * np.uint64(0xBF58476D1CE4E5B9))
        return (mixed ^ c[2:]) * np.uint64(0x94D049BB133111EB)


def gram_buckets(hashes: np.ndarray, bits: int) -> np.ndarray:
    """Return the bucket of each trigram hash among 2**bits."""
    return (hashes >> np.uint64(64 - bits)).astype(np.int64)


def _gram_bits(positions: int) -> int:
    """Buckets for a segment: about half as many as its trigrams, 2**8 to 2**GRAM_BITS, so a
    small overlay segment does not carry a table sized for a million sides."""
    return min(GRAM_BITS, max(8, (positions // 2).bit_length()))


def text_codes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


@dataclass(frozen=True, slots=True)
class Documents:
    """Unit sides ready to index: word keys and value terms as hashes, and the raw texts."""

    unit_ids: np.ndarray  # int64
    memory_ids: np.ndarray  # int32
    sides: np.ndarray  # int8
    key_offsets: np.ndarray  # int64, n + 1
    key_hashes: np.ndarray  # uint64
    value_offsets: np.ndarray  # int64, n + 1
    value_hashes: np.ndarray  # uint64
    texts: list[str]

    def __len__(self) -> int:
        return len(self.unit_ids)


def documents_from(rows: list[tuple[int, int, int, list[str], list[str], str]]) -> Documents:
    """Gather (unit_id, memory_id, side, word keys, value terms, raw text) rows."""
    words = [word for row in rows for word in row[3]]
    values = [term for row in rows for term in row[4]]
    return Documents(
        np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows)),
        np.fromiter((row[1] for row in rows), dtype=np.int32, count=len(rows)),
        np.fromiter((row[2] for row in rows), dtype=np.int8, count=len(rows)),
        _offsets([len(row[3]) for row in rows]),
        term_hashes(words),
        _offsets([len(row[4]) for row in rows]),
        term_hashes(values),
        [row[5] for row in rows],
    )


def _offsets(lengths) -> np.ndarray:
    offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    if len(lengths):
        np.cumsum(lengths, out=offsets[1:])
    return offsets


def _ranges(offsets: np.ndarray, chosen: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the positions of the concatenated ranges offsets[d]:offsets[d+1] for d in
    `chosen`, and the length of each range."""
    starts, stops = offsets[chosen], offsets[chosen + 1]
    lengths = stops - starts
    total = int(lengths.sum())
    if not total:
        return np.zeros(0, dtype=np.int64), lengths
    shifts = np.repeat(starts - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
    return np.arange(total, dtype=np.int64) + shifts, lengths


@dataclass(frozen=True, slots=True)
class Segment:
    """Postings over a set of unit sides of one language; see the module docstring."""

    lang: str
    other: str
    unit_ids: np.ndarray  # int64 per document (documents numbered by word length)
    memory_ids: np.ndarray  # int32
    sides: np.ndarray  # int8
    word_lengths: np.ndarray  # int32, ascending
    key_offsets: np.ndarray  # int64, n + 1
    key_ids: np.ndarray  # int32 term ids of each document's words, in order
    value_offsets: np.ndarray  # int64, n + 1
    value_ids: np.ndarray  # int32 term ids of each document's placeable values
    vocabulary: np.ndarray  # uint64 term hashes, sorted; a term's id is its index
    word_offsets: np.ndarray  # int64, terms + 1
    word_postings: np.ndarray  # int32 documents, ascending per term
    unit_order: np.ndarray  # int32 documents sorted by unit id
    unit_sorted: np.ndarray  # int64 unit ids in that order
    by_chars: np.ndarray  # int32 documents by character length
    char_lengths: np.ndarray  # int32 character lengths in that order, ascending
    gram_offsets: np.ndarray  # int64, 2**gram_bits + 1
    gram_postings: np.ndarray  # int32 character ranks, ascending per bucket
    gram_common: np.ndarray  # int64 buckets too common to list: taken as held by every side
    text_offsets: np.ndarray  # int64 byte offsets, n + 1, by character rank
    text_blob: np.ndarray  # uint8, UTF-8, by character rank (a length window is one slice)

    def __len__(self) -> int:
        return len(self.unit_ids)

    # -- words ---------------------------------------------------------------------------

    def term_ids(self, hashes: np.ndarray) -> np.ndarray:
        """Return each hash's term id here, or -1 for a term this segment never saw."""
        if not len(self.vocabulary):
            return np.full(len(hashes), -1, dtype=np.int64)
        positions = np.searchsorted(self.vocabulary, hashes)
        positions[positions == len(self.vocabulary)] = 0
        return np.where(self.vocabulary[positions] == hashes, positions, -1)

    def query_key(self, hashes: np.ndarray) -> tuple[str, list[int]]:
        """Return the query's key string here, and its known term ids (unknown words get
        characters of their own that no document holds)."""
        ids = self.term_ids(hashes)
        unknown = ids < 0
        ids = ids.copy()
        ids[unknown] = len(self.vocabulary) + np.arange(int(unknown.sum()))
        return as_string(term_codes(ids)), ids[~unknown].tolist()

    def postings_of(self, term: int) -> np.ndarray:
        if term < 0 or term + 1 >= len(self.word_offsets):
            return self.word_postings[:0]
        return self.word_postings[self.word_offsets[term] : self.word_offsets[term + 1]]

    def keys_of(self, documents: np.ndarray) -> list[str]:
        """Return the key strings of `documents`."""
        positions, lengths = _ranges(self.key_offsets, documents)
        joined = as_string(term_codes(self.key_ids[positions])) if len(positions) else ""
        bounds = np.concatenate(([0], np.cumsum(lengths))).tolist()
        return [joined[a:b] for a, b in zip(bounds, bounds[1:])]

    # -- characters ----------------------------------------------------------------------

    @property
    def gram_bits(self) -> int:
        return (len(self.gram_offsets) - 1).bit_length() - 1

    def grams_of(self, bucket: int) -> np.ndarray:
        return self.gram_postings[self.gram_offsets[bucket] : self.gram_offsets[bucket + 1]]

    def texts_of(self, ranks: np.ndarray) -> list[str]:
        """Return the raw texts of the documents of character ranks `ranks`."""
        starts = self.text_offsets[ranks].tolist()
        stops = self.text_offsets[ranks + 1].tolist()
        blob = self.text_blob
        return [blob[a:b].tobytes().decode("utf-8", "surrogatepass") for a, b in zip(starts, stops)]

    def texts_between(self, first: int, stop: int) -> list[str]:
        """Return the raw texts of character ranks first..stop-1, decoded in one piece."""
        joined = self.text_blob[self.text_offsets[first] : self.text_offsets[stop]].tobytes()
        text = joined.decode("utf-8", "surrogatepass")
        bounds = np.concatenate(([0], np.cumsum(self.char_lengths[first:stop], dtype=np.int64))).tolist()
        return [text[a:b] for a, b in zip(bounds, bounds[1:])]

    def documents_of_units(self, first: int, last: int) -> np.ndarray:
        lo = np.searchsorted(self.unit_sorted, first, "left")
        hi = np.searchsorted(self.unit_sorted, last, "right")
        return self.unit_order[lo:hi].astype(np.int64)

    def documents(self) -> Documents:
        """Return this segment's documents as `build` takes them (to merge segments)."""
        everything = np.arange(len(self), dtype=np.int64)
        key_positions, key_lengths = _ranges(self.key_offsets, everything)
        value_positions, value_lengths = _ranges(self.value_offsets, everything)
        return Documents(
            np.asarray(self.unit_ids), np.asarray(self.memory_ids), np.asarray(self.sides),
            _offsets(key_lengths), np.asarray(self.vocabulary)[self.key_ids[key_positions]],
            _offsets(value_lengths), np.asarray(self.vocabulary)[self.value_ids[value_positions]],
            self._texts_by_document(),
        )

    def _texts_by_document(self) -> list[str]:
        by_rank = self.texts_between(0, len(self)) if len(self) else []
        texts = [""] * len(self)
        for rank, document in enumerate(self.by_chars.tolist()):
            texts[document] = by_rank[rank]
        return texts

    # -- files ---------------------------------------------------------------------------

    def save(self, folder: Path) -> str:
        """Write this segment into a new subfolder of `folder`; return its name."""
        name = f"seg-{uuid.uuid4().hex[:16]}"
        scratch = folder / f".{name}.tmp"
        scratch.mkdir(parents=True)
        for item in fields(self):
            if item.name not in ("lang", "other"):
                np.save(scratch / f"{item.name}.npy", np.asarray(getattr(self, item.name)))
        (scratch / "meta.json").write_text(
            json.dumps({"format": FORMAT, "lang": self.lang, "other": self.other, "documents": len(self)})
        )
        os.replace(scratch, folder / name)
        return name

    def prefault(self) -> int:
        """Map every page of the arrays into this process (they are read, not copied); return the bytes.

        Pages of a file that every worker has mapped are shared and counted so (Shared_Clean),
        and no request pays for the first touch of a page.
        """
        total = 0
        for item in fields(self):
            values = getattr(self, item.name)
            if isinstance(values, np.ndarray) and values.nbytes:
                raw = values.reshape(-1).view(np.uint8)
                int(raw[:: _PAGE].sum())
                total += values.nbytes
        return total

    @classmethod
    def open(cls, path: Path) -> Segment:
        """Map a saved segment's arrays read-only: its pages are shared by every process."""
        meta = json.loads((path / "meta.json").read_text())
        if meta.get("format") != FORMAT:
            raise ValueError(f"{path} is index format {meta.get('format')}, not {FORMAT}")
        # Plain ndarray views of the maps: numpy's memmap subclass costs a Python call per slice.
        arrays = {
            item.name: np.asarray(np.load(path / f"{item.name}.npy", mmap_mode="r"))
            for item in fields(cls)
            if item.name not in ("lang", "other")
        }
        return cls(lang=meta["lang"], other=meta["other"], **arrays)


def build(lang: str, other: str, documents: Documents) -> Segment:
    """Index `documents` (the sides in `lang` of `lang`/`other` units) as one segment."""
    n = len(documents)
    key_lengths = np.diff(documents.key_offsets)
    order = np.argsort(key_lengths, kind="stable")
    every = np.concatenate((documents.key_hashes, documents.value_hashes))
    vocabulary = _sorted_unique(every)
    key_positions, key_sizes = _ranges(documents.key_offsets, order)
    value_positions, value_sizes = _ranges(documents.value_offsets, order)
    key_ids = np.searchsorted(vocabulary, documents.key_hashes[key_positions]).astype(np.int32)
    value_ids = np.searchsorted(vocabulary, documents.value_hashes[value_positions]).astype(np.int32)
    key_offsets, value_offsets = _offsets(key_sizes), _offsets(value_sizes)
    word_offsets, word_postings = _postings(
        np.concatenate((key_ids, value_ids)).astype(np.int64),
        np.concatenate((np.repeat(np.arange(n), key_sizes), np.repeat(np.arange(n), value_sizes))),
        len(vocabulary),
    )
    unit_ids = documents.unit_ids[order]
    unit_order = np.argsort(unit_ids, kind="stable").astype(np.int32)
    texts = [documents.texts[d] for d in order.tolist()]
    char_lengths = np.fromiter(map(len, texts), dtype=np.int32, count=n)
    by_chars = np.argsort(char_lengths, kind="stable").astype(np.int32)
    ranked = [texts[d] for d in by_chars.tolist()]
    gram_offsets, gram_postings, gram_common = _gram_postings(ranked, char_lengths[by_chars])
    encoded = [text.encode("utf-8", "surrogatepass") for text in ranked]
    return Segment(
        lang=lang,
        other=other,
        unit_ids=unit_ids,
        memory_ids=documents.memory_ids[order],
        sides=documents.sides[order],
        word_lengths=key_lengths[order].astype(np.int32),
        key_offsets=key_offsets,
        key_ids=key_ids,
        value_offsets=value_offsets,
        value_ids=value_ids,
        vocabulary=vocabulary,
        word_offsets=word_offsets,
        word_postings=word_postings,
        unit_order=unit_order,
        unit_sorted=unit_ids[unit_order],
        by_chars=by_chars,
        char_lengths=char_lengths[by_chars],
        gram_offsets=gram_offsets,
        gram_postings=gram_postings,
        gram_common=gram_common,
        text_offsets=_offsets([len(text) for text in encoded]),
        text_blob=np.frombuffer(b"".join(encoded), dtype=np.uint8).copy(),
    )


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    """np.unique by sorting (numpy 2's hash-based unique is many times slower on large arrays)."""
    values = np.sort(values)
    if len(values) > 1:
        values = values[np.concatenate(([True], values[1:] != values[:-1]))]
    return values


def _postings(terms: np.ndarray, documents: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Return CSR postings (offsets, documents ascending per term, each once)."""
    pairs = _sorted_unique((terms << 32) | documents.astype(np.int64))
    column = pairs >> 32
    offsets = np.searchsorted(column, np.arange(size + 1)).astype(np.int64)
    return offsets, (pairs & 0xFFFFFFFF).astype(np.int32)


def _gram_postings(texts: list[str], lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the trigram postings (offsets, ranks) and the buckets too common to list.

    A bucket occurring more than COMMON_SHARE times per text is not listed: a search takes it
    as held by every side, which only over-counts. The most frequent trigrams (`de `, `the`)
    are half of all occurrences and filter almost nothing, so the index is about half as big.
    """
    codes = text_codes("".join(texts))
    bits = _gram_bits(len(codes))
    buckets = gram_buckets(gram_hashes(codes), bits)
    ranks = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
    # A trigram belongs to the text it starts in, and must end there too.
    ends = np.cumsum(lengths.astype(np.int64))
    valid = np.ones(len(codes), dtype=np.bool_)
    for back in range(1, GRAM_SIZE):
        cut = ends - back
        valid[cut[cut >= 0]] = False
    valid = valid[: len(buckets)]
    buckets, ranks = buckets[valid], ranks[: len(buckets)][valid]
    common = np.zeros(0, dtype=np.int64)
    if len(texts) >= COMMON_FROM:
        frequency = np.bincount(buckets, minlength=1 << bits)
        common = np.flatnonzero(frequency > COMMON_SHARE * len(texts)).astype(np.int64)
        if len(common):
            listed = frequency[buckets] <= COMMON_SHARE * len(texts)
            buckets, ranks = buckets[listed], ranks[listed]
    offsets, postings = _postings(buckets, ranks, 1 << bits)
    return offsets, postings, common


def merged(segments: list[tuple[Segment, np.ndarray]]) -> Segment:
    """Build one segment from the live documents (`alive` masks) of segments of one partition."""
    lang, other = segments[0][0].lang, segments[0][0].other
    parts = []
    for segment, alive in segments:
        documents = segment.documents()
        parts.append(_select(documents, np.flatnonzero(alive)))
    return build(lang, other, _concatenate(parts))


def _select(documents: Documents, chosen: np.ndarray) -> Documents:
    key_positions, key_sizes = _ranges(documents.key_offsets, chosen)
    value_positions, value_sizes = _ranges(documents.value_offsets, chosen)
    return Documents(
        documents.unit_ids[chosen], documents.memory_ids[chosen], documents.sides[chosen],
        _offsets(key_sizes), documents.key_hashes[key_positions],
        _offsets(value_sizes), documents.value_hashes[value_positions],
        [documents.texts[d] for d in chosen.tolist()],
    )


def _concatenate(parts: list[Documents]) -> Documents:
    return Documents(
        np.concatenate([p.unit_ids for p in parts]),
        np.concatenate([p.memory_ids for p in parts]),
        np.concatenate([p.sides for p in parts]),
        _offsets(np.concatenate([np.diff(p.key_offsets) for p in parts])),
        np.concatenate([p.key_hashes for p in parts]),
        _offsets(np.concatenate([np.diff(p.value_offsets) for p in parts])),
        np.concatenate([p.value_hashes for p in parts]),
        [text for p in parts for text in p.texts],
    )

