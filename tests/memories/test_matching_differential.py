"""Differential: `Matcher.suggest` returns exactly what an exhaustive scan of every unit returns.

The reference (tests/memories/exhaustive.py) reads the units with plain SQL and scores each
one: `similarity` by its definition, `quality` by amaGama's formula over rapidfuzz's
Levenshtein distance, itself checked here against a plain dynamic programme. Queries are
stored sentences edited at random the ways translators' sentences differ from old ones:
words and characters inserted, deleted, replaced or swapped, case, punctuation, numbers,
typographic quotes and apostrophes, no-break spaces. Both orders (`similarity`, `quality`)
are checked at several thresholds and limits, over units stored either way round.

Two corpora: a French/English grammar written here, news-release sentences (names, numbers,
dates, amounts) and short everyday ones (always runs, on SQLite and PostgreSQL), and sentences
from ../shared/data/parallel (slow; skipped when the data is absent). A third test packs close
variants so that ties decide, through an index in memory and one in files.
"""
from __future__ import annotations

import ast
import random
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from rapidfuzz.distance import Levenshtein

from memories import service
from memories.matching import Matcher
from memories.matching.scores import similarity
from memories.records import Segment, UnitRecord
from tests.conftest import shared_data
from tests.memories import exhaustive
from tests.memories.exhaustive import (
    ORDERS,
    Scored,
    SimilarityTable,
    levenshtein,
    primary,
    quality,
    score_all,
    texts_of,
    top,
    unit_sides,
)

THRESHOLDS = (0, 50, 70, 95)
LIMITS = (1, 5)
NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.fixture(scope="module")
def similarities() -> SimilarityTable:
    """Similarities depend on texts only: compute them once for both orders and both databases."""
    return SimilarityTable()


# -- the reference, checked by hand ----------------------------------------------------------


def test_the_reference_shares_no_engine_code_but_the_definition_of_similarity():
    tree = ast.parse(Path(exhaustive.__file__).read_text("utf-8"))
    from_project = [
        (node.module, sorted(alias.name for alias in node.names))
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in {"memories", "tm_service", "tests"}
    ]
    plain = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    assert from_project == [("memories.matching.scores", ["similarity"])]
    assert not [name for name in plain if name.split(".")[0] in {"memories", "tm_service"}]


def test_levenshtein_by_hand():
    cases = [("", "", 0), ("", "abc", 3), ("abc", "", 3), ("kitten", "sitting", 3), ("ab", "ba", 2),
             ("l'homme", "l’homme", 1), ("Il a 12 chats.", "il a 15 chats", 3), ("flaw", "lawn", 2)]
    for first, second, distance in cases:
        assert levenshtein(first, second) == distance == levenshtein(second, first)


@pytest.mark.parametrize(
    ("query", "source", "expected"),
    [
        ("", "", 100.0),
        ("abc", "", 0.0),
        ("kitten", "sitting", 100 * (1 - 3 / 7)),
        ("Il a 15 chats.", "Il a 12 chats.", 100 * (1 - 1 / 14)),
        ("Il a 15 chats.", "Il a 15 chats noirs.", 70.0),
    ],
)
def test_quality_by_hand(query, source, expected):
    assert quality(query, source) == pytest.approx(expected, abs=1e-12)
    assert quality(query, source, distance=levenshtein) == pytest.approx(expected, abs=1e-12)


def test_top_orders_and_breaks_ties_by_hand():
    rows = [Scored(1, 90.0, 80.0), Scored(2, 90.0, 85.0), Scored(3, 90.0, 85.0), Scored(4, 95.0, 60.0),
            Scored(5, 40.0, 99.0), Scored(6, 80.0, 85.0)]
    assert [r.unit_id for r in top(rows, min_similarity=0, limit=10)] == [4, 3, 2, 1, 6, 5]
    assert [r.unit_id for r in top(rows, min_similarity=85, limit=10)] == [4, 3, 2, 1]
    assert [r.unit_id for r in top(rows, min_similarity=0, limit=2)] == [4, 3]
    assert [r.unit_id for r in top(rows, min_similarity=0, limit=10, order="quality")] == [5, 3, 2, 6, 1, 4]
    assert [r.unit_id for r in top(rows, min_similarity=85, limit=10, order="quality")] == [5, 3, 2, 6]
    assert [r.unit_id for r in top(rows, min_similarity=99.5, limit=10, order="quality")] == []


#: Stored French sources, their similarity and quality for QUERY, worked out by hand.
QUERY = "Il a 15 chats."
HAND = [
    ("Il a 15 chats.", "He has 15 cats.", 100.0, 100.0),  # identical
    ("Il a 12 chats.", "He has 12 cats.", 99.0, 100 * 13 / 14),  # a placeable written differently
    ("il a 15 chats", "he has 15 cats", 98.0, 100 * 12 / 14),  # case, punctuation
    ("Il a 15 chiots.", "He has 15 puppies.", 75.0, 100 * 13 / 15),  # 1 word of 4: a-t -> i-o-t
    ("Il a 15 chats noirs.", "He has 15 black cats.", 80.0, 70.0),  # 1 word of 5; " noirs" is 6 of 20
]


