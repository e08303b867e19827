"""A word-translation table learned with IBM Model 1 EM (Brown et al. 1993), as Moore (2002) and
hunalign do: trained on the confident pairs of a first alignment pass, and merged over time."""
from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from alignment.ibm1 import DEFAULT_ITERATIONS, CountArrays, Seed, ibm1_both_directions
from alignment.tokens import words as word_tokens

#: Translations kept per word when the table is saved; the rest is noise for alignment.
KEPT_TRANSLATIONS = 12
#: Expected counts below this are dropped when the table is saved.
MIN_KEPT_COUNT = 0.05
_FORMAT_VERSION = 1


@dataclass(frozen=True)
class TranslationTable:
    """Expected counts c(word -> translation), the evidence IBM Model 1 collects.

    Probabilities are counts over the word's total, so two tables merge by adding counts.
    """

    counts: dict[str, dict[str, float]] = field(default_factory=dict)
    totals: dict[str, float] = field(default_factory=dict)

    @classmethod
    def from_arrays(
        cls, arrays: CountArrays, given_words: Sequence[str], produced_words: Sequence[str],
        keep: int = KEPT_TRANSLATIONS, min_count: float = MIN_KEPT_COUNT,
    ) -> TranslationTable:
        """Build a pruned word-keyed table from id-keyed IBM Model 1 counts."""
        real = arrays.given >= 0
        given, produced, counts = arrays.given[real], arrays.produced[real], arrays.counts[real]
        totals = np.bincount(given, weights=counts, minlength=len(given_words))
        order = np.lexsort((-counts, given))
        given, produced, counts = given[order], produced[order], counts[order]
        starts = np.searchsorted(given, given, side="left")
        rank = np.arange(len(given)) - starts
        keep_mask = (rank < keep) & (counts >= min_count)
        table: dict[str, dict[str, float]] = {}
        for g, p, c in zip(given[keep_mask].tolist(), produced[keep_mask].tolist(), counts[keep_mask].tolist()):
            table.setdefault(given_words[g], {})[produced_words[p]] = c
        kept_totals = {given_words[g]: float(totals[g]) for g in np.unique(given[keep_mask]).tolist()}
        return cls(table, kept_totals)

    def probability(self, word: str, translation: str) -> float:
        total = self.totals.get(word, 0.0)
        return self.counts.get(word, {}).get(translation, 0.0) / total if total else 0.0

    def translations(self, word: str, top: int = 5) -> list[tuple[str, float]]:
        total = self.totals.get(word, 0.0)
        if not total:
            return []
        ranked = sorted(self.counts.get(word, {}).items(), key=lambda item: -item[1])[:top]
        return [(translation, count / total) for translation, count in ranked]

    def merged(self, other: TranslationTable) -> TranslationTable:
        counts = {word: dict(entries) for word, entries in self.counts.items()}
        for word, entries in other.counts.items():
            mine = counts.setdefault(word, {})
            for translation, count in entries.items():
                mine[translation] = mine.get(translation, 0.0) + count
        totals = dict(self.totals)
        for word, total in other.totals.items():
            totals[word] = totals.get(word, 0.0) + total
        return TranslationTable(counts, totals).pruned()

    def pruned(self, keep: int = KEPT_TRANSLATIONS, min_count: float = MIN_KEPT_COUNT) -> TranslationTable:
        counts = {}
        for word, entries in self.counts.items():
            ranked = sorted(entries.items(), key=lambda item: -item[1])[:keep]
            kept = {translation: count for translation, count in ranked if count >= min_count}
            if kept:
                counts[word] = kept
        return TranslationTable(counts, {word: self.totals[word] for word in counts})


