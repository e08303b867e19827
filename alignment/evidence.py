"""Sentence feature vectors whose dot products say how much two sentences share: subword units,
numbers, names and punctuation (in the spirit of Simard et al. 1992's cognates), and words seen
through a learned translation table (Moore 2002; hunalign, Varga et al. 2005)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from alignment.lexicon import CountArrays, Lexicon, ibm1_both_directions
from alignment.sparse import SparseRows
from alignment.subwords import SubwordModel
from alignment.tokens import Tokens, analyse

#: Translations of a word kept in its translated vector: the tail is noise.
TRANSLATIONS_PER_WORD = 6
_MIN_PROBABILITY = 0.02
#: Share of sentences above which a word counts as common (a function word, in practice).
COMMON_WORD_SHARE = 0.1


@dataclass(frozen=True)
class ChannelWeights:
    """Relative weight of each kind of evidence in the sentence vectors."""

    subword: float = 1.0
    number: float = 1.5
    name: float = 0.7
    punctuation: float = 0.5
    cognate: float = 1.0
    lexical: float = 1.5


@dataclass(frozen=True)
class Side:
    """One language's sentences of a batch, analysed once."""

    sentences: list[str]
    tokens: list[Tokens]
    lengths: np.ndarray
    word_ids: list[list[int]]
    vocabulary: list[str]

    @classmethod
    def analyse(cls, sentences: Sequence[str]) -> Side:
        tokens = [analyse(sentence) for sentence in sentences]
        index: dict[str, int] = {}
        word_ids = [[index.setdefault(word, len(index)) for word in t.words] for t in tokens]
        lengths = np.fromiter((len(s) for s in sentences), dtype=np.float64, count=len(sentences))
        return cls(list(sentences), tokens, lengths, word_ids, list(index))

    def common_words(self) -> np.ndarray:
        """Words in more than COMMON_WORD_SHARE of the sentences: they weigh almost nothing
        (idf near zero) yet make most of IBM Model 1's co-occurrences, so EM skips them."""
        frequency = np.zeros(len(self.vocabulary))
        for ids in self.word_ids:
            frequency[list(set(ids))] += 1
        return frequency > COMMON_WORD_SHARE * max(len(self.word_ids), 1)

    def words_matrix(self) -> SparseRows:
        """Word counts, damped: a word said twice is not twice the evidence."""
        matrix = SparseRows.from_lists(self.word_ids, len(self.vocabulary))
        return matrix.map_values(np.log1p)


@dataclass(frozen=True)
class SharedFeatures:
    """Features in one space for both languages: subwords, numbers, names, punctuation."""

    source: SparseRows
    target: SparseRows

    @classmethod
    def build(
        cls, source: Side, target: Side, subwords: SubwordModel | None, weights: ChannelWeights
    ) -> SharedFeatures:
        blocks_source, blocks_target = [], []
        if subwords is not None:
            pieces = subwords.encode(source.sentences + target.sentences)
            matrix = SparseRows.from_lists(pieces, subwords.vocabulary_size)
            _append_pair(blocks_source, blocks_target, matrix, len(source.sentences), weights.subword)
        for kind, weight in (("numbers", weights.number), ("names", weights.name),
                             ("punctuation", weights.punctuation), ("cognates", weights.cognate)):
            if not weight:
                continue
            index: dict[str, int] = {}
            rows = [[index.setdefault(item, len(index)) for item in getattr(t, kind)]
                    for t in source.tokens + target.tokens]
            matrix = SparseRows.from_lists(rows, max(len(index), 1))
            _append_pair(blocks_source, blocks_target, matrix, len(source.sentences), weight)
        return cls(SparseRows.stack_columns(blocks_source), SparseRows.stack_columns(blocks_target))


def _append_pair(
    blocks_source: list[SparseRows], blocks_target: list[SparseRows], matrix: SparseRows,
    source_count: int, weight: float,
) -> None:
    """Weight a both-sides matrix by idf (over both languages) and cut it into the two sides."""
    matrix = matrix.map_values(np.log1p)
    idf = _idf(matrix.document_frequency(), matrix.row_count) * weight
    matrix = matrix.scale_columns(idf)
    blocks_source.append(_rows(matrix, 0, source_count))
    blocks_target.append(_rows(matrix, source_count, matrix.row_count))


def _idf(document_frequency: np.ndarray, row_count: int) -> np.ndarray:
    return np.log((row_count + 1.0) / (document_frequency + 1.0)) + 0.1


def _rows(matrix: SparseRows, start: int, stop: int) -> SparseRows:
    lo, hi = matrix.indptr[start], matrix.indptr[stop]
    return SparseRows(
        matrix.indptr[start:stop + 1] - lo, matrix.columns[lo:hi], matrix.values[lo:hi],
        matrix.column_count,
    )


