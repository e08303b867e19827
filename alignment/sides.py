"""One language's sentences of a batch, tokenised once into id arrays (distinct words are
analysed once; per-token work is numpy)."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import chain
from dataclasses import dataclass

import numpy as np

from alignment.sparse import SparseRows, gathered
from alignment.tokens import WORD, cognate_key, month_key, name_key, numbers, punctuation


@dataclass(frozen=True)
class TokenRows:
    """Token ids per sentence, compressed: sentence k holds ids[indptr[k]:indptr[k + 1]]."""

    indptr: np.ndarray
    ids: np.ndarray

    @classmethod
    def from_lists(cls, rows: Sequence[Sequence[int]]) -> TokenRows:
        lengths = np.fromiter((len(row) for row in rows), dtype=np.int64, count=len(rows))
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        ids = np.fromiter(chain.from_iterable(rows), dtype=np.int64, count=int(indptr[-1]))
        return cls(indptr, ids)

    @property
    def row_count(self) -> int:
        return len(self.indptr) - 1

    def row_ids(self) -> np.ndarray:
        return np.repeat(np.arange(self.row_count, dtype=np.int64), np.diff(self.indptr))

    def row(self, index: int) -> np.ndarray:
        return self.ids[self.indptr[index]:self.indptr[index + 1]]

    def gather(self, rows: np.ndarray) -> TokenRows:
        """The given rows, in that order (rows may repeat)."""
        indptr, positions = gathered(self.indptr, rows)
        return TokenRows(indptr, self.ids[positions])

    def regrouped(self, groups: np.ndarray) -> TokenRows:
        """Merge consecutive rows: new row k holds old rows groups[k]..groups[k + 1] - 1."""
        return TokenRows(self.indptr[groups], self.ids)

    def keep(self, mask: np.ndarray) -> TokenRows:
        """Only the tokens where `mask` (one flag per token) is true."""
        indptr = np.zeros(self.row_count + 1, dtype=np.int64)
        indptr[1:] = np.cumsum(mask, dtype=np.int64)[self.indptr[1:] - 1] if len(mask) else 0
        indptr[1:][self.indptr[1:] == 0] = 0  # rows before the first token
        return TokenRows(indptr, self.ids[mask])

    def mapped(self, lookup: np.ndarray) -> TokenRows:
        """Ids translated through `lookup`; tokens mapped to a negative id are dropped."""
        mapped = lookup[self.ids] if len(self.ids) else self.ids
        kept = self.keep(mapped >= 0)
        return TokenRows(kept.indptr, mapped[mapped >= 0])

    def counts(self, column_count: int) -> SparseRows:
        """Sentence-by-id occurrence counts."""
        return SparseRows.from_entries(
            self.row_ids(), self.ids, np.ones(len(self.ids)), self.row_count, column_count
        )

    def document_frequency(self, column_count: int) -> np.ndarray:
        return self.counts(column_count).document_frequency()


@dataclass(frozen=True)
class Keyed:
    """Token rows over a list of string keys (numbers, names, cognates...)."""

    rows: TokenRows
    keys: list[str]


@dataclass(frozen=True)
class Side:
    """A batch's sentences in one language, with their words and shareable keys."""

    sentences: list[str]
    lengths: np.ndarray
    cased_words: TokenRows
    cased_vocabulary: list[str]
    words: TokenRows
    vocabulary: list[str]
    names: Keyed
    cognates: Keyed
    numbers: Keyed
    punctuation: Keyed
    months: Keyed

    @classmethod
    def analyse(cls, sentences: Sequence[str]) -> Side:
        sentences = list(sentences)
        cased_index: dict[str, int] = {}
        cased_rows = []
        for sentence in sentences:
            cased_rows.append([cased_index.setdefault(w, len(cased_index)) for w in WORD.findall(sentence)])
        cased = TokenRows.from_lists(cased_rows)
        cased_words = list(cased_index)
        lower_index: dict[str, int] = {}
        lower_of_cased = np.array(
            [lower_index.setdefault(w.lower(), len(lower_index)) for w in cased_words] or [0],
            dtype=np.int64,
        )
        vocabulary = list(lower_index)
        words = TokenRows(cased.indptr, lower_of_cased[cased.ids] if len(cased.ids) else cased.ids)
        cognates = _keyed_by_word(words, vocabulary, cognate_key)
        # A capitalised word that does not open the sentence is most likely a name.
        opening = np.zeros(len(cased.ids), dtype=bool)
        opening[cased.indptr[:-1][np.diff(cased.indptr) > 0]] = True
        names = _keyed_by_word(cased, cased_words, name_key, exclude=opening)
        lengths = np.fromiter((len(s) for s in sentences), dtype=np.float64, count=len(sentences))
        return cls(
            sentences, lengths, cased, cased_words, words, vocabulary, names, cognates,
            _keyed_by_sentence(sentences, numbers), _keyed_by_sentence(sentences, punctuation),
            _keyed_by_word(cased, cased_words, month_key),
        )

    def expanded(self, table: TokenRows) -> TokenRows:
        """Each sentence's cased words replaced by their rows in `table` (e.g. subword pieces)."""
        return table.gather(self.cased_words.ids).regrouped(self.cased_words.indptr)

    def common_words(self, share: float) -> np.ndarray:
        """Flags the words found in more than `share` of the sentences."""
        frequency = self.words.document_frequency(len(self.vocabulary))
        return frequency > share * max(self.words.row_count, 1)


def _keyed_by_word(rows: TokenRows, words: list[str], key: Callable[[str], str | None],
                   exclude: np.ndarray | None = None) -> Keyed:
    index: dict[str, int] = {}
    lookup = np.array(
        [-1 if (k := key(word)) is None else index.setdefault(k, len(index)) for word in words] or [-1],
        dtype=np.int64,
    )
    if exclude is not None and len(rows.ids):
        rows = rows.keep(~exclude)
    return Keyed(rows.mapped(lookup), list(index))


def _keyed_by_sentence(sentences: Sequence[str], extract: Callable[[str], list[str]]) -> Keyed:
    index: dict[str, int] = {}
    rows = [[index.setdefault(item, len(index)) for item in extract(sentence)] for sentence in sentences]
    return Keyed(TokenRows.from_lists(rows), list(index))