@dataclass(frozen=True)
class Lexicon:
    """Word translation probabilities in both directions, t(target | source) and t(source | target).

    Keys are lower-cased words (tokens.words). `pair_count` records how many sentence pairs
    the evidence comes from, so callers can tell a fresh table from a seasoned one.
    """

    source_lang: str
    target_lang: str
    forward: TranslationTable = field(default_factory=TranslationTable)
    backward: TranslationTable = field(default_factory=TranslationTable)
    pair_count: int = 0

    @classmethod
    def train(
        cls,
        sentence_pairs: Iterable[tuple[str, str]],
        *,
        source_lang: str,
        target_lang: str,
        iterations: int = DEFAULT_ITERATIONS,
        initial: Lexicon | None = None,
    ) -> Lexicon:
        """Learn a table from (source_text, target_text) translation pairs with IBM Model 1 EM.

        `initial` (an earlier table) seeds EM; its counts are not included in the result:
        use `update` or `merge` for that.
        """
        tokenised = [(word_tokens(source), word_tokens(target)) for source, target in sentence_pairs]
        return cls.train_tokenised(
            tokenised, source_lang=source_lang, target_lang=target_lang,
            iterations=iterations, initial=initial,
        )

    @classmethod
    def train_tokenised(
        cls,
        pairs: Sequence[tuple[Sequence[str], Sequence[str]]],
        *,
        source_lang: str,
        target_lang: str,
        iterations: int = DEFAULT_ITERATIONS,
        initial: Lexicon | None = None,
    ) -> Lexicon:
        """Like `train`, for pairs already split into lower-cased words."""
        source_vocabulary: dict[str, int] = {}
        target_vocabulary: dict[str, int] = {}
        source_ids = [[source_vocabulary.setdefault(w, len(source_vocabulary)) for w in s] for s, _ in pairs]
        target_ids = [[target_vocabulary.setdefault(w, len(target_vocabulary)) for w in t] for _, t in pairs]
        source_words = list(source_vocabulary)
        target_words = list(target_vocabulary)
        forward_seed = backward_seed = None
        if initial is not None:
            forward_seed = _seed(initial.forward, source_words, target_words)
            backward_seed = _seed(initial.backward, target_words, source_words)
        forward_counts, backward_counts = ibm1_both_directions(
            source_ids, target_ids, iterations=iterations,
            forward_seed=forward_seed, backward_seed=backward_seed,
        )
        forward = TranslationTable.from_arrays(forward_counts, source_words, target_words)
        backward = TranslationTable.from_arrays(backward_counts, target_words, source_words)
        pair_count = sum(1 for s, t in pairs if s and t)
        return cls(source_lang, target_lang, forward, backward, pair_count)

    def merge(self, other: Lexicon) -> Lexicon:
        """Add the evidence of another table for the same language pair."""
        if (other.source_lang, other.target_lang) != (self.source_lang, self.target_lang):
            if (other.source_lang, other.target_lang) == (self.target_lang, self.source_lang):
                other = other.reversed()
            else:
                raise ValueError(
                    f"cannot merge a {other.source_lang}-{other.target_lang} lexicon into "
                    f"a {self.source_lang}-{self.target_lang} one"
                )
        return Lexicon(
            self.source_lang, self.target_lang, self.forward.merged(other.forward),
            self.backward.merged(other.backward), self.pair_count + other.pair_count,
        )

    def update(self, sentence_pairs: Iterable[tuple[str, str]], *, iterations: int = DEFAULT_ITERATIONS) -> Lexicon:
        """Learn from new translation pairs (seeded by this table) and add the evidence."""
        learned = Lexicon.train(
            sentence_pairs, source_lang=self.source_lang, target_lang=self.target_lang,
            iterations=iterations, initial=self,
        )
        return self.merge(learned)

    def reversed(self) -> Lexicon:
        """The same table seen from the other language."""
        return Lexicon(self.target_lang, self.source_lang, self.backward, self.forward, self.pair_count)

    def oriented(self, source_lang: str, target_lang: str) -> Lexicon | None:
        """This table for the given direction, or None when it is for another language pair."""
        if (source_lang, target_lang) == (self.source_lang, self.target_lang):
            return self
        if (source_lang, target_lang) == (self.target_lang, self.source_lang):
            return self.reversed()
        return None

    def probability(self, source_word: str, target_word: str) -> float:
        """t(target_word | source_word)."""
        return self.forward.probability(source_word, target_word)

    def translations(self, source_word: str, top: int = 5) -> list[tuple[str, float]]:
        """The most likely translations of a source word, with t(target | source)."""
        return self.forward.translations(source_word, top)

    def to_json(self) -> str:
        """Serialise (counts, not probabilities, so that saved tables can still be merged)."""
        return json.dumps({
            "format": "tm-lexicon",
            "version": _FORMAT_VERSION,
            "source_lang": self.source_lang,
            "target_lang": self.target_lang,
            "pair_count": self.pair_count,
            "forward": {"counts": self.forward.counts, "totals": self.forward.totals},
            "backward": {"counts": self.backward.counts, "totals": self.backward.totals},
        }, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Lexicon:
        """Read a table written by `to_json`.

        Raises:
            ValueError: when the text is not a lexicon of a known version.
        """
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("format") != "tm-lexicon":
            raise ValueError("not a tm-lexicon document")
        if data.get("version") != _FORMAT_VERSION:
            raise ValueError(f"unsupported lexicon version {data.get('version')!r}")
        return cls(
            data["source_lang"], data["target_lang"],
            TranslationTable(data["forward"]["counts"], data["forward"]["totals"]),
            TranslationTable(data["backward"]["counts"], data["backward"]["totals"]),
            int(data.get("pair_count", 0)),
        )


def _seed(table: TranslationTable, given_words: Sequence[str], produced_words: Sequence[str]) -> Seed | None:
    """A vectorised t(produced | given) lookup into an earlier table, to seed EM with."""
    if not table.counts:
        return None

    def probability(given: np.ndarray, produced: np.ndarray) -> np.ndarray:
        return np.array([
            table.probability(given_words[g], produced_words[p]) if g >= 0 and p >= 0 else 0.0
            for g, p in zip(given.tolist(), produced.tolist())
        ])

    return probability
