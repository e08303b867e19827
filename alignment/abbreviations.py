"""Abbreviations and sentence starters that steer the sentence splitter, per language.

Written by hand from common usage (style guides of French, English and German newsrooms);
the lists are small on purpose: rules for initials and dotted acronyms cover the rest.
"""
from __future__ import annotations

# Titles and words that are never followed by a sentence boundary (case-sensitive).
_TITLES = {
    "fr": {
        "M.", "MM.", "Mme.", "Mmes.", "Mlle.", "Mlles.", "Me.", "Mgr.", "Dr.", "Dre.", "Pr.",
        "St.", "Ste.", "Sts.", "Hon.", "L'hon.", "l'hon.",
    },
    "en": {
        "Mr.", "Mrs.", "Ms.", "Messrs.", "Dr.", "Prof.", "St.", "Rev.", "Hon.", "Sen.",
        "Rep.", "Gov.", "Gen.", "Col.", "Lt.", "Sgt.", "Capt.", "Cmdr.", "Adm.", "Maj.",
        "Mt.", "Ft.", "Pres.", "Supt.",
    },
    "de": {"Hr.", "Hrn.", "Fr.", "Dr.", "Prof.", "St.", "Nr.", "Dipl.", "Ing."},
}

# Abbreviations (lower-cased) that do not end a sentence when followed by a word.
_NON_BREAKING = {
    "fr": {
        "p.", "ex.", "p.ex.", "c.-à-d.", "c.à.d.", "cf.", "env.", "av.", "boul.", "bd.",
        "ch.", "chap.", "art.", "vol.", "éd.", "fig.", "tél.", "téléc.", "no.", "nº.",
        "min.", "max.", "sq.", "suiv.", "dép.", "apr.", "av.-j.-c.", "hab.", "ibid.",
        "op.", "cit.", "coll.", "dir.", "cie.", "ste.", "vve.", "rte.", "bur.",
        "janv.", "févr.", "avr.", "juil.", "sept.", "oct.", "nov.", "déc.",
    },
    "en": {
        "e.g.", "i.e.", "cf.", "vs.", "approx.", "est.", "dept.", "no.", "nos.", "vol.",
        "fig.", "figs.", "ch.", "art.", "sec.", "ave.", "blvd.", "rd.", "tel.", "ext.",
        "p.", "pp.", "para.", "ed.", "eds.", "ibid.", "viz.", "al.",
        "jan.", "feb.", "mar.", "apr.", "aug.", "sept.", "sep.", "oct.", "nov.", "dec.",
    },
    "de": {
        "z.b.", "z.", "b.", "d.h.", "u.a.", "usw.", "vgl.", "bzw.", "ca.", "evtl.", "ggf.", "bzgl.",
        "inkl.", "nr.", "s.", "str.", "bspw.", "sog.", "u.", "v.", "o.", "i.", "e.",
        "jh.", "jhd.", "abs.", "abb.", "bd.", "hrsg.", "mio.", "mrd.", "tel.", "geb.",
        "gest.", "chr.", "ev.", "kath.", "röm.", "ital.", "franz.", "engl.", "dt.",
        "jan.", "feb.", "febr.", "aug.", "sept.", "okt.", "nov.", "dez.",
    },
}

_GENERIC_NON_BREAKING = {"e.g.", "i.e.", "cf.", "vs.", "ca.", "approx.", "p.", "pp.", "fig."}

# Abbreviations that never end a sentence when a number follows (p. 12, no 5, Nr. 3).
_BEFORE_NUMBER = {
    "p.", "pp.", "no.", "nos.", "nº.", "nr.", "art.", "vol.", "ch.", "chap.", "fig.",
    "sec.", "para.", "tel.", "tél.", "s.", "abs.", "abb.", "bd.", "env.", "ca.", "approx.",
    "op.", "jan.", "feb.", "févr.", "janv.",
}

# Words that typically open a sentence; they break the tie after an ambiguous abbreviation.
_SENTENCE_STARTERS = {
    "fr": {
        "Le", "La", "Les", "L", "Un", "Une", "Des", "Ce", "Cet", "Cette", "Ces", "Il", "Elle",
        "Ils", "Elles", "On", "Nous", "Vous", "Je", "J", "Mais", "Et", "Or", "Donc", "En",
        "Dans", "Pour", "Selon", "Au", "Aux", "Du", "De", "D", "Depuis", "Alors", "Après",
        "Avant", "Par", "Sur", "Si", "Toutefois", "Cependant", "Ainsi", "Enfin", "Puis",
        "C", "Qu", "Quand", "Lorsque", "Comme", "Son", "Sa", "Ses", "Leur", "Leurs",
    },
    "en": {
        "The", "A", "An", "It", "He", "She", "They", "We", "I", "You", "This", "That",
        "These", "Those", "In", "On", "At", "For", "But", "And", "If", "As", "After",
        "Before", "When", "While", "There", "Its", "His", "Her", "Our", "Their", "However",
        "Also", "Since", "Then", "Yet", "So", "Meanwhile", "According",
    },
    "de": {
        "Der", "Die", "Das", "Ein", "Eine", "Es", "Er", "Sie", "Wir", "Ich", "Im", "In",
        "Am", "Auf", "Mit", "Nach", "Vor", "Bei", "Aber", "Und", "Dies", "Diese", "Dieser",
        "Dieses", "Den", "Dem", "Doch", "So", "Auch", "Damit", "Dann", "Seit", "Als", "Wenn",
    },
}

_MONTHS_DE = {
    "Januar", "Jänner", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
    "September", "Oktober", "November", "Dezember",
}


_ALL_TITLES = frozenset(set().union(*_TITLES.values()))


def titles() -> frozenset[str]:
    """Return the case-sensitive titles of all languages: "Mr." never ends a French sentence."""
    return _ALL_TITLES


def non_breaking(lang: str) -> frozenset[str]:
    """Return the lower-cased abbreviations of `lang` that never end a sentence."""
    return frozenset(_NON_BREAKING.get(lang) or _GENERIC_NON_BREAKING)


def before_number() -> frozenset[str]:
    """Return the lower-cased abbreviations that are never sentence-final before a number."""
    return frozenset(_BEFORE_NUMBER)


def sentence_starters(lang: str) -> frozenset[str]:
    """Return words that open sentences in `lang` (generic: the union of all languages)."""
    return frozenset(_SENTENCE_STARTERS.get(lang) or set().union(*_SENTENCE_STARTERS.values()))


def is_month_before_ordinal(word: str, lang: str) -> bool:
    """True for a German month name, which follows an ordinal such as ``3.``."""
    return lang == "de" and word in _MONTHS_DE
