"""Reviewing drafts: sacrebleu's numbers exactly, references from the memory, every flag, documents."""
from __future__ import annotations

import pytest
from sacrebleu.metrics import BLEU, CHRF, TER

from memories import service
from memories.database import make_session_factory
from memories.matching import Matcher
from tests.factories import record
from tm_service.review.flags import FLAG_CODES, LengthProfile, placeable_mismatch
from tm_service.review.metrics import METRICS, corpus_scores, sentence_scores
from tm_service.review.review import SegmentInput, review_documents, review_segments

DRAFTS = ["The cat sat on the mat.", "It will cost $4.5 million in 2027.", "Hello"]
REFERENCES = [["The cat is on the mat.", "A cat sat on the mat."], ["It will cost $4.5 million in 2027."], ["Good morning"]]


@pytest.mark.parametrize("index", range(3))
def test_sentence_scores_equal_sacrebleu(index):
    draft, references = DRAFTS[index], REFERENCES[index]
    ours = sentence_scores(draft, references, METRICS)
    expected = {
        "bleu": BLEU(effective_order=True),
        "chrf": CHRF(word_order=2),
        "ter": TER(),
    }
    for name, metric in expected.items():
        assert ours[name].score == metric.sentence_score(draft, references).score
        assert ours[name].signature == str(metric.get_signature())


def test_corpus_scores_equal_sacrebleu_with_variable_references():
    ours = corpus_scores(DRAFTS, REFERENCES, METRICS)
    streams = [[refs[0] for refs in REFERENCES], [refs[1] if len(refs) > 1 else None for refs in REFERENCES]]
    for name, metric in {"bleu": BLEU(), "chrf": CHRF(word_order=2), "ter": TER()}.items():
        assert ours[name].score == metric.corpus_score(DRAFTS, streams).score
        assert ours[name].signature == str(metric.get_signature())
    assert ours["bleu"].signature.startswith("nrefs:var|case:mixed|eff:no|tok:13a|smooth:exp")
    assert "nw:2" in ours["chrf"].signature


def test_known_values():
    scores = sentence_scores("It will cost $4.5 million in 2027.", ["It will cost $4.5 million in 2027."], METRICS)
    assert [scores[name].score for name in METRICS] == pytest.approx([100.0, 100.0, 0.0])
    scores = sentence_scores("The cat sat on the mat.", ["The cat is on the mat."], METRICS)
    # TER (tercom tokens keep "mat." whole): one substitution in six words.
    assert scores["ter"].score == pytest.approx(100 / 6)
    # BLEU by hand, 13a tokens: n-gram precisions 6/7, 4/6, 2/5, 1/4, equal lengths.
    assert scores["bleu"].score == pytest.approx(100 * (6 / 7 * 4 / 6 * 2 / 5 * 1 / 4) ** 0.25)


@pytest.mark.parametrize(
    "source, draft, expected",
    [
        ("Il coûte 89,2 millions de dollars.", "It costs $89.2 million.", None),
        ("Il coûte 89,2 millions de dollars.", "It costs $98.2 million.", "89,2 millions de dollars ($89.2 million)"),
        ("Le 27 novembre 2026 à 14 h 30.", "On November 27, 2026 at 2:30 p.m.", None),
        ("Le 27 novembre 2026 à 14 h 30.", "On November 27 at 2:30 p.m.", "27 novembre 2026"),
        ("Pour 1 500 familles.", "For 1,500 families.", None),
        ("Pour 1 500 familles.", "For families.", "1 500 (1,500)"),
    ],
)
def test_placeables_compare_across_languages(source, draft, expected):
    detail = placeable_mismatch(source, draft, source_lang="fr", target_lang="en")
    if expected is None:
        assert detail is None
    else:
        assert expected in detail


def test_length_profile_follows_gale_and_church():
    profile = LengthProfile.fit([(100, 90), (50, 44), (200, 185), (80, 70)])
    assert 0.88 < profile.ratio < 0.93
    assert abs(profile.z("x" * 100, "y" * 90)) < 1
    assert profile.z("x" * 150, "y" * 30) < -3


@pytest.fixture
def matcher(engine):
    return Matcher(make_session_factory(engine))


@pytest.fixture
def memory(session):
    service.create_memory(session, "news")
    units = [
        record("La clinique ouvrira ses portes en mars.", "The clinic will open in March."),
        record("La clinique ouvrira ses portes en mars.", "The clinic opens its doors in March."),
        record("Le projet coûtera 4,5 millions de dollars.", "The project will cost $4.5 million."),
        record("Les travaux commenceront au printemps prochain.", "Work will begin next spring."),
    ]
    # Enough ordinary pairs for the memory to say how long translations run.
    units += [record(f"Le ministre a visité la région numéro {n} cette semaine.", f"The minister visited region number {n} this week.") for n in range(60)]
    service.add_units(session, "news", units)
    return "news"