def test_reference_reads_both_orientations_and_only_the_pair(session):
    service.create_memory(session, "hand")
    service.create_memory(session, "hand-en", source_lang="en-CA", target_lang="fr-CA")
    service.create_memory(session, "hand-de", source_lang="fr", target_lang="de")
    [first, second] = service.add_units(session, "hand", [_record(*HAND[0][:2]), _record(*HAND[1][1::-1], "en", "fr")])
    [third] = service.add_units(session, "hand-en", [_record(HAND[2][1], HAND[2][0], "en-CA", "fr-CA")])
    service.add_units(session, "hand-de", [_record(HAND[0][0], "Er hat 15 Katzen.", "fr", "de")])
    french = [(s.unit_id, s.source, s.target) for s in unit_sides(session, "fr", "en")]
    assert french == [(first, *HAND[0][:2]), (second, *HAND[1][:2]), (third, *HAND[2][:2])]
    english = [(s.unit_id, s.source, s.target) for s in unit_sides(session, "en-GB", "fr-CA")]
    assert english == [(first, *HAND[0][1::-1]), (second, *HAND[1][1::-1]), (third, *HAND[2][1::-1])]
    assert [s.unit_id for s in unit_sides(session, "fr", "en", memory="hand")] == [first, second]


def test_reference_and_matcher_on_a_case_worked_by_hand(session, engine):
    service.create_memory(session, "hand")
    ids = service.add_units(session, "hand", [_record(fr, en) for fr, en, _, _ in HAND])
    for (fr, _, expected_similarity, expected_quality) in HAND:
        assert similarity(QUERY, fr, "fr") == expected_similarity
        assert quality(QUERY, fr) == pytest.approx(expected_quality, abs=1e-12)
    scored = score_all(QUERY, unit_sides(session, "fr", "en"), "fr")
    by_similarity = [ids[0], ids[1], ids[2], ids[4], ids[3]]
    by_quality = [ids[0], ids[1], ids[3], ids[2], ids[4]]
    assert [r.unit_id for r in top(scored, min_similarity=0, limit=5)] == by_similarity
    assert [r.unit_id for r in top(scored, min_similarity=0, limit=5, order="quality")] == by_quality
    assert [r.unit_id for r in top(scored, min_similarity=70, limit=5, order="quality")] == by_quality
    assert [r.unit_id for r in top(scored, min_similarity=70.01, limit=5, order="quality")] == by_quality[:4]
    assert [r.unit_id for r in top(scored, min_similarity=76, limit=5)] == by_similarity[:4]

    matcher = Matcher(engine)
    got = matcher.suggest(session, QUERY, source_lang="fr", target_lang="en", min_similarity=0)
    assert [m.unit_id for m in got] == by_similarity
    assert [m.similarity for m in got] == [100.0, 99.0, 98.0, 80.0, 75.0]
    assert [m.target for m in got] == [HAND[i][1] for i in (0, 1, 2, 4, 3)]


def test_matcher_orders_by_quality_on_a_case_worked_by_hand(session, engine):
    service.create_memory(session, "hand")
    ids = service.add_units(session, "hand", [_record(fr, en) for fr, en, _, _ in HAND])
    matcher = Matcher(engine)
    got = matcher.suggest(session, QUERY, source_lang="fr", target_lang="en", min_similarity=70, order="quality")
    assert [m.unit_id for m in got] == [ids[i] for i in (0, 1, 3, 2, 4)]
    assert [m.quality for m in got] == pytest.approx([HAND[i][3] for i in (0, 1, 3, 2, 4)], abs=1e-9)
    assert [m.similarity for m in got] == [100.0, 99.0, 75.0, 98.0, 80.0]
    got = matcher.suggest(session, QUERY, source_lang="fr", target_lang="en", min_similarity=71, order="quality")
    assert [m.unit_id for m in got] == [ids[i] for i in (0, 1, 3, 2)]  # 70.0 < 71 although its similarity is 80


def test_order_similarity_is_the_default(session, engine):
    service.create_memory(session, "hand")
    service.add_units(session, "hand", [_record(fr, en) for fr, en, _, _ in HAND])
    matcher = Matcher(engine)
    default = matcher.suggest(session, QUERY, source_lang="fr", target_lang="en", min_similarity=0)
    named = matcher.suggest(session, QUERY, source_lang="fr", target_lang="en", min_similarity=0, order="similarity")
    assert [(m.unit_id, m.similarity, m.quality) for m in named] == [(m.unit_id, m.similarity, m.quality) for m in default]


# -- queries: stored sentences edited the ways real ones differ --------------------------------

_LETTERS = "abcdefghijklmnopqrstuvwxyzéèàçêôù"
_MARKS = ",;:!?.…"
_DIGITS = re.compile(r"\d+")


def _pick(rng: random.Random, items: Sequence):
    return items[rng.randrange(len(items))]


