"""The matcher through its Python API, on SQLite and PostgreSQL: suggestions, context,
directions, a second worker kept current by the change log, and concordance."""
from __future__ import annotations

import pytest

from memories import service
from memories.errors import InvalidInput, NotFound
from memories.matching import MAX_LIMIT, Matcher
from memories.records import Segment, UnitRecord
from memories.service import AlignedPair

PAIRS = [
    ("Le gouvernement a annoncé hier un nouveau programme pour les familles.",
     "The government announced a new program for families yesterday."),
    ("Le projet coûte 75 millions de dollars.", "The project costs $75 million."),
    ("La réunion aura lieu le 3 mars 2025 à 9 h.", "The meeting will be held on March 3, 2025 at 9 a.m."),
    ("L’usine emploie 1 200 personnes à Moncton.", "The plant employs 1,200 people in Moncton."),
    ("Le premier ministre Brian Gallant était présent.", "Premier Brian Gallant was present."),
]


def record(source: str, target: str, source_lang: str = "fr", target_lang: str = "en") -> UnitRecord:
    return UnitRecord(Segment(source_lang, source), Segment(target_lang, target))


@pytest.fixture
def memory(session):
    service.create_memory(session, "news")
    return service.add_units(session, "news", [record(fr, en) for fr, en in PAIRS])


@pytest.fixture
def matcher(engine):
    return Matcher(engine)


def test_identical_source_is_100(session, memory, matcher):
    [best, *_] = matcher.suggest(session, PAIRS[0][0], source_lang="fr", target_lang="en")
    assert (best.unit_id, best.similarity, best.quality, best.band) == (memory[0], 100.0, 100.0, "100")
    assert (best.source, best.target, best.memory) == (*PAIRS[0], "news")
    assert (best.source_lang, best.target_lang, best.origin) == ("fr", "en", "import")
    assert best.diff == () and best.repaired_target is None and best.document is None
    assert best.created_at is not None and best.changed_at is not None


def test_fuzzy_match_scores_and_diff(session, memory, matcher):
    query = "Le gouvernement a annoncé aujourd’hui un nouveau programme pour les familles."
    [best] = matcher.suggest(session, query, source_lang="fr", target_lang="en")
    assert best.similarity == pytest.approx(90.91) and best.band == "85-94"
    assert 80 < best.quality < 95
    assert [(d.op, d.text, d.source_text) for d in best.diff] == [("replace", "aujourd’hui", "hier")]


def test_both_directions_over_the_same_units(session, memory, matcher):
    [english] = matcher.suggest(session, "The project costs $75 million.", source_lang="en", target_lang="fr")
    assert english.unit_id == memory[1]
    assert (english.source, english.target) == (PAIRS[1][1], PAIRS[1][0])
    assert (english.source_lang, english.target_lang, english.similarity) == ("en", "fr", 100.0)
    # regions do not matter, the direction does
    assert matcher.suggest(session, "The project costs $75 million.", source_lang="en-CA", target_lang="fr-CA")
    assert matcher.suggest(session, "The project costs $75 million.", source_lang="en", target_lang="de") == []


def test_placeable_only_differences_are_repaired(session, memory, matcher):
    [best] = matcher.suggest(session, "Le projet coûte 89,2 millions de dollars.", source_lang="fr", target_lang="en")
    assert best.band == "95-99" and best.similarity == 99.0
    assert best.target == "The project costs $75 million."
    assert best.repaired_target == "The project costs $89.2 million."
    assert [r.as_dict() for r in best.repairs] == [
        {"kind": "amount", "from": "89,2 millions de dollars", "to": "$89.2 million", "replaced": "$75 million"}
    ]
    [reverse] = matcher.suggest(session, "The plant employs 1,500 people in Moncton.", source_lang="en", target_lang="fr")
    assert reverse.repaired_target == "L’usine emploie 1\u00a0500 personnes à Moncton."
    [dated] = matcher.suggest(session, "La réunion aura lieu le 27 novembre 2026 à 14 h 30.", source_lang="fr", target_lang="en")
    assert dated.repaired_target == "The meeting will be held on November 27, 2026 at 2:30 p.m."


