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

from alignment.inflection import stem
from alignment.sparse import SparseRows
from alignment.tokens import WORD

#: Bundled dictionaries by (source language, target language), files under alignment/data.
BUNDLED_DICTIONARIES = {("fr", "en"): "fr-en.txt"}


def primary_language(lang: str) -> str:
    """The primary subtag of a language tag: "fr-CA", "fr_CA" and "FR" are all "fr"."""
    return lang.replace("_", "-").split("-")[0].lower()


@dataclass(frozen=True)
class SeedDictionary:
    """Source words and their translations; a word's translations are equally likely.

    Words the dictionary lacks are looked up by their light stem (`alignment.inflection`),
    so that one entry covers a word's inflections.
    """

    source_lang: str
    target_lang: str
    entries: Mapping[str, frozenset[str]]

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
        """The entry of a lower-case word, else of the words that share its stem.

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

    def tables(self, source_vocabulary: list[str], target_vocabulary: list[str]) -> tuple[SparseRows, SparseRows]:
        """t(target | source) and t(source | target) over two batch vocabularies.

        A word's probability mass is shared equally among its translations; a translation
        matches every vocabulary word of the same stem ("sleep" matches "sleeps").
        """
        return (
            _table(self, source_vocabulary, target_vocabulary),
            _table(self.reversed(), target_vocabulary, source_vocabulary),
        )


@lru_cache(maxsize=8)
def _load_bundled(source_lang: str, target_lang: str) -> SeedDictionary:
    name = BUNDLED_DICTIONARIES[source_lang, target_lang]
    text = (resources.files("alignment") / "data" / name).read_text(encoding="utf-8")
    return SeedDictionary.parse(text.splitlines(), source_lang=source_lang, target_lang=target_lang)


def _table(dictionary: SeedDictionary, given_vocabulary: list[str], produced_vocabulary: list[str]) -> SparseRows:
    produced_by_stem: dict[str, list[int]] = {}
    for index, word in enumerate(produced_vocabulary):
        produced_by_stem.setdefault(stem(word, dictionary.target_lang), []).append(index)
    translation_columns: dict[str, list[int]] = {}
    rows, columns, values = [], [], []
    for row, word in enumerate(given_vocabulary):
        translations = dictionary.translations(word)
        if not translations:
            continue
        share = 1.0 / len(translations)
        for translation in translations:
            found = translation_columns.get(translation)
            if found is None:
                found = produced_by_stem.get(stem(translation, dictionary.target_lang), [])
                translation_columns[translation] = found
            for column in found:
                rows.append(row)
                columns.append(column)
                values.append(share)
    return SparseRows.from_entries(
        np.asarray(rows, dtype=np.int64), np.asarray(columns, dtype=np.int64),
        np.asarray(values, dtype=np.float64), len(given_vocabulary), len(produced_vocabulary),
    )
