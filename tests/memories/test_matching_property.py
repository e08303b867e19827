"""Property: on random small memories the indexed search returns what a brute-force scan does."""
from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from memories import service
from memories.matching import ExhaustiveMatcher, Matcher
from memories.matching.scores import quality, similarity
from memories.records import Segment, UnitRecord

FRENCH = ["le", "Le", "chat", "dort", "sur", "tapis", "la", "maison", "bleue", "l’homme", "qu’il", "1 500", "12", "le 3 mars", "à 9 h", ",", "."]
ENGLISH = ["the", "The", "cat", "sleeps", "on", "mat", "a", "house", "blue", "Tom’s", "1,500", "12", "March 3", "9 a.m.", "$5 million", ",", "."]


def sentences(words):
    return st.lists(st.sampled_from(words), min_size=1, max_size=9).map(" ".join)


pairs = st.lists(st.tuples(sentences(FRENCH), sentences(ENGLISH)), min_size=1, max_size=14)
directions = st.sampled_from([("fr", "en"), ("en", "fr")])
thresholds = st.sampled_from([0, 30, 50, 70, 90, 100])
names = itertools.count()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pairs=pairs, direction=directions, min_similarity=thresholds, limit=st.sampled_from([1, 2, 5, 30]), data=st.data())
def test_indexed_search_equals_brute_force(session, engine, pairs, direction, min_similarity, limit, data):
    name = f"m{next(names)}"
    service.create_memory(session, name)
    ids = service.add_units(session, name, [UnitRecord(Segment("fr", fr), Segment("en", en)) for fr, en in pairs])
    side = 0 if direction[0] == "fr" else 1
    texts = {unit_id: pair[side] for unit_id, pair in zip(ids, pairs)}
    stored = list(texts.values())
    query = data.draw(st.one_of(sentences(FRENCH if side == 0 else ENGLISH), st.sampled_from(stored)))
    arguments = dict(source_lang=direction[0], target_lang=direction[1], memory=name, min_similarity=min_similarity, limit=limit)

    indexed = _matcher(engine).suggest(session, query, **arguments)
    naive = ExhaustiveMatcher(engine).suggest(session, query, **arguments)
    assert [(m.unit_id, m.similarity, m.quality) for m in indexed] == [(m.unit_id, m.similarity, m.quality) for m in naive]

    # Against the reference scores, unit by unit, with no index and no database reads.
    scan = sorted(
        ((similarity(query, text, direction[0]), quality(query, text), unit_id) for unit_id, text in texts.items()),
        key=lambda row: (-row[0], -row[1], -row[2]),
    )
    expected = [row for row in scan if row[0] >= min_similarity][:limit]
    assert [(m.similarity, m.quality, m.unit_id) for m in indexed] == [
        (pytest_approx_round(s), q, u) for s, q, u in expected
    ]
    if min_similarity == 0 and limit == 30:
        # Every unit comes back, so the best quality is rapidfuzz's exhaustive best.
        best = process.extractOne(query, stored, scorer=Levenshtein.normalized_similarity)[1] * 100
        assert max(m.quality for m in indexed) == best


def pytest_approx_round(value: float) -> float:
    return round(value, 2)


_matchers: dict[int, Matcher] = {}


@pytest.fixture(autouse=True)
def _small_first_search(monkeypatch):
    """Make the two-step search (word_search.FIRST_THRESHOLD) run on these small memories too."""
    from memories.matching import word_search

    monkeypatch.setattr(word_search, "FIRST_THRESHOLD", 60.0)
    monkeypatch.setattr(word_search, "TWO_STEPS_BELOW", 60.0)


def _matcher(engine) -> Matcher:
    """One indexed matcher per database, kept current through the change log across examples."""
    return _matchers.setdefault(id(engine), Matcher(engine))