def _words_edit(change: Callable[[list[str], random.Random, Sequence[str]], bool]):
    def edit(text: str, rng: random.Random, vocabulary: Sequence[str]) -> str | None:
        words = text.split(" ")
        return " ".join(words) if change(words, rng, vocabulary) else None

    edit.__name__ = change.__name__
    return edit


@_words_edit
def insert_word(words, rng, vocabulary):
    words.insert(rng.randint(0, len(words)), _pick(rng, vocabulary))
    return True


@_words_edit
def delete_word(words, rng, vocabulary):
    if len(words) < 2:
        return False
    del words[rng.randrange(len(words))]
    return True


@_words_edit
def substitute_word(words, rng, vocabulary):
    words[rng.randrange(len(words))] = _pick(rng, vocabulary)
    return True


@_words_edit
def transpose_words(words, rng, vocabulary):
    if len(words) < 2:
        return False
    i = rng.randrange(len(words) - 1)
    words[i], words[i + 1] = words[i + 1], words[i]
    return True


@_words_edit
def change_case(words, rng, vocabulary):
    i = rng.randrange(len(words))
    how = rng.randrange(4)
    if how == 0:
        words[i] = words[i][:1].swapcase() + words[i][1:]
    elif how == 1:
        words[i] = words[i].upper()
    elif how == 2:
        words[:] = [word.lower() for word in words]
    else:
        words[i] = words[i].capitalize()
    return True


@_words_edit
def add_punctuation(words, rng, vocabulary):
    i = rng.randrange(len(words))
    words[i] += _pick(rng, _MARKS)
    return True


def insert_character(text, rng, vocabulary):
    i = rng.randint(0, len(text))
    return text[:i] + _pick(rng, _LETTERS + " ") + text[i:]


def delete_character(text, rng, vocabulary):
    if len(text) < 2:
        return None
    i = rng.randrange(len(text))
    return text[:i] + text[i + 1 :]


def substitute_character(text, rng, vocabulary):
    i = rng.randrange(len(text))
    return text[:i] + _pick(rng, _LETTERS) + text[i + 1 :]


def transpose_characters(text, rng, vocabulary):
    if len(text) < 2:
        return None
    i = rng.randrange(len(text) - 1)
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


def remove_punctuation(text, rng, vocabulary):
    places = [i for i, c in enumerate(text) if c in _MARKS or c in "\"'’«»“”()-"]
    if not places:
        return None
    i = _pick(rng, places)
    return text[:i] + text[i + 1 :]


def change_punctuation(text, rng, vocabulary):
    places = [i for i, c in enumerate(text) if c in _MARKS]
    if not places:
        return text + _pick(rng, _MARKS)
    i = _pick(rng, places)
    return text[:i] + _pick(rng, [m for m in _MARKS if m != text[i]]) + text[i + 1 :]


def change_number(text, rng, vocabulary):
    numbers = list(_DIGITS.finditer(text))
    if not numbers:
        words = text.split(" ")
        words.insert(rng.randint(0, len(words)), _pick(rng, ["12", "3,5", "1 500", "2025", "75", "1,200", "9"]))
        return " ".join(words)
    number = _pick(rng, numbers)
    replacement = str(rng.randint(0, 10 ** len(number.group()) + 9))
    return text[: number.start()] + replacement + text[number.end() :]


def change_apostrophes(text, rng, vocabulary):
    if "'" in text:
        return text.replace("'", "’")
    if "’" in text:
        return text.replace("’", "'")
    return None


def change_quotes(text, rng, vocabulary):
    if text.count('"') >= 2:
        first, second = text.index('"'), text.index('"', text.index('"') + 1)
        opening, closing = _pick(rng, [("«" + NBSP, NBSP + "»"), ("« ", " »"), ("“", "”")])
        return text[:first] + opening + text[first + 1 : second] + closing + text[second + 1 :]
    if "«" in text or "“" in text:
        return re.sub(r"[«“]\s?", '"', re.sub(r"\s?[»”]", '"', text))
    words = text.split(" ")
    if len(words) < 3:
        return None
    i = rng.randrange(len(words) - 1)
    words[i], words[i + 1] = "«" + NBSP + words[i], words[i + 1] + NBSP + "»"
    return " ".join(words)


def no_break_space(text, rng, vocabulary):
    before_mark = [m.start() for m in re.finditer(r" (?=[:;!?»%$])", text)]
    spaces = before_mark or [i for i, c in enumerate(text) if c == " "]
    if not spaces:
        return None
    i = _pick(rng, spaces)
    return text[:i] + _pick(rng, [NBSP, NNBSP]) + text[i + 1 :]


def change_spacing(text, rng, vocabulary):
    how = rng.randrange(3)
    spaces = [i for i, c in enumerate(text) if c == " "]
    if how == 0 and spaces:
        i = _pick(rng, spaces)
        return text[:i] + "  " + text[i + 1 :]
    if how == 1 and spaces:
        i = _pick(rng, spaces)
        return text[:i] + text[i + 1 :]
    return " " + text + " "


