"""Sentence feature vectors whose dot products say how much two sentences share: subword units,
numbers, names and punctuation (in the spirit of Simard et al. 1992's cognates), word pairs of a
seed dictionary (hunalign, Varga et al. 2005), and words seen through a learned translation
table (Moore 2002; hunalign)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from alignment.background import idf
from alignment.dictionary import SeedDictionary
from alignment.ibm1 import CountArrays, ibm1_token_rows
from alignment.lexicon import Lexicon
from alignment.sides import Keyed, Side, TokenRows
from alignment.sparse import SparseRows
from alignment.subwords import SubwordModel

#: Translations of a word kept in its translated vector: the tail is noise.
TRANSLATIONS_PER_WORD = 6
_MIN_PROBABILITY = 0.02
#: Share of sentences above which a word counts as common (a function word, in practice).
COMMON_WORD_SHARE = 0.1
#: Word co-occurrences IBM Model 1 trains on at most (about 100 bytes each at the peak).
MAX_COOCCURRENCES = 1_000_000


@dataclass(frozen=True)
class ChannelWeights:
    """Relative weight of each kind of evidence in the sentence vectors."""

    subword: float = 1.0
    number: float = 1.5
    name: float = 0.7
    punctuation: float = 0.5
    cognate: float = 1.0
    #: Word pairs of the seed dictionary: translations, like the learned table's.
    dictionary: float = 1.5
    lexical: float = 1.5


@dataclass(frozen=True)
class SharedFeatures:
    """Features in one space for both languages: subwords, numbers, names, punctuation, cognates
    and, given a seed dictionary, the word pairs it lists."""

    source: SparseRows
    target: SparseRows

    @classmethod
    def build(
        cls, source: Side, target: Side, subwords: SubwordModel | None, weights: ChannelWeights,
        dictionary: SeedDictionary | None = None,
    ) -> SharedFeatures:
        blocks_source, blocks_target = [], []
        if subwords is not None and weights.subword:
            size = subwords.vocabulary_size
            source_pieces = source.expanded(TokenRows.from_lists(subwords.encode_words(source.cased_vocabulary)))
            target_pieces = target.expanded(TokenRows.from_lists(subwords.encode_words(target.cased_vocabulary)))
            _append_pair(blocks_source, blocks_target, source_pieces.counts(size),
                         target_pieces.counts(size), weights.subword)
        for kind, weight in (("numbers", weights.number), ("months", weights.number), ("names", weights.name),
                             ("punctuation", weights.punctuation), ("cognates", weights.cognate)):
            if weight:
                source_rows, target_rows, size = _joint(getattr(source, kind), getattr(target, kind))
                _append_pair(blocks_source, blocks_target, source_rows.counts(size),
                             target_rows.counts(size), weight)
        if dictionary is not None and weights.dictionary:
            source_rows, target_rows, size = dictionary.shared_keys(
                source.words, source.vocabulary, target.words, target.vocabulary)
            _append_pair(blocks_source, blocks_target, source_rows.counts(size),
                         target_rows.counts(size), weights.dictionary, dictionary.key_background)
        if not blocks_source:
            empty = SparseRows.from_lists([[] for _ in source.sentences], 1)
            return cls(empty, SparseRows.from_lists([[] for _ in target.sentences], 1))
        return cls(SparseRows.stack_columns(blocks_source), SparseRows.stack_columns(blocks_target))


def _joint(source: Keyed, target: Keyed) -> tuple[TokenRows, TokenRows, int]:
    """Both sides' rows over one key space (a key is the same feature in either language)."""
    index = {key: k for k, key in enumerate(source.keys)}
    lookup = np.array([index.setdefault(key, len(index)) for key in target.keys] or [-1], dtype=np.int64)
    return source.rows, target.rows.mapped(lookup), max(len(index), 1)


def _append_pair(
    blocks_source: list[SparseRows], blocks_target: list[SparseRows], source: SparseRows,
    target: SparseRows, weight: float, background: np.ndarray | None = None,
) -> None:
    """Damp counts, weight by idf over both languages' sentences (and the features' background
    shares, when known), and keep the two sides."""
    source, target = source.map_values(np.log1p), target.map_values(np.log1p)
    frequency = source.document_frequency() + target.document_frequency()
    weights = idf(frequency, source.row_count + target.row_count, background) * weight
    blocks_source.append(source.scale_columns(weights))
    blocks_target.append(target.scale_columns(weights))


@dataclass(frozen=True)
class TranslationTables:
    """t(target | source) and t(source | target) over the batch vocabularies, as sparse rows."""

    forward: SparseRows
    backward: SparseRows

    @classmethod
    def learn(
        cls, source: Side, target: Side, pairs: Sequence[tuple[int, int]],
        prior: Lexicon | None = None, max_cooccurrences: int = MAX_COOCCURRENCES,
    ) -> tuple[TranslationTables, CountArrays, CountArrays]:
        """IBM Model 1 on the given (source sentence, target sentence) pairs, best first, plus a
        prior table.

        Common words (in more than COMMON_WORD_SHARE of the sentences) are left out: they
        weigh almost nothing in the similarity (idf near zero) yet make most of the
        co-occurrences EM would have to go through.
        """
        source_rows = np.array([i for i, _ in pairs], dtype=np.int64)
        target_rows = np.array([j for _, j in pairs], dtype=np.int64)
        source_words = source.words.gather(source_rows)
        target_words = target.words.gather(target_rows)
        source_words = source_words.keep(~source.common_words(COMMON_WORD_SHARE)[source_words.ids])
        target_words = target_words.keep(~target.common_words(COMMON_WORD_SHARE)[target_words.ids])
        # EM's memory grows with the co-occurrences: past the budget, the best pairs suffice.
        cooccurrences = np.cumsum((np.diff(source_words.indptr) + 1) * (np.diff(target_words.indptr) + 1))
        kept = int(np.searchsorted(cooccurrences, max_cooccurrences, side="right"))
        if kept < len(pairs):
            source_words = source_words.gather(np.arange(kept))
            target_words = target_words.gather(np.arange(kept))
        forward_counts, backward_counts = ibm1_token_rows(source_words, target_words)
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
    order = np.argsort(given + (1.0 - probabilities) * 0.5, kind="stable")  # word, then best first
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
    # Word counts, damped: a word said twice is not twice the evidence.
    source_words = source.words.counts(len(source.vocabulary)).map_values(np.log1p)
    target_words = target.words.counts(len(target.vocabulary)).map_values(np.log1p)
    source_idf = idf(source_words.document_frequency(), source_words.row_count) * weight
    target_idf = idf(target_words.document_frequency(), target_words.row_count) * weight
    source_own = source_words.scale_columns(source_idf)
    target_own = target_words.scale_columns(target_idf)
    source_translated = source_own.multiply(tables.forward)
    target_translated = target_own.multiply(tables.backward)
    return (
        SparseRows.stack_columns([source_own, source_translated]),
        SparseRows.stack_columns([target_translated, target_own]),
    )