def test_ranking_limit_and_min_similarity(session, memory, matcher):
    service.add_units(
        session,
        "news",
        [record(f"Le projet coûte {n} millions de dollars pour {n} écoles.", f"The project costs ${n} million for {n} schools.") for n in range(40)],
    )
    matches = matcher.suggest(session, "Le projet coûte 75 millions de dollars.", source_lang="fr", target_lang="en", limit=100)
    assert len(matches) == 1  # the others share 6 of 9 words: 66.67 < 70
    matches = matcher.suggest(
        session, "Le projet coûte 75 millions de dollars.", source_lang="fr", target_lang="en", min_similarity=50, limit=100
    )
    assert len(matches) == MAX_LIMIT
    assert matches[0].similarity == 100.0
    assert [m.similarity for m in matches] == sorted((m.similarity for m in matches), reverse=True)
    assert all(m.similarity >= 50 for m in matches)
    assert len(matcher.suggest(session, "Le projet coûte 75 millions de dollars.", source_lang="fr", target_lang="en", min_similarity=50)) == 5


def test_in_context_match_is_101(session, matcher):
    service.create_memory(session, "releases")
    pairs = [
        AlignedPair("Le projet avance bien.", "The project is going well."),
        AlignedPair("Il sera terminé en mai.", "It will be finished in May."),
        AlignedPair("Les travaux reprennent.", "Work resumes."),
        AlignedPair("Il sera terminé en mai.", "It will be done in May."),
    ]
    service.store_release(
        session, "releases", title="Communiqué 1", origin="gnb", source_text="a", target_text="b", pairs=pairs
    )
    matches = matcher.suggest(
        session, "Il sera terminé en mai.", source_lang="fr", target_lang="en", context="Les  travaux reprennent."
    )
    assert [(m.similarity, m.band, m.target) for m in matches] == [
        (101.0, "101", "It will be done in May."),
        (100.0, "100", "It will be finished in May."),
    ]
    assert matches[0].document.title == "Communiqué 1"
    plain = matcher.suggest(session, "Il sera terminé en mai.", source_lang="fr", target_lang="en", context="Autre chose.")
    assert [m.similarity for m in plain] == [100.0, 100.0]
    english = matcher.suggest(
        session, "It will be finished in May.", source_lang="en", target_lang="fr", context="The project is going well."
    )
    assert (english[0].similarity, english[0].target) == (101.0, "Il sera terminé en mai.")


def test_memory_filter(session, memory, matcher):
    service.create_memory(session, "other")
    service.add_units(session, "other", [record(PAIRS[1][0], "Another translation.")])
    everywhere = matcher.suggest(session, PAIRS[1][0], source_lang="fr", target_lang="en")
    assert {m.memory for m in everywhere} == {"news", "other"}
    only = matcher.suggest(session, PAIRS[1][0], source_lang="fr", target_lang="en", memory="other")
    assert [m.target for m in only] == ["Another translation."]
    with pytest.raises(NotFound):
        matcher.suggest(session, "x", source_lang="fr", target_lang="en", memory="missing")


@pytest.mark.parametrize(
    "arguments",
    [
        {"query": ""},
        {"query": "   "},
        {"query": "x" * 20_001},
        {"min_similarity": 101},
        {"min_similarity": -1},
        {"min_similarity": "70"},
        {"limit": 0},
        {"limit": 2.5},
        {"source_lang": "not a tag"},
        {"target_lang": "fr"},
    ],
)
def test_invalid_requests(session, memory, matcher, arguments):
    call = {"query": "Bonjour", "source_lang": "fr", "target_lang": "en"} | arguments
    with pytest.raises(InvalidInput):
        matcher.suggest(session, call.pop("query"), **call)


