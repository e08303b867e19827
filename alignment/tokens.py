"""Language-light token extraction: words, numbers, names and punctuation that both sides share."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_WORD = re.compile(r"[^\W\d_]+")
_DIGIT = re.compile(r"\d")
# "1 500" (space-grouped thousands) first, then "89,2", "1,500.25", "2016".
_NUMBER = re.compile(r"(?<![\d.,])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d])|\d+(?:[.,]\d+)*")
_NOT_DIGIT = re.compile(r"\D")
_PUNCTUATION = {
    "?": "question", "!": "exclamation", ":": "colon", ";": "semicolon", "(": "parenthesis",
    "%": "percent", "\u00ab": "quote", "\u201c": "quote", '"': "quote", "\u2014": "dash",
}
_PUNCTUATION_CHARACTERS = re.compile("[" + re.escape("".join(_PUNCTUATION)) + "]")


@dataclass(frozen=True)
class Tokens:
    """What one sentence offers as cross-lingual evidence."""

    words: list[str]
    numbers: list[str]
    names: list[str]
    punctuation: list[str]

    @property
    def cognates(self) -> list[str]:
        """Four-letter prefixes of longer words, accents folded (Simard et al. 1992)."""
        return [fold(word)[:4] for word in self.words if len(word) >= 5]


def analyse(text: str) -> Tokens:
    """Extract lower-cased words, numbers, capitalised names and telling punctuation.

    >>> analyse("En 2016, M. Gallant a vendu 1 500 pommes à 89,2 $ ?")
    Tokens(words=['en', 'm', 'gallant', 'a', 'vendu', 'pommes', 'à'], numbers=['2016', '1500', '892'], names=['gallant'], punctuation=['question'])
    """
    cased = _WORD.findall(text)
    words = [word.lower() for word in cased]
    # A capitalised word that does not open the sentence is most likely a name.
    names = [fold(word) for word in cased[1:] if word[0].isupper() and len(word) > 1]
    found_numbers = numbers(text) if _DIGIT.search(text) else []
    return Tokens(words, found_numbers, names, punctuation(text))


def words(text: str) -> list[str]:
    """Lower-cased letter runs: "L'inflation a dérapé" -> ["l", "inflation", "a", "dérapé"]."""
    return _WORD.findall(text.lower())


def numbers(text: str) -> list[str]:
    """Numbers as bare digit strings, so that 89,2 / 89.2 and 1 500 / 1,500 agree.

    >>> numbers("89,2 millions, 1 500 emplois, 2016")
    ['892', '1500', '2016']
    """
    return [_NOT_DIGIT.sub("", match) for match in _NUMBER.findall(text)]


def punctuation(text: str) -> list[str]:
    """Names of the telling punctuation marks in `text` (question, quote, colon, ...)."""
    return [_PUNCTUATION[mark] for mark in _PUNCTUATION_CHARACTERS.findall(text)]


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """Lower-case and strip accents: "Économique" -> "economique"."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