EDITS = (
    insert_word, delete_word, substitute_word, transpose_words,
    insert_character, delete_character, substitute_character, transpose_characters,
    change_case, add_punctuation, remove_punctuation, change_punctuation, change_number,
    change_apostrophes, change_quotes, no_break_space, change_spacing,
)
#: How many edits a query gets: a tenth are the stored sentence itself.
EDIT_COUNTS = (0, 0, 1, 1, 1, 1, 2, 2, 2, 3, 3, 4, 6)


def edited(text: str, rng: random.Random, vocabulary: Sequence[str]) -> tuple[str, tuple[str, ...]]:
    """Return `text` with a random number of random edits, and the edits' names."""
    wanted = _pick(rng, EDIT_COUNTS)
    applied: list[str] = []
    for _ in range(10 * wanted):
        if len(applied) == wanted:
            break
        edit = _pick(rng, EDITS)
        result = edit(text, rng, vocabulary)
        if result is not None and result.strip() and result != text:
            text = result
            applied.append(edit.__name__)
    return text, tuple(applied)


@dataclass(frozen=True, slots=True)
class Query:
    text: str
    source_lang: str
    target_lang: str
    made_from: str
    edits: tuple[str, ...]

    @property
    def direction(self) -> tuple[str, str]:
        return primary(self.source_lang), primary(self.target_lang)


def make_queries(
    pairs: Sequence[tuple[str, str]],
    count: int,
    rng: random.Random,
    *,
    unstored: Sequence[tuple[str, str]] = (),
) -> list[Query]:
    """Half French queries, half English: stored sentences edited, and a few never stored."""
    vocabulary = {
        lang: sorted({word for pair in pairs for word in pair[side].split()})
        for side, lang in ((0, "fr"), (1, "en"))
    }
    queries = []
    for n in range(count):
        side, (source_lang, target_lang) = (0, ("fr", "en")) if n % 2 == 0 else (1, ("en", "fr"))
        if n % 10 == 7:  # regions do not change the pair
            source_lang, target_lang = source_lang + "-CA", target_lang + "-CA"
        pool = unstored if unstored and n % 25 == 3 else pairs
        made_from = _pick(rng, pool)[side]
        text, edits = edited(made_from, rng, vocabulary[primary(source_lang)])
        queries.append(Query(text, source_lang, target_lang, made_from, edits))
    return queries


# -- the comparison ------------------------------------------------------------------------------


def suggest(matcher: Matcher, session, query: Query, order: str, **arguments):
    """Ask the matcher; the default order is asked without naming it."""
    if order != "similarity":
        arguments["order"] = order
    return matcher.suggest(
        session, query.text, source_lang=query.source_lang, target_lang=query.target_lang, **arguments
    )


def differences(
    session,
    matcher: Matcher,
    queries: Sequence[Query],
    order: str,
    table: SimilarityTable,
    *,
    thresholds: Sequence[float] = THRESHOLDS,
    limits: Sequence[int] = LIMITS,
    memory: str | None = None,
) -> tuple[int, list[str]]:
    """Compare the matcher with the reference on every query, threshold and limit; return the
    number of comparisons and a description of each that differed."""
    sides = {direction: unit_sides(session, *direction, memory) for direction in (("fr", "en"), ("en", "fr"))}
    texts = {direction: {side.unit_id: (side.source, side.target) for side in found} for direction, found in sides.items()}
    table.fill((query.text, texts_of(sides[query.direction]), query.direction[0]) for query in queries)
    checked, problems = 0, []
    for query in queries:
        direction = query.direction
        scored = score_all(query.text, sides[direction], query.source_lang, table)
        for min_similarity in thresholds:
            for limit in limits:
                expected = top(scored, min_similarity=min_similarity, limit=limit, order=order)
                got = suggest(matcher, session, query, order, memory=memory, min_similarity=min_similarity, limit=limit)
                got_rows = [(m.unit_id, round(m.quality, 6), m.similarity) for m in got]
                expected_rows = [(r.unit_id, round(r.quality, 6), r.similarity) for r in expected]
                checked += 1
                if got_rows != expected_rows:
                    problems.append(
                        f"{query.text!r} {direction[0]}->{direction[1]} (from {query.made_from!r} by "
                        f"{', '.join(query.edits) or 'no edit'}), min_similarity={min_similarity}, limit={limit}:\n"
                        f"    got      {got_rows}\n    expected {expected_rows}"
                    )
                oriented = [(m.source, m.target) for m in got]
                if oriented != [texts[direction].get(m.unit_id) for m in got]:
                    problems.append(f"{query.text!r} {direction}: texts not oriented to the query: {oriented}")
    return checked, problems


def assert_no_differences(checked: int, problems: list[str]) -> None:
    assert not problems, f"{len(problems)} of {checked} comparisons differ; the first ones:\n" + "\n".join(problems[:8])


def check_levenshtein_on(pairs: Sequence[tuple[str, str]]) -> None:
    """rapidfuzz's distance, which the reference uses, against the plain dynamic programme."""
    assert len(pairs) >= 300
    for first, second in pairs:
        assert Levenshtein.distance(first, second) == levenshtein(first, second), (first, second)


