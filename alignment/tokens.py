"""Language-light token extraction: words, numbers, names and punctuation that both sides share."""
from __future__ import annotations

import re
import unicodedata

WORD = re.compile(r"[^\W\d_]+")
_DIGIT = re.compile(r"\d")
# "1 500" (space-grouped thousands) first, then "89,2", "1,500.25", "2016".
_NUMBER = re.compile(r"(?<![\d.,])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d])|\d+(?:[.,]\d+)*")
_NOT_DIGIT = re.compile(r"\D")
_PUNCTUATION = {
    "?": "question", "!": "exclamation", ":": "colon", ";": "semicolon", "(": "parenthesis",
    "%": "percent", "\u00ab": "quote", "\u201c": "quote", '"': "quote", "\u2014": "dash",
}
_PUNCTUATION_CHARACTERS = re.compile("[" + re.escape("".join(_PUNCTUATION)) + "]")
#: Month names of French, English, German, Spanish, Italian, Dutch and Portuguese.
MONTH_NAMES = {
    name: number
    for number, names in enumerate([
        "janvier january januar jänner enero gennaio januari janeiro",
        "février fevrier february februar febrero febbraio februari fevereiro",
        "mars march märz marz marzo maart março",
        "avril april abril aprile",
        "mai may maggio mayo mei maio",
        "juin june juni junio giugno junho",
        "juillet july juli julio luglio julho",
        "août aout august agosto augustus",
        "septembre september septiembre settembre setembro",
        "octobre october oktober octubre ottobre oktober outubro",
        "novembre november noviembre novembro",
        "décembre decembre december dezember diciembre dicembre dezembro",
    ], start=1)
    for name in names.split()
}
_VERB_MONTHS = {"may", "march"}

#: Words this long or longer yield a cognate key (shorter ones are mostly function words).
COGNATE_MIN_LETTERS = 5
_COGNATE_PREFIX = 4


def words(text: str) -> list[str]:
    """Lower-cased letter runs: "L'inflation a dérapé" -> ["l", "inflation", "a", "dérapé"]."""
    return WORD.findall(text.lower())


def numbers(text: str) -> list[str]:
    """Numbers as bare digit strings, so that 89,2 / 89.2 and 1 500 / 1,500 agree.

    >>> numbers("89,2 millions, 1 500 emplois, 2016")
    ['892', '1500', '2016']
    """
    if not _DIGIT.search(text):
        return []
    return [_NOT_DIGIT.sub("", match) for match in _NUMBER.findall(text)]


def month_key(word: str) -> str | None:
    """A month name's number, in any language of MONTH_NAMES: dates are numbers in words.

    English "may" and "march" count only capitalised, where they are not verbs.

    >>> month_key("mai"), month_key("May"), month_key("may"), month_key("Dezember")
    ('month:5', 'month:5', None, 'month:12')
    """
    lowered = word.lower()
    number = MONTH_NAMES.get(lowered)
    if number is None or (lowered in _VERB_MONTHS and not word[0].isupper()):
        return None
    return f"month:{number}"


def punctuation(text: str) -> list[str]:
    """Names of the telling punctuation marks in `text` (question, quote, colon, ...)."""
    return [_PUNCTUATION[mark] for mark in _PUNCTUATION_CHARACTERS.findall(text)]


def cognate_key(word: str) -> str | None:
    """The first four letters of a longer word, accents folded (Simard et al. 1992).

    >>> cognate_key("économique"), cognate_key("economic"), cognate_key("dans")
    ('econ', 'econ', None)
    """
    if len(word) < COGNATE_MIN_LETTERS:
        return None
    return fold(word)[:_COGNATE_PREFIX]


def name_key(word: str) -> str | None:
    """A capitalised word's key as a name ("Québec" -> "quebec"); None for other words."""
    if len(word) < 2 or not word[0].isupper():
        return None
    return fold(word)


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Latin letters with diacritics, folded once: str.translate is ~20x faster than NFKD per word.
_LATIN_FOLD = {code: _strip_marks(chr(code)) for code in range(0xC0, 0x250)
               if _strip_marks(chr(code)) != chr(code)}
_LAST_FOLDED = 0x24F


def fold(word: str) -> str:
    """Lower-case and strip accents: "Économique" -> "economique"."""
    lowered = word.lower()
    if lowered.isascii():
        return lowered
    if max(lowered) <= chr(_LAST_FOLDED):
        return lowered.translate(_LATIN_FOLD)
    return _strip_marks(lowered)
