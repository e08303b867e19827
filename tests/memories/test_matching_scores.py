"""Known values of the two scores, the bands, the diff and placeable repair (no database)."""
from __future__ import annotations

import pytest

from memories.matching.diff import diff
from memories.matching.repair import repair
from memories.matching.scores import band, compare, quality, similarity
from memories.matching.tokens import keys, prepare, tokenize
from memories.placeables import FRENCH_SPACE as NB

SENTENCE = "Le gouvernement a annoncé hier un nouveau programme pour les familles."


@pytest.mark.parametrize(
    "query, source, expected",
    [
        ("kitten", "sitting", 100 * (1 - 3 / 7)),
        ("Le chat", "Le chat", 100.0),
        ("Le chat", "le chat", 100 * (1 - 1 / 7)),
        ("abc", "", 0.0),
        # raw strings: the surrounding space counts
        ("Le chat", " Le chat", 100 * (1 - 1 / 8)),
    ],
)
def test_quality_is_amagamas_levenshtein_score(query, source, expected):
    assert quality(query, source) == pytest.approx(expected)


def test_quality_agrees_with_the_translate_toolkit():
    lshtein = pytest.importorskip("translate.search.lshtein")
    for query, source in [("kitten", "sitting"), (SENTENCE, SENTENCE.replace("hier", "aujourd’hui"))]:
        assert quality(query, source) == pytest.approx(lshtein.LevenshteinComparer(1000).similarity(query, source, 0))


@pytest.mark.parametrize(
    "query, source, expected",
    [
        (SENTENCE, SENTENCE, 100.0),
        (SENTENCE, "  " + SENTENCE + "\n", 100.0),  # surrounding whitespace is not a difference
        (SENTENCE, SENTENCE.lower(), 99.0),  # case
        (SENTENCE, SENTENCE[:-1], 99.0),  # punctuation
        (SENTENCE, SENTENCE.replace("hier un", "hier  un"), 99.0),  # whitespace
        (SENTENCE, SENTENCE.lower()[:-1] + " !", 97.0),  # case, punctuation and whitespace
        ("L’usine emploie 1 500 personnes.", "L’usine emploie 1 200 personnes.", 99.0),  # one number
        ("L’usine emploie 1 500 personnes.", "L'usine emploie 1 500 personnes.", 99.0),  # apostrophe
        ("Le 27 novembre 2026 à 14 h 30, 3 % de 40 $.", "Le 3 mars 2025 à 9 h, 5 % de 45 $.", 96.0),  # four placeables
        ("Le 27 novembre 2026 à 14 h 30, 3 % de 40 $.", "le 3 mars 2025 à 9 h, 5 % de 45 $ !", 95.0),  # capped
        ("Elle vient à 9 h.", "Elle vient à 10 h.", 99.0),
        # one word of ten replaced: 100 * (1 - 1/10)
        ("un deux trois quatre cinq six sept huit neuf dix", "un deux trois quatre cinq six sept huit neuf onze", 90.0),
        # one word of eleven replaced: 100 * (1 - 1/11)
        (SENTENCE, SENTENCE.replace("hier", "aujourd’hui"), 90.91),
        # one word of eleven dropped, and the punctuation: 100 * (1 - 1/11) - 1
        (SENTENCE, SENTENCE.replace(" hier", "").replace(".", " !"), 89.91),
        # one word of 21 replaced would score 95.24: a changed word never reaches 95
        ("a b c d e f g h i j k l m n o p q r s t u", "a b c d e f g h i j k l m n o p q r s t x", 94.0),
        # two of ten replaced, case of a third
        ("un deux trois quatre cinq six sept huit neuf dix", "Un deux trois quatre cinq six sept huit onze douze", 79.0),
        ("un deux trois", "quatre cinq six", 0.0),
    ],
)
def test_similarity_known_values(query, source, expected):
    assert similarity(query, source, "fr") == pytest.approx(expected, abs=0.005)


def test_similarity_is_symmetric_for_these():
    assert similarity("Tom’s dog barks.", "Tom's dog barks", "en") == similarity("Tom's dog barks", "Tom’s dog barks.", "en") == 99.0


@pytest.mark.parametrize(
    "score, name",
    [(101, "101"), (100, "100"), (99.99, "95-99"), (95, "95-99"), (94.99, "85-94"), (85, "85-94"), (84, "75-84"),
     (75, "75-84"), (74.99, "50-74"), (50, "50-74"), (49.99, "<50"), (0, "<50")],
)
def test_bands(score, name):
    assert band(score) == name