def cpu_seconds() -> float:
    """CPU time of this process and of the reference's finished workers (wall time misleads on
    a shared machine)."""
    try:
        import resource
    except ImportError:  # not on Unix: this process only
        return time.process_time()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def report(label: str, checked: int, started: tuple[float, float]) -> None:
    print(f"{label}: {checked} comparisons in {time.perf_counter() - started[0]:.1f} s,"
          f" {cpu_seconds() - started[1]:.1f} s of CPU")


def clocks() -> tuple[float, float]:
    return time.perf_counter(), cpu_seconds()


def import_units(session, layout: dict[str, tuple[tuple[str, str], list[UnitRecord]]]) -> None:
    for name, ((source_lang, target_lang), records) in layout.items():
        service.create_memory(session, name, source_lang=source_lang, target_lang=target_lang)
        service.import_records(session, name, records)


def _record(source: str, target: str, source_lang: str = "fr", target_lang: str = "en") -> UnitRecord:
    return UnitRecord(Segment(source_lang, source), Segment(target_lang, target))


def layout_of(pairs: Sequence[tuple[str, str]], *, decoys: int = 60) -> dict:
    """Spread French/English pairs over memories so every way of storing a unit is used: a
    fr/en memory (one record in 8 given English first, so stored after orienting), an
    en-CA/fr-CA memory storing English first (one pair in 5), and a fr/de memory whose French
    sides repeat stored ones but must never serve a French/English query."""
    french_first, english_first = [], []
    for n, (fr, en) in enumerate(pairs):
        if n % 5 == 2:
            english_first.append(_record(en, fr, "en-CA", "fr-CA"))
        elif n % 8 == 3:
            french_first.append(_record(en, fr, "en", "fr"))
        else:
            french_first.append(_record(fr, en))
    german = [_record(fr, "(Übersetzung folgt)", "fr", "de") for fr, _ in pairs[:decoys]]
    return {
        "releases": (("fr", "en"), french_first),
        "releases-en": (("en-CA", "fr-CA"), english_first),
        "decoys-de": (("fr", "de"), german),
    }


# -- a news-release grammar, written for these tests ---------------------------------------------

PEOPLE = ["Claire Arsenault", "Martin Doucet", "Hélène Bourque", "Yves Comeau", "Amélie Robichaud", "Daniel Losier",
          "Nathalie Daigle", "Rémi Boudreau", "Julie Mallet", "Serge Landry", "Isabelle Chiasson", "Thomas Gaudet"]
DEPARTMENTS = [("ministère de l’Éducation", "Department of Education"), ("ministère de la Santé", "Department of Health"),
               ("ministère des Transports", "Department of Transportation"),
               ("ministère de l’Environnement", "Department of Environment"),
               ("ministère de la Justice", "Department of Justice"), ("ministère du Tourisme", "Department of Tourism"),
               ("ministère de l’Agriculture", "Department of Agriculture")]
PLACES = [("Moncton", "Moncton"), ("Fredericton", "Fredericton"), ("Saint-Jean", "Saint John"), ("Bathurst", "Bathurst"),
          ("Edmundston", "Edmundston"), ("Miramichi", "Miramichi"), ("Dieppe", "Dieppe"), ("Caraquet", "Caraquet"),
          ("Shediac", "Shediac"), ("Sackville", "Sackville"), ("la Péninsule acadienne", "the Acadian Peninsula")]
PROGRAMS = [("le programme d’aide au logement", "the housing assistance program"),
            ("la stratégie sur l’emploi des jeunes", "the youth employment strategy"),
            ("le fonds pour l’innovation rurale", "the rural innovation fund"),
            ("le plan de réduction des émissions", "the emissions reduction plan"),
            ("l’initiative de littératie familiale", "the family literacy initiative"),
            ("le réseau de cliniques communautaires", "the community clinic network"),
            ("le programme de rénovation des écoles", "the school renovation program"),
            ("la stratégie de soins aux aînés", "the seniors’ care strategy")]
MONTHS = [("janvier", "January"), ("février", "February"), ("mars", "March"), ("avril", "April"), ("mai", "May"),
          ("juin", "June"), ("juillet", "July"), ("août", "August"), ("septembre", "September"),
          ("octobre", "October"), ("novembre", "November"), ("décembre", "December")]


def _grouped(n: int, separator: str) -> str:
    return f"{n:,}".replace(",", separator)


def _decimal(value: float, comma: bool) -> str:
    written = f"{value:g}"
    return written.replace(".", ",") if comma else written


def number(rng: random.Random) -> tuple[str, str]:
    n = _pick(rng, [rng.randint(2, 99), rng.randint(100, 999), rng.randint(1000, 25000)])
    return _grouped(n, NBSP), _grouped(n, ",")


