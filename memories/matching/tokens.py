"""Tokens for matching: case-folded words with French elision split off, placeables and punctuation.

One tokeniser serves the index and the exact scores, so the index's word keys are exactly the
keys the similarity compares. A word's key is its case-folded text with every apostrophe made
``'``; accents are kept (``ou`` and ``où`` are different words). French elided articles and
pronouns are words of their own (``l’homme`` -> ``l'`` ``homme``), as are English possessives
(``Tom’s`` -> ``tom`` ``'s``); hyphens separate words (``Nouveau-Brunswick``). A placeable
(number, amount, percentage, date, time) is one token whose key is its kind (``<number>``), so
two sentences that differ only in a number have the same keys.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from memories.placeables import Placeable, extract_placeables, is_french

WORD = "word"
PLACEABLE = "placeable"
PUNCTUATION = "punctuation"

_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "′": "'"})
_ELISIONS = "l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu|presqu"
_LETTERS = r"[^\W_]"
_FRENCH_WORDS = re.compile(
    rf"(?<![^\W_])(?i:{_ELISIONS})['’ʼ](?={_LETTERS})|{_LETTERS}+(?:['’ʼ]{_LETTERS}+)*"
)
_ENGLISH_WORDS = re.compile(
    rf"{_LETTERS}+(?:['’ʼ](?![sS](?![^\W_])){_LETTERS}+)*|['’ʼ][sS](?![^\W_])"
)
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True, slots=True)
class Token:
    """A word, placeable or punctuation mark of a text, with its span and its comparison key."""

    kind: str
    start: int
    end: int
    text: str
    key: str
    placeable: Placeable | None = None


def prepare(text: str) -> str:
    """Return `text` in NFC without leading or trailing whitespace, as every score sees it."""
    return unicodedata.normalize("NFC", text).strip()


@lru_cache(maxsize=64)
def _word_pattern(lang: str) -> re.Pattern:
    return _FRENCH_WORDS if is_french(lang) else _ENGLISH_WORDS


def word_key(text: str) -> str:
    return text.translate(_APOSTROPHES).casefold()


def placeable_key(placeable: Placeable) -> str:
    return f"<{placeable.kind}>"


def tokenize(text: str, lang: str) -> list[Token]:
    """Split a prepared text into words, placeables and punctuation, in order.

    >>> [t.key for t in tokenize("L’usine emploie 1 500 personnes.", "fr")]
    ["l'", 'usine', 'emploie', '<number>', 'personnes', '.']
    """
    return _tokenize(text, lang, extract_placeables(text, lang))


def _tokenize(text: str, lang: str, placeables: list[Placeable]) -> list[Token]:
    words = _word_pattern(lang)
    tokens: list[Token] = []
    position = 0
    for placeable in placeables:
        _scan(text, position, placeable.start, words, tokens)
        tokens.append(
            Token(PLACEABLE, placeable.start, placeable.end, placeable.text, placeable_key(placeable), placeable)
        )
        position = placeable.end
    _scan(text, position, len(text), words, tokens)
    return tokens


def _scan(text: str, start: int, end: int, words: re.Pattern, tokens: list[Token]) -> None:
    position = start
    for match in words.finditer(text, start, end):
        _punctuation(text, position, match.start(), tokens)
        tokens.append(Token(WORD, match.start(), match.end(), match.group(), word_key(match.group())))
        position = match.end()
    _punctuation(text, position, end, tokens)


def _punctuation(text: str, start: int, end: int, tokens: list[Token]) -> None:
    for index in range(start, end):
        char = text[index]
        if not char.isspace():
            tokens.append(Token(PUNCTUATION, index, index + 1, char, char))


def keys(text: str, lang: str) -> tuple[list[str], list[str]]:
    """Return the word keys (words and placeables, no punctuation) of a prepared text, fast,
    with the search terms of its placeables' values (for concordance).

    Equal to the keys of `tokenize` without punctuation; the index calls this for every unit.
    """
    words = _word_pattern(lang)
    if not _DIGIT.search(text):
        return [word.translate(_APOSTROPHES).casefold() for word in words.findall(text)], []
    placeables = extract_placeables(text, lang)
    if not placeables:
        return [word.translate(_APOSTROPHES).casefold() for word in words.findall(text)], []
    result = [token.key for token in _tokenize(text, lang, placeables) if token.kind != PUNCTUATION]
    return result, ["#" + placeable.term for placeable in placeables]
