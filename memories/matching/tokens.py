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
from functools import lru_cache
from typing import NamedTuple

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


class Token(NamedTuple):
    """A word, placeable or punctuation mark of a text, with its span and its comparison key.

    A named tuple rather than a frozen dataclass: the matcher makes thousands per query.
    """

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
    append = tokens.append
    for match in _with_marks(words).finditer(text, start, end):
        word = match.group()
        if match.lastgroup == "mark":
            append(Token(PUNCTUATION, match.start(), match.end(), word, word))
        else:
            append(Token(WORD, match.start(), match.end(), word, word.translate(_APOSTROPHES).casefold()))


@lru_cache(maxsize=4)
def _with_marks(words: re.Pattern) -> re.Pattern:
    """`words`, or else one punctuation mark (any other character but a space)."""
    return re.compile(f"(?P<word>{words.pattern})|(?P<mark>[^\\w\\s]|_)")


def keys(text: str, lang: str) -> tuple[list[str], list[str]]:
    """Return the word keys (words and placeables, no punctuation) of a prepared text, fast,
    with the search terms of its placeables' values (for concordance).

    Equal to the keys of `tokenize` without punctuation; the index calls this for every unit.

    >>> keys("L’usine emploie 1 500 personnes.", "fr")
    (["l'", 'usine', 'emploie', '<number>', 'personnes'], ['#number:1500'])
    """
    words = _word_pattern(lang)
    placeables = extract_placeables(text, lang) if _DIGIT.search(text) else ()
    if not placeables:
        return _folded(words.findall(text)), []
    found: list[str] = []
    position = 0
    for placeable in placeables:
        found.extend(_folded(words.findall(text, position, placeable.start)))
        found.append(placeable_key(placeable))
        position = placeable.end
    found.extend(_folded(words.findall(text, position)))
    return found, ["#" + placeable.term for placeable in placeables]


def _folded(words: list[str]) -> list[str]:
    # Case folding maps each character on its own, so folding the joined words folds each.
    if not words:
        return words
    return "\x00".join(words).translate(_APOSTROPHES).casefold().split("\x00")