def amount(rng: random.Random) -> tuple[str, str]:
    if rng.random() < 0.5:
        millions = _pick(rng, [rng.randint(1, 90), round(rng.uniform(1, 99), 1)])
        return f"{_decimal(millions, True)} millions de dollars", f"${_decimal(millions, False)} million"
    dollars = rng.randint(5, 950) * 1000
    return f"{_grouped(dollars, NBSP)}{NBSP}$", f"${_grouped(dollars, ',')}"


def percentage(rng: random.Random) -> tuple[str, str]:
    value = _pick(rng, [rng.randint(1, 40), round(rng.uniform(0.5, 30), 1)])
    return f"{_decimal(value, True)}{NBSP}%", f"{_decimal(value, False)}%"


def date(rng: random.Random) -> tuple[str, str]:
    day, (month_fr, month_en), year = rng.randint(1, 28), _pick(rng, MONTHS), rng.randint(2019, 2027)
    return f"{'1er' if day == 1 else day} {month_fr} {year}", f"{month_en} {day}, {year}"


def clock(rng: random.Random) -> tuple[str, str]:
    hour, minute = rng.randint(8, 19), _pick(rng, [0, 0, 15, 30, 45])
    french = f"{hour} h" + (f" {minute:02d}" if minute else "")
    english_hour = hour - 12 if hour > 12 else hour
    english = (f"{english_hour}:{minute:02d}" if minute else f"{english_hour}") + (" p.m." if hour >= 12 else " a.m.")
    return french, english


def news_sentence(rng: random.Random) -> tuple[str, str]:
    """One French sentence of a news release and its English version."""
    name = _pick(rng, PEOPLE)
    dept_fr, dept_en = _pick(rng, DEPARTMENTS)
    place_fr, place_en = _pick(rng, PLACES)
    program_fr, program_en = _pick(rng, PROGRAMS)
    amount_fr, amount_en = amount(rng)
    other_fr, other_en = amount(rng)
    n_fr, n_en = number(rng)
    date_fr, date_en = date(rng)
    time_fr, time_en = clock(rng)
    pct_fr, pct_en = percentage(rng)
    year = rng.randint(2019, 2030)
    templates = [
        (f"{name}, du {dept_fr}, a annoncé aujourd’hui un investissement de {amount_fr} pour {program_fr}.",
         f"{name}, of the {dept_en}, today announced an investment of {amount_en} for {program_en}."),
        (f"Le projet créera {n_fr} emplois à {place_fr} d’ici {year}.",
         f"The project will create {n_en} jobs in {place_en} by {year}."),
        (f"La séance d’information aura lieu le {date_fr} à {time_fr}, à {place_fr}.",
         f"The information session will be held on {date_en} at {time_en} in {place_en}."),
        (f"Selon {name}, le taux de chômage à {place_fr} a baissé de {pct_fr} en {year}.",
         f"According to {name}, the unemployment rate in {place_en} fell by {pct_en} in {year}."),
        (f"« Nous sommes fiers d’appuyer {program_fr} », a déclaré {name}.",
         f"“We are proud to support {program_en},” said {name}."),
        (f"Le gouvernement versera {amount_fr} à {n_fr} organismes de {place_fr}.",
         f"The government will provide {amount_en} to {n_en} organizations in {place_en}."),
        (f"Les inscriptions pour {program_fr} sont ouvertes jusqu’au {date_fr}.",
         f"Registration for {program_en} is open until {date_en}."),
        (f"Pour en savoir plus, communiquez avec {name}, du {dept_fr}, au 506-{rng.randint(200, 999)}-{rng.randint(1000, 9999)}.",
         f"For more information, contact {name}, {dept_en}, at 506-{rng.randint(200, 999)}-{rng.randint(1000, 9999)}."),
        (f"La région de {place_fr} a accueilli {n_fr} nouveaux arrivants en {year}, une hausse de {pct_fr}.",
         f"The {place_en} region welcomed {n_en} newcomers in {year}, an increase of {pct_en}."),
        (f"Les travaux sur la route {rng.randint(1, 180)} près de {place_fr} commenceront le {date_fr}.",
         f"Work on Route {rng.randint(1, 180)} near {place_en} will begin on {date_en}."),
        (f"Le budget prévu pour {program_fr} passera de {amount_fr} à {other_fr} en {year}.",
         f"The budget for {program_en} will rise from {amount_en} to {other_en} in {year}."),
        (f"Le {dept_fr} a reçu {n_fr} demandes depuis le {date_fr}.",
         f"The {dept_en} has received {n_en} applications since {date_en}."),
        (f"{name} sera à {place_fr} le {date_fr}.", f"{name} will be in {place_en} on {date_en}."),
        (f"Les bureaux du {dept_fr} seront fermés le {date_fr}.", f"{dept_en} offices will be closed on {date_en}."),
        (f"Cette annonce s’inscrit dans {program_fr}, qui prévoit des investissements de {amount_fr} sur "
         f"{rng.randint(2, 10)} ans dans les collectivités de la province.",
         f"This announcement is part of {program_en}, which provides for investments of {amount_en} over "
         f"{rng.randint(2, 10)} years in communities across the province."),
        ("Merci.", "Thank you."),
        (f"{name} est {_pick(rng, ['ravie', 'heureuse', 'fière'])} du résultat.",
         f"{name} is {_pick(rng, ['delighted', 'happy', 'proud'])} with the result."),
    ]
    return _pick(rng, templates)


