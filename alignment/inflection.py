"""Light suffix stripping for dictionary look-ups: "routes", "commençaient" and "sleeps" find
the entries "route", "commencer" and "sleep" (a minimal stemmer in the spirit of Savoy 1999's
light stemmers for French and English; not a morphological analyser)."""
from __future__ import annotations

from alignment.tokens import fold

#: Words shorter than this are left alone: short words are mostly function words, whose
#: endings are not suffixes ("mais" is not a plural of "mai").
MIN_STEMMED_LETTERS = 5
#: Letters a stem keeps at least.
MIN_STEM_LETTERS = 4

# Longest first; each rule strips one ending and the loop tries again, so that
# "présidentes" loses "s", then "e", then "ent".
_ENDINGS = {
    "fr": ("issaient", "eraient", "iraient", "assions", "issions", "erions", "issent", "issons",
           "aient", "erait", "erons", "eront", "irent", "erent", "issez", "ions", "ais", "ait",
           "ant", "ent", "era", "ira", "ons", "iez", "ez", "er", "ir", "ee", "es", "e", "s", "x"),
    "en": ("ing", "ed", "es", "s", "e"),
}


def stem(word: str, lang: str) -> str:
    """A lower-case, accent-folded key that inflected forms of one word share.

    The longest ending that leaves MIN_STEM_LETTERS is stripped, again and again. Languages
    without rules get the folded word back.

    >>> stem("commençaient", "fr"), stem("commencer", "fr"), stem("commencé", "fr")
    ('commenc', 'commenc', 'commenc')
    >>> stem("journaux", "fr"), stem("journal", "fr")
    ('journal', 'journal')
    >>> stem("cities", "en"), stem("sleeps", "en"), stem("announced", "en"), stem("announce", "en")
    ('city', 'sleep', 'announc', 'announc')
    """
    folded = fold(word)
    endings = _ENDINGS.get(lang)
    if endings is None or len(folded) < MIN_STEMMED_LETTERS or not folded.endswith(endings):
        return folded
    if lang == "fr":
        if folded.endswith("aux"):
            folded = folded[:-3] + "al"
    elif folded.endswith(("ies", "ied")):
        return folded[:-3] + "y"
    elif folded.endswith("ss"):  # "business", "process": not plurals
        return folded
    by_length = _ENDINGS_BY_LENGTH[lang]
    while True:
        for length, same_length in by_length:
            if folded[-length:] in same_length:
                if len(folded) - length < MIN_STEM_LETTERS:
                    return folded
                folded = folded[:-length]
                break
        else:
            return folded


# Endings grouped by length, longest first: a few set look-ups per word instead of a scan.
_ENDINGS_BY_LENGTH = {
    lang: [(length, frozenset(e for e in endings if len(e) == length))
           for length in sorted({len(e) for e in endings}, reverse=True)]
    for lang, endings in _ENDINGS.items()
}