@dataclass(frozen=True)
class TranslationTables:
    """t(target | source) and t(source | target) over the batch vocabularies, as sparse rows."""

    forward: SparseRows
    backward: SparseRows

    @classmethod
    def learn(
        cls, source: Side, target: Side, pairs: Sequence[tuple[Sequence[int], Sequence[int]]],
        prior: Lexicon | None = None,
    ) -> tuple[TranslationTables, CountArrays, CountArrays]:
        """IBM Model 1 on the given (source sentences, target sentences) links, plus a prior table."""
        source_common = source.common_words()
        target_common = target.common_words()
        source_ids = [[w for i in s for w in source.word_ids[i] if not source_common[w]] for s, _ in pairs]
        target_ids = [[w for j in t for w in target.word_ids[j] if not target_common[w]] for _, t in pairs]
        forward_counts, backward_counts = ibm1_both_directions(source_ids, target_ids)
        forward = _table(forward_counts, len(source.vocabulary), len(target.vocabulary))
        backward = _table(backward_counts, len(target.vocabulary), len(source.vocabulary))
        if prior is not None:
            forward = _blend(forward, _prior_table(prior, source.vocabulary, target.vocabulary, True))
            backward = _blend(backward, _prior_table(prior, target.vocabulary, source.vocabulary, False))
        return cls(forward, backward), forward_counts, backward_counts

    @classmethod
    def from_lexicon(cls, lexicon: Lexicon, source: Side, target: Side) -> TranslationTables:
        return cls(
            _prior_table(lexicon, source.vocabulary, target.vocabulary, True),
            _prior_table(lexicon, target.vocabulary, source.vocabulary, False),
        )


def _table(counts: CountArrays, given_count: int, produced_count: int) -> SparseRows:
    real = counts.given >= 0
    probabilities = counts.probabilities()[real]
    given, produced = counts.given[real], counts.produced[real]
    keep = probabilities >= _MIN_PROBABILITY
    given, produced, probabilities = given[keep], produced[keep], probabilities[keep]
    order = np.lexsort((-probabilities, given))
    given, produced, probabilities = given[order], produced[order], probabilities[order]
    rank = np.arange(len(given)) - np.searchsorted(given, given, side="left")
    keep = rank < TRANSLATIONS_PER_WORD
    return SparseRows.from_entries(
        given[keep], produced[keep], probabilities[keep], given_count, produced_count
    )


def _prior_table(lexicon: Lexicon, given_vocabulary: list[str], produced_vocabulary: list[str],
                 forward: bool) -> SparseRows:
    table = lexicon.forward if forward else lexicon.backward
    produced_index = {word: k for k, word in enumerate(produced_vocabulary)}
    rows, columns, values = [], [], []
    for g, word in enumerate(given_vocabulary):
        for translation, probability in table.translations(word, TRANSLATIONS_PER_WORD):
            p = produced_index.get(translation)
            if p is not None and probability >= _MIN_PROBABILITY:
                rows.append(g)
                columns.append(p)
                values.append(probability)
    return SparseRows.from_entries(
        np.asarray(rows, dtype=np.int64), np.asarray(columns, dtype=np.int64),
        np.asarray(values, dtype=np.float64), len(given_vocabulary), len(produced_vocabulary),
    )


def _blend(learned: SparseRows, prior: SparseRows) -> SparseRows:
    """Average two tables where both know a word; keep whichever knows it otherwise."""
    learned_known = np.diff(learned.indptr) > 0
    prior_known = np.diff(prior.indptr) > 0
    both = learned_known & prior_known
    learned_weight = np.where(both, 0.5, 1.0)[learned.row_ids()]
    prior_weight = np.where(both, 0.5, 1.0)[prior.row_ids()]
    return SparseRows.from_entries(
        np.concatenate([learned.row_ids(), prior.row_ids()]),
        np.concatenate([learned.columns, prior.columns]),
        np.concatenate([learned.values * learned_weight, prior.values * prior_weight]),
        learned.row_count, learned.column_count,
    )


def lexical_features(
    source: Side, target: Side, tables: TranslationTables, weight: float
) -> tuple[SparseRows, SparseRows]:
    """Each side's own words plus its words translated into the other language.

    Source rows live in [source words | target words]; so do target rows, so that a dot
    product adds "source words found in the translated target" and the converse.
    """
    source_words = source.words_matrix()
    target_words = target.words_matrix()
    source_idf = _idf(source_words.document_frequency(), source_words.row_count) * weight
    target_idf = _idf(target_words.document_frequency(), target_words.row_count) * weight
    source_own = source_words.scale_columns(source_idf)
    target_own = target_words.scale_columns(target_idf)
    source_translated = source_own.multiply(tables.forward)
    target_translated = target_own.multiply(tables.backward)
    return (
        SparseRows.stack_columns([source_own, source_translated]),
        SparseRows.stack_columns([target_translated, target_own]),
    )