def test_a_second_worker_sees_adds_edits_and_deletes_at_once(session, engine, memory, matcher):
    other_worker = Matcher(engine)
    query = "Le comité se réunira demain à Fredericton."
    assert matcher.suggest(session, query, source_lang="fr", target_lang="en") == []
    assert other_worker.suggest(session, query, source_lang="fr", target_lang="en") == []

    [unit_id] = service.add_units(session, "news", [record(query, "The committee will meet tomorrow in Fredericton.")])
    for worker in (matcher, other_worker):
        assert [m.unit_id for m in worker.suggest(session, query, source_lang="fr", target_lang="en")] == [unit_id]

    edited = "Le comité s’est réuni hier à Moncton."
    service.update_unit(session, "news", unit_id, record(edited, "The committee met yesterday in Moncton."))
    for worker in (matcher, other_worker):
        assert worker.suggest(session, query, source_lang="fr", target_lang="en") == []
        [match] = worker.suggest(session, edited, source_lang="fr", target_lang="en")
        assert (match.unit_id, match.target) == (unit_id, "The committee met yesterday in Moncton.")

    service.delete_unit(session, "news", unit_id)
    for worker in (matcher, other_worker):
        assert worker.suggest(session, edited, source_lang="fr", target_lang="en") == []

    result = service.import_records(session, "news", [record(f"Phrase importée numéro {n} du lot.", f"Imported sentence {n}.") for n in range(50)])
    assert result.added == 50
    for worker in (matcher, other_worker):
        assert worker.suggest(session, "Phrase importée numéro 7 du lot.", source_lang="fr", target_lang="en")[0].similarity == 100.0

    service.delete_memory(session, "news")
    for worker in (matcher, other_worker):
        assert worker.suggest(session, PAIRS[0][0], source_lang="fr", target_lang="en") == []
        assert worker.size() == 0


def test_a_worker_built_later_starts_from_the_database(session, engine, memory):
    late = Matcher(engine)
    late.build()
    assert late.size() == 2 * len(PAIRS)
    assert late.suggest(session, PAIRS[3][1], source_lang="en", target_lang="fr")[0].unit_id == memory[3]


def test_many_changes_seal_and_merge_the_overlay(session, engine, memory, matcher, monkeypatch):
    from memories.matching import index

    matcher.build()
    monkeypatch.setattr(index, "FRESH_LIMIT", 3)
    monkeypatch.setattr(index, "MAX_MEMORY_SEGMENTS", 2)
    for n in range(12):
        service.add_units(session, "news", [record(f"Nouvelle phrase {n} sur la pêche.", f"New sentence {n} on fishing.")])
        assert matcher.suggest(session, f"Nouvelle phrase {n} sur la pêche.", source_lang="fr", target_lang="en")[0].similarity == 100.0
    assert matcher.size() == 2 * (len(PAIRS) + 12)


# -- concordance -----------------------------------------------------------------------------


def test_concordance_highlights_and_pages(session, memory, matcher):
    service.add_units(
        session,
        "news",
        [record(f"Un nouveau programme numéro {n} pour les familles de Moncton.", f"New program {n} for Moncton families.") for n in range(5)],
    )
    first = matcher.concordance(session, "nouveau programme", lang="fr", page_size=4)
    assert (first.total, first.page, len(first.items), first.has_more) == (6, 1, 4, True)
    second = matcher.concordance(session, "nouveau programme", lang="fr", page=2, page_size=4)
    assert (len(second.items), second.has_more) == (2, False)
    items = first.items + second.items
    assert len({item.unit_id for item in items}) == 6
    for item in items:
        assert [item.source[s:e].lower() for s, e in item.source_spans] == ["nouveau programme"]
    # shortest units first
    assert [len(item.source) for item in items] == sorted(len(item.source) for item in items)
    moncton = matcher.concordance(session, "Moncton", lang="fr", page_size=50)
    assert moncton.total == 6
    assert all(item.target[s:e] == "Moncton" for item in moncton.items for s, e in item.target_spans)
    assert moncton.as_dict()["items"][0]["source_spans"]