def codes(segment) -> set[str]:
    return {flag.code for flag in segment.flags}


def review(session, matcher, pairs, **options):
    segments = [SegmentInput(*pair) for pair in pairs]
    return review_segments(session, matcher, segments, source_lang="fr", target_lang="en", **options)


def test_exact_match_uses_every_stored_translation(session, matcher, memory):
    result = review(session, matcher, [("La clinique ouvrira ses portes en mars.", "The clinic will open in March.")])
    [segment] = result.segments
    assert segment.references.origin == "memory"
    assert segment.references.similarity == 100
    assert set(segment.references.texts) == {"The clinic will open in March.", "The clinic opens its doors in March."}
    assert len(segment.references.unit_ids) == 2
    assert segment.scores["bleu"].score == pytest.approx(100.0)
    assert codes(segment) == set()
    assert result.corpus["bleu"].signature.startswith("nrefs:2")


def test_fuzzy_reference_says_its_similarity(session, matcher, memory):
    result = review(session, matcher, [("Les travaux commenceront au printemps.", "Work will start in the spring.")])
    [segment] = result.segments
    assert segment.references.origin == "memory"
    assert 75 <= segment.references.similarity < 100
    assert segment.references.texts == ("Work will begin next spring.",)


def test_given_reference_wins_and_no_reference_is_none(session, matcher, memory):
    result = review(session, matcher, [("Phrase inconnue ici.", "An unknown sentence.", "A sentence unknown here."),
                                       ("Rien de semblable.", "Nothing alike.")])
    given, none = result.segments
    assert (given.references.origin, given.references.texts) == ("given", ("A sentence unknown here.",))
    assert (none.references.origin, none.references.texts, none.scores) == ("none", (), {})
    assert result.summary()["with_reference"] == 1


@pytest.mark.parametrize(
    "pairs, index, code",
    [
        ([("Le projet coûtera 4,5 millions de dollars.", "")], 0, "empty_draft"),
        ([("Le projet coûtera 4,5 millions de dollars.", "Le projet coûtera 4,5 millions de dollars.")], 0, "untranslated"),
        ([("Le projet coûtera 4,5 millions de dollars.", "The project will cost $5.4 million.")], 0, "number_mismatch"),
        ([("Le ministre a visité la région numéro 7 cette semaine avec plusieurs maires de la région.", "Visit number 7.")], 0, "length_ratio"),
        ([("Le projet coûtera 4,5 millions de dollars.", "The project is going to cost $4.5 million.")], 0, "differs_from_exact_match"),
        ([("Bonjour à tous.", "Hello everyone."), ("Bonjour à tous.", "Hi all.")], 1, "inconsistent_translation"),
    ],
)
def test_every_flag(session, matcher, memory, pairs, index, code):
    result = review(session, matcher, pairs)
    assert code in codes(result.segments[index])
    detail = next(f.detail for f in result.segments[index].flags if f.code == code)
    assert detail


def test_flag_codes_are_all_tested():
    assert set(FLAG_CODES) == {"empty_draft", "untranslated", "number_mismatch", "length_ratio",
                               "differs_from_exact_match", "inconsistent_translation", "unpaired"}


def test_documents_are_aligned_and_unpaired_sentences_flagged(session, matcher, memory):
    source = (
        "La clinique ouvrira ses portes en mars. Le projet coûtera 4,5 millions de dollars.\n\n"
        "Les travaux commenceront au printemps prochain. Une séance d’information aura lieu le 3 février."
    )
    draft = (
        "The clinic will open in March. The project will cost $4.5 million.\n\n"
        "Work will begin next spring."
    )
    result = review_documents(session, matcher, source, draft, source_lang="fr", target_lang="en")
    pairings = [s.pairing for s in result.segments]
    assert all(p is not None and "link" in p for p in pairings)
    assert [s.draft for s in result.segments[:3]] == [
        "The clinic will open in March.", "The project will cost $4.5 million.", "Work will begin next spring.",
    ]
    last = result.segments[-1]
    assert last.source.startswith("Une séance") and last.draft == ""
    assert codes(last) == {"unpaired"}
    assert result.corpus["bleu"].score == pytest.approx(100.0)
    as_json = result.as_dict()
    assert set(as_json["segments"][0]) >= {"source", "draft", "references", "reference_origin", "match_similarity",
                                           "bleu", "chrf", "ter", "flags", "pairing"}
