"""Light suffix stripping for dictionary look-ups: "routes", "commençaient" and "sleeps" find
the entries "route", "commencer" and "sleep" (a minimal stemmer in the spirit of Savoy 1999's
light stemmers for French and English; not a morphological analyser)."""
from __future__ import annotations

import re

from alignment.tokens import fold

#: Words shorter than this are left alone: short words are mostly function words, whose
#: endings are not suffixes ("mais" is not a plural of "mai").
MIN_STEMMED_LETTERS = 5
#: Letters a stem keeps at least.
MIN_STEM_LETTERS = 4

# Longest first; each rule strips one ending and the loop tries again, so that
# "présidentes" loses "s", then "e", then "ent".
_ENDINGS = {
    "fr": re.compile(
        r"(?:issaient|issions|eraient|assions|erions|iraient|aient|erait|erons|eront|irent|erent"
        r"|issons|issez|issent|ions|iez|ais|ait|ant|ent|era|ira|ons|ez|er|ir|ee|es|e|s|x)$"),
    "en": re.compile(r"(?:ing|ed|es|s|e)$"),
}
_FRENCH_PLURAL_AUX = re.compile(r"aux$")
_ENGLISH_Y = re.compile(r"ie[sd]$")
_DOUBLE_S = re.compile(r"ss$")


def stem(word: str, lang: str) -> str:
    """A lower-case, accent-folded key that inflected forms of one word share.

    Languages without rules get the folded word back.

    >>> stem("commençaient", "fr"), stem("commencer", "fr"), stem("commencé", "fr")
    ('commenc', 'commenc', 'commenc')
    >>> stem("journaux", "fr"), stem("journal", "fr")
    ('journal', 'journal')
    >>> stem("cities", "en"), stem("sleeps", "en"), stem("announced", "en"), stem("announce", "en")
    ('city', 'sleep', 'announc', 'announc')
    """
    folded = fold(word)
    endings = _ENDINGS.get(lang)
    if endings is None or len(folded) < MIN_STEMMED_LETTERS:
        return folded
    if lang == "fr":
        folded = _FRENCH_PLURAL_AUX.sub("al", folded)
    elif lang == "en":
        if _ENGLISH_Y.search(folded):
            return folded[:-3] + "y"
        if _DOUBLE_S.search(folded):  # "business", "process": not plurals
            return folded
    while True:
        match = endings.search(folded)
        if match is None or match.start() < MIN_STEM_LETTERS:
            return folded
        folded = folded[:match.start()]