def test_french_elision_and_accents():
    words, _ = keys("L’homme qu’il voit aujourd’hui où il était.", "fr")
    assert words == ["l'", "homme", "qu'", "il", "voit", "aujourd'hui", "où", "il", "était"]
    assert keys("Où est-il ?", "fr")[0] != keys("Ou est-il ?", "fr")[0]  # accents count
    assert keys("L'HOMME", "fr")[0] == keys("l’homme", "fr")[0]


def test_keys_equal_the_tokens_words():
    for text, lang in [("Le 27 novembre 2026, l’usine a reçu 89,2 millions de dollars.", "fr"), ("Tom’s 3 cats, 9 a.m.", "en")]:
        assert keys(text, lang)[0] == [t.key for t in tokenize(text, lang) if t.kind != "punctuation"]


def _compare(query: str, source: str, lang: str = "fr"):
    query, source = prepare(query), prepare(source)
    return compare(query, tokenize(query, lang), source, tokenize(source, lang))


def test_diff_spans_index_the_query():
    query = "Le gouvernement a annoncé aujourd’hui un programme pour les Familles."
    spans = diff(query, SENTENCE, _compare(query, SENTENCE))
    assert [(s.op, s.text, s.source_text) for s in spans] == [
        ("replace", "aujourd’hui", "hier"),
        ("missing", "", "nouveau"),
        ("case", "Familles", "familles"),
    ]
    assert all(query[s.start : s.end] == s.text for s in spans)
    extra = diff(SENTENCE + " Merci", SENTENCE, _compare(SENTENCE + " Merci", SENTENCE))
    assert [(s.op, s.text) for s in extra] == [("extra", "Merci")]


@pytest.mark.parametrize(
    "query, source, target, target_lang, repaired",
    [
        ("Le projet coûte 89,2 millions de dollars.", "Le projet coûte 75 millions de dollars.",
         "The project costs $75 million.", "en", "The project costs $89.2 million."),
        ("The project costs $89.2 million.", "The project costs $75 million.",
         "Le projet coûte 75 millions de dollars.", "fr", "Le projet coûte 89,2 millions de dollars."),
        ("L’usine emploie 1 500 personnes.", "L’usine emploie 1 200 personnes.",
         "The plant employs 1,200 people.", "en", "The plant employs 1,500 people."),
        ("The plant employs 1,500 people.", "The plant employs 1,200 people.",
         "L’usine emploie 1 200 personnes.", "fr", f"L’usine emploie 1{NB}500 personnes."),
        ("La réunion aura lieu le 27 novembre 2026 à 14 h 30.", "La réunion aura lieu le 3 mars 2025 à 9 h.",
         "The meeting will be held on March 3, 2025 at 9 a.m.", "en",
         "The meeting will be held on November 27, 2026 at 2:30 p.m."),
        ("The meeting will be held on November 27, 2026 at 2:30 p.m.", "The meeting will be held on March 3, 2025 at 9 a.m.",
         "La réunion aura lieu le 3 mars 2025 à 9 h.", "fr", f"La réunion aura lieu le 27 novembre 2026 à 14{NB}h{NB}30."),
        ("Hausse de 12,5 % le 1er janvier.", "Hausse de 3 % le 2 janvier.", "A 3% rise on January 2.", "en",
         "A 12.5% rise on January 1."),
    ],
)
def test_repair_writes_the_querys_placeables_the_target_way(query, source, target, target_lang, repaired):
    source_lang = "en" if target_lang == "fr" else "fr"
    query_p, source_p = prepare(query), prepare(source)
    comparison = compare(query_p, tokenize(query_p, source_lang), source_p, tokenize(source_p, source_lang))
    result, repairs = repair(comparison, target, target_lang)
    assert result == repaired
    assert repairs and all(r.repaired_text in result for r in repairs)


def test_repair_names_what_it_converted():
    comparison = _compare("Le projet coûte 89,2 millions de dollars.", "Le projet coûte 75 millions de dollars.")
    _, repairs = repair(comparison, "The project costs $75 million.", "en")
    assert [r.as_dict() for r in repairs] == [
        {"kind": "amount", "from": "89,2 millions de dollars", "to": "$89.2 million", "replaced": "$75 million"}
    ]


@pytest.mark.parametrize(
    "query, source, target",
    [
        # a word differs too
        ("Le projet coûte 89,2 millions de dollars.", "Le plan coûte 75 millions de dollars.", "The plan costs $75 million."),
        # the target does not hold the source's value
        ("Il y a 12 chats.", "Il y a 15 chats.", "There are fifteen cats."),
        # nothing to repair: same value
        ("Il y a 1500 chats.", "Il y a 1 500 chats.", "There are 1,500 cats."),
    ],
)
def test_no_repair(query, source, target):
    assert repair(_compare(query, source), target, "en") == (None, ())