SUBJECTS = [("Je", "I", 0), ("Tu", "You", 1), ("Il", "He", 2), ("Elle", "She", 2), ("Nous", "We", 3),
            ("Vous", "You", 4), ("Ils", "They", 5)]
VERBS = [
    (("aime", "aimes", "aime", "aimons", "aimez", "aiment"), ("like", "likes")),
    (("vois", "vois", "voit", "voyons", "voyez", "voient"), ("see", "sees")),
    (("veux", "veux", "veut", "voulons", "voulez", "veulent"), ("want", "wants")),
    (("apporte", "apportes", "apporte", "apportons", "apportez", "apportent"), ("bring", "brings")),
    (("achète", "achètes", "achète", "achetons", "achetez", "achètent"), ("buy", "buys")),
    (("cherche", "cherches", "cherche", "cherchons", "cherchez", "cherchent"), ("look for", "looks for")),
]
THINGS = [("le pain", "the bread"), ("la pomme", "the apple"), ("ce livre", "this book"), ("mon chien", "my dog"),
          ("ta voiture", "your car"), ("les fleurs", "the flowers"), ("un café", "a coffee"), ("la clé", "the key"),
          ("leur maison", "their house"), ("le journal", "the newspaper")]
WHEN = [("", ""), (" aujourd’hui", " today"), (" encore", " again"), (" le matin", " in the morning")]


def everyday_sentence(rng: random.Random) -> tuple[str, str]:
    """One short everyday sentence and its English: many of the same length and shape, so
    low qualities tie by the dozen (what a query with no good match meets)."""
    subject_fr, subject_en, person = _pick(rng, SUBJECTS)
    (verb_fr, verb_en), (thing_fr, thing_en), (when_fr, when_en) = _pick(rng, VERBS), _pick(rng, THINGS), _pick(rng, WHEN)
    mark = _pick(rng, [".", ".", ".", " !", " ?"])
    return (f"{subject_fr} {verb_fr[person]} {thing_fr}{when_fr}{mark}",
            f"{subject_en} {verb_en[person == 2]} {thing_en}{when_en}{mark.strip()}")


def distinct_pairs(make: Callable[[random.Random], tuple[str, str]], count: int, rng: random.Random) -> list[tuple[str, str]]:
    """`count` distinct French/English pairs from a grammar."""
    pairs, seen = [], set()
    while len(pairs) < count:
        pair = make(rng)
        if pair not in seen:
            seen.add(pair)
            pairs.append(pair)
    return pairs


# -- the tests -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def news_corpus():
    """1,500 units (1,150 release sentences, 350 short everyday ones) and 150 queries."""
    rng = random.Random(20250611)
    news, everyday = distinct_pairs(news_sentence, 1_300, rng), distinct_pairs(everyday_sentence, 400, rng)
    stored, unstored = news[:1_150] + everyday[:350], news[1_150:] + everyday[350:]
    rng.shuffle(stored)
    return stored, make_queries(stored, 150, rng, unstored=unstored)


@pytest.mark.parametrize("order", ORDERS)
def test_suggest_equals_exhaustive_scan_on_news_releases(session, engine, news_corpus, similarities, order):
    stored, queries = news_corpus
    started = clocks()
    import_units(session, layout_of(stored))
    rng = random.Random(5)
    check_levenshtein_on(
        [(q.text, _pick(rng, stored)[q.source_lang.startswith("en")]) for q in queries]
        + [(q.text, q.made_from) for q in queries]
    )
    checked, problems = differences(session, Matcher(engine), queries, order, similarities)
    report(f"news releases, order={order}", checked, started)
    assert_no_differences(checked, problems)


def _shared_pairs(folder: str, rng: random.Random, count: int, longest: int = 400) -> list[tuple[str, str]]:
    pairs = []
    for french in sorted(shared_data("parallel", folder).glob("*.fra")):
        english = french.with_suffix(".eng")
        for fr, en in zip(french.read_text("utf-8").splitlines(), english.read_text("utf-8").splitlines()):
            if fr.strip() and en.strip() and len(fr) <= longest and len(en) <= longest:
                pairs.append((fr, en))
    rng.shuffle(pairs)
    return pairs[:count]


@pytest.fixture(scope="module")
def shared_corpus():
    rng = random.Random(27112026)
    pairs = (
        _shared_pairs("wmt-news", rng, 1_200) + _shared_pairs("tatoeba", rng, 1_000) + _shared_pairs("multi30k", rng, 400)
    )
    stored, unstored = [pair for n, pair in enumerate(pairs) if n % 13], pairs[::13]
    return stored, make_queries(stored, 500, rng, unstored=unstored)


