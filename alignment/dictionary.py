"""A bilingual seed dictionary as prior evidence: word pairs it lists count as shared between two
sentences from the first pass on, as hunalign's dictionary does (Varga et al. 2005).

The package ships a French-English dictionary (data/fr-en.txt), used in both directions;
other language pairs have none and align as before.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources

import numpy as np

from alignment.background import COMMON_WORD_SHARE, common_words
from alignment.inflection import stem
from alignment.sides import TokenRows
from alignment.tokens import WORD

#: Bundled dictionaries by (source language, target language), files under alignment/data.
BUNDLED_DICTIONARIES = {("fr", "en"): "fr-en.txt"}


def primary_language(lang: str) -> str:
    """The primary subtag of a language tag: "fr-CA", "fr_CA" and "FR" are all "fr"."""
    return lang.replace("_", "-").split("-")[0].lower()


@dataclass(frozen=True)
class SeedDictionary:
    """Source words (lower-case) and their translations.

    Words the dictionary lacks are looked up by their light stem (`alignment.inflection`),
    so that one entry covers a word's inflections. Languages are kept as primary subtags.
    """

    source_lang: str
    target_lang: str
    entries: Mapping[str, frozenset[str]]

    def __post_init__(self) -> None:
        object.__setattr__(self, "source_lang", primary_language(self.source_lang))
        object.__setattr__(self, "target_lang", primary_language(self.target_lang))

    @classmethod
    def parse(cls, lines: Iterable[str], *, source_lang: str, target_lang: str) -> SeedDictionary:
        """Read "source<TAB>target" lines; blank lines and "#" comments are skipped.

        Raises:
            ValueError: for a line that is not two single words separated by a tab.
        """
        entries: dict[str, set[str]] = {}
        for number, line in enumerate(lines, start=1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            fields = line.split("\t")
            if len(fields) != 2 or not all(WORD.fullmatch(word) for word in fields):
                raise ValueError(f"line {number}: expected two words separated by a tab: {line!r}")
            entries.setdefault(fields[0].lower(), set()).add(fields[1].lower())
        return cls(source_lang, target_lang, {word: frozenset(words) for word, words in entries.items()})

    @classmethod
    def bundled(cls, source_lang: str, target_lang: str) -> SeedDictionary | None:
        """The dictionary shipped for this language pair, in this direction, or None."""
        source_lang, target_lang = primary_language(source_lang), primary_language(target_lang)
        if (source_lang, target_lang) in BUNDLED_DICTIONARIES:
            return _load_bundled(source_lang, target_lang)
        if (target_lang, source_lang) in BUNDLED_DICTIONARIES:
            return _load_bundled(target_lang, source_lang).reversed()
        return None

    def reversed(self) -> SeedDictionary:
        """The same pairs seen from the other language."""
        return self._reversed

    @cached_property
    def _reversed(self) -> SeedDictionary:
        entries: dict[str, set[str]] = {}
        for word, translations in self.entries.items():
            for translation in translations:
                entries.setdefault(translation, set()).add(word)
        return SeedDictionary(self.target_lang, self.source_lang,
                              {word: frozenset(words) for word, words in entries.items()})

    def __len__(self) -> int:
        return sum(len(translations) for translations in self.entries.values())

    def translations(self, word: str) -> frozenset[str]:
        """The entry of a lower-case word, else those of the words that share its stem.

        >>> french = SeedDictionary.bundled("fr", "en")
        >>> sorted(french.translations("dort")), sorted(french.translations("routes"))
        (['sleeps'], ['highways', 'roads'])
        """
        found = self.entries.get(word)
        if found is not None:
            return found
        return self._by_stem.get(stem(word, self.source_lang), frozenset())

    @cached_property
    def _by_stem(self) -> dict[str, frozenset[str]]:
        index: dict[str, set[str]] = {}
        for word, translations in self.entries.items():
            index.setdefault(stem(word, self.source_lang), set()).update(translations)
        return {key: frozenset(words) for key, words in index.items()}

    def shared_keys(self, source_words: TokenRows, source_vocabulary: list[str],
                    target_words: TokenRows, target_vocabulary: list[str]) -> tuple[TokenRows, TokenRows, int]:
        """Both sides' words as keys of one space, the stems of the target language's words: a
        source word stands for its translations, a target word for itself when it is one.

        Two sentences then share a key for every word pair the dictionary lists, whatever the
        inflection, as hunalign's dictionary matches do (Varga et al. 2005). Returns the
        source rows, the target rows and the number of keys.
        """
        by_word, by_stem, key_ids = self._keys
        no_keys: tuple[int, ...] = ()
        source_keys = []
        for word in source_vocabulary:
            keys = by_word.get(word)
            source_keys.append(keys if keys is not None else by_stem.get(stem(word, self.source_lang), no_keys))
        target_lookup = np.fromiter(
            (key_ids.get(stem(word, self.target_lang), -1) for word in target_vocabulary),
            dtype=np.int64, count=len(target_vocabulary))
        table = TokenRows.from_lists(source_keys)
        source_rows = table.gather(source_words.ids).regrouped(source_words.indptr)
        return source_rows, target_words.mapped(target_lookup), max(len(key_ids), 1)

    @cached_property
    def key_background(self) -> np.ndarray:
        """Each key's share of ordinary sentences (`alignment.background`): common words' keys
        are frequent whatever the batch."""
        _, _, key_ids = self._keys
        shares = np.zeros(max(len(key_ids), 1))
        for word in common_words(self.target_lang):
            key = key_ids.get(stem(word, self.target_lang))
            if key is not None:
                shares[key] = COMMON_WORD_SHARE
        return shares

    @cached_property
    def _keys(self) -> tuple[dict[str, tuple[int, ...]], dict[str, tuple[int, ...]], dict[str, int]]:
        """The key ids of each source word's translations, by word and by the word's stem, and
        the id of every key (a target stem)."""
        # Sorted, so that columns come in the same order in every process (set order varies).
        stems = {stem(translation, self.target_lang)
                 for translations in self.entries.values() for translation in translations}
        key_ids = {key: k for k, key in enumerate(sorted(stems))}

        def keys(translations: frozenset[str]) -> tuple[int, ...]:
            return tuple(sorted({key_ids[stem(translation, self.target_lang)] for translation in translations}))

        return ({word: keys(translations) for word, translations in self.entries.items()},
                {key: keys(translations) for key, translations in self._by_stem.items()},
                key_ids)


@lru_cache(maxsize=8)
def _load_bundled(source_lang: str, target_lang: str) -> SeedDictionary:
    name = BUNDLED_DICTIONARIES[source_lang, target_lang]
    text = (resources.files("alignment") / "data" / name).read_text(encoding="utf-8")
    return SeedDictionary.parse(text.splitlines(), source_lang=source_lang, target_lang=target_lang)