def test_concordance_in_english_and_by_value(session, memory, matcher):
    page = matcher.concordance(session, "$75 million", lang="en")
    [item] = page.items
    assert (item.source, item.target) == (PAIRS[1][1], PAIRS[1][0])
    assert [item.source[s:e] for s, e in item.source_spans] == ["$75 million"]
    assert [item.target[s:e] for s, e in item.target_spans] == ["75 millions de dollars"]
    by_value = matcher.concordance(session, "1200", lang="fr")
    assert [item.unit_id for item in by_value.items] == [memory[3]]
    assert matcher.concordance(session, "programme familles", lang="fr").total == 0  # not in a row
    assert matcher.concordance(session, "GOUVERNEMENT", lang="fr").total == 1


@pytest.mark.parametrize("arguments", [{"text": ""}, {"text": "?!"}, {"page": 0}, {"page_size": 0}, {"lang": "xx yy"}])
def test_concordance_refuses(session, memory, matcher, arguments):
    call = {"text": "programme", "lang": "fr"} | arguments
    with pytest.raises(InvalidInput):
        matcher.concordance(session, call.pop("text"), **call)


def test_threads_share_one_matcher_while_units_are_added(engine, session, memory, matcher):
    import threading

    from memories.database import make_session_factory

    factory = make_session_factory(engine)
    errors: list[BaseException] = []

    def reader():
        try:
            for _ in range(15):
                with factory() as own:
                    assert matcher.suggest(own, PAIRS[0][0], source_lang="fr", target_lang="en")[0].similarity == 100.0
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=reader) for _ in range(4)]
    for thread in threads:
        thread.start()
    for n in range(10):
        service.add_units(session, "news", [record(f"Phrase ajoutée {n} pendant les lectures.", f"Sentence {n}.")])
    for thread in threads:
        thread.join()
    assert errors == []
    assert matcher.suggest(session, "Phrase ajoutée 9 pendant les lectures.", source_lang="fr", target_lang="en")[0].similarity == 100.0


@pytest.mark.parametrize("min_similarity", [0, 30, 50, 70])
@pytest.mark.parametrize("limit", [1, 3, 5])
def test_top_k_equals_the_exhaustive_scan_with_many_close_units(session, engine, min_similarity, limit, monkeypatch):
    from memories.matching import ExhaustiveMatcher, word_search

    monkeypatch.setattr(word_search, "TWO_STEPS_BELOW", 75.0)  # the two-step search at 70 too

    service.create_memory(session, "variants")
    words = "le conseil municipal de Moncton a adopté hier soir le budget de la ville pour 2027".split()
    fillers = ["nouveau", "grand", "petit", "premier", "dernier", "Dieppe", "matin", "annuel"]
    records = []
    for n in range(60):
        variant = list(words)
        variant[n % len(variant)] = fillers[n % len(fillers)]
        if n % 3 == 0:
            del variant[(n * 7) % len(variant)]
        if n % 4 == 0:
            variant.insert((n * 5) % len(variant), fillers[(n + 3) % len(fillers)])
        records.append(record(" ".join(variant) + ".", f"Variant {n}."))
    records += [record(f"Une phrase sans rapport numéro {n} de la ville.", f"Unrelated {n}.") for n in range(30)]
    service.add_units(session, "variants", records)
    query = "Le conseil municipal de Dieppe a adopté hier le budget de la ville pour 2028."
    arguments = dict(source_lang="fr", target_lang="en", min_similarity=min_similarity, limit=limit)
    indexed = Matcher(engine).suggest(session, query, **arguments)
    naive = ExhaustiveMatcher(engine).suggest(session, query, **arguments)
    assert [(m.unit_id, m.similarity, m.quality) for m in indexed] == [(m.unit_id, m.similarity, m.quality) for m in naive]
    assert len(indexed) == limit