@pytest.mark.slow
@pytest.mark.parametrize("order", ORDERS)
def test_suggest_equals_exhaustive_scan_on_shared_data(session, engine, shared_corpus, similarities, order):
    stored, queries = shared_corpus
    assert len(stored) >= 2_000 and len(queries) == 500
    started = clocks()
    import_units(session, layout_of(stored, decoys=100))
    rng = random.Random(5)
    check_levenshtein_on([(q.text, _pick(rng, stored)[q.source_lang.startswith("en")]) for q in queries[:300]])
    checked, problems = differences(session, Matcher(engine), queries, order, similarities)
    report(f"shared data, order={order}", checked, started)
    assert_no_differences(checked, problems)


COMMITTEE_FR = "Le comité se réunira mardi à Moncton pour discuter du budget."
COMMITTEE_EN = "The committee will meet on Tuesday in Moncton to discuss the budget."


def close_variants() -> list[UnitRecord]:
    """Units that differ by one word, or only in case, punctuation or spacing, and units with
    the same source but other targets: similarity and quality tie by the dozen."""
    days = [("lundi", "Monday"), ("mardi", "Tuesday"), ("jeudi", "Thursday"), ("samedi", "Saturday")]
    records = []
    for day_fr, day_en in days:
        for n, (place_fr, place_en) in enumerate(PLACES[:8]):
            fr = f"Le comité se réunira {day_fr} à {place_fr} pour discuter du budget."
            en = f"The committee will meet on {day_en} in {place_en} to discuss the budget."
            records.append(_record(en, fr, "en", "fr") if n % 3 == 1 else _record(fr, en))
    other_targets = [
        "The committee meets Tuesday in Moncton to discuss the budget.",
        "On Tuesday, the committee will meet in Moncton to discuss the budget.",
        "The committee will sit on Tuesday in Moncton to talk about the budget.",
        "The board will meet on Tuesday in Moncton to discuss the budget.",
        "The committee will gather in Moncton on Tuesday to discuss the budget.",
    ]
    for n, target in enumerate(other_targets):
        records.append(_record(COMMITTEE_FR, target) if n % 2 else _record(target, COMMITTEE_FR, "en", "fr"))
    minor = [COMMITTEE_FR.lower(), COMMITTEE_FR[:-1], COMMITTEE_FR.replace("budget.", "budget !"),
             COMMITTEE_FR.upper(), COMMITTEE_FR.replace(" à ", " à  "), COMMITTEE_FR.replace("Moncton", "MONCTON"),
             COMMITTEE_FR.replace("comité", "Comité"), COMMITTEE_FR.replace("budget", "Budget")]
    records += [_record(variant, COMMITTEE_EN) for variant in minor]
    for word in ["projet", "bilan", "plan", "rapport", "mandat", "dossier", "contrat", "calendrier"]:
        records.append(_record(COMMITTEE_FR.replace("budget", word), COMMITTEE_EN.replace("budget", "matter")))
    return records


@pytest.mark.parametrize("order", ORDERS)
def test_ties_are_broken_the_same_way(session, engine, similarities, order, tmp_path):
    service.create_memory(session, "committee")
    service.create_memory(session, "committee-en", source_lang="en", target_lang="fr")
    records = close_variants()
    service.import_records(session, "committee", records[::2])
    service.import_records(session, "committee-en", records[1::2])
    french = [COMMITTEE_FR, COMMITTEE_FR.replace("Moncton", "Tracadie"), COMMITTEE_FR.replace("mardi", "vendredi"),
              COMMITTEE_FR.replace("budget", "projet").lower(), "Le comité se réunira à Moncton pour discuter."]
    english = [COMMITTEE_EN, COMMITTEE_EN.replace("Tuesday", "Friday"),
               "the committee will meet on tuesday in dieppe to discuss the matter", "The committee will meet in Moncton."]
    queries = [Query(text, "fr", "en", text, ()) for text in french]
    queries += [Query(text, "en", "fr", text, ()) for text in english]
    pairs = [(r.source.text, r.target.text) if r.source.lang == "fr" else (r.target.text, r.source.text) for r in records]
    queries += make_queries(pairs, 30, random.Random(3))
    # The index in memory, and in files as workers share it.
    for matcher in (Matcher(engine), Matcher(engine, index_dir=tmp_path / "index")):
        assert_no_differences(*differences(
            session, matcher, queries, order, similarities, thresholds=(0, 50, 70, 90, 95, 99, 100), limits=(1, 2, 5, 30)
        ))
        for memory in ("committee", "committee-en"):
            assert_no_differences(*differences(
                session, matcher, queries[:9], order, similarities, thresholds=(0, 90), limits=(5,), memory=memory
            ))

        # By hand: the six sources equal to the query tie at 100 on both scores; the newest come first.
        identical = sorted((s.unit_id for s in unit_sides(session, "fr", "en") if s.source == COMMITTEE_FR), reverse=True)
        assert len(identical) == 6
        for limit in (1, 2, 6):
            got = suggest(matcher, session, queries[0], order, limit=limit)
            assert [(m.unit_id, m.similarity, m.quality) for m in got] == [(i, 100.0, 100.0) for i in identical[:limit]]
