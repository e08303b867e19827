"""The learned word-translation table (IBM Model 1): training, merging and persistence."""
from __future__ import annotations

import json

import pytest

from alignment import Lexicon
from alignment.ibm1 import ibm1_both_directions

PAIRS = [
    ("le chat dort", "the cat sleeps"),
    ("le chien dort", "the dog sleeps"),
    ("un chat mange", "a cat eats"),
    ("un chien mange", "a dog eats"),
    ("le chat mange le poisson", "the cat eats the fish"),
    ("le chien voit le chat", "the dog sees the cat"),
] * 2


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon.train(PAIRS, source_lang="fr", target_lang="en")


def test_learns_word_translations(lexicon: Lexicon) -> None:
    for french, english in [("chat", "cat"), ("chien", "dog"), ("dort", "sleeps"), ("mange", "eats")]:
        assert lexicon.translations(french, top=1)[0][0] == english
        assert lexicon.backward.translations(english, top=1)[0][0] == french
    assert lexicon.probability("chat", "cat") > 0.5
    assert 0.0 <= lexicon.probability("chat", "dog") < lexicon.probability("chat", "cat")
    assert lexicon.pair_count == len(PAIRS)


def test_probabilities_sum_to_at_most_one(lexicon: Lexicon) -> None:
    for word in lexicon.forward.counts:
        assert sum(p for _, p in lexicon.translations(word, top=100)) <= 1.0 + 1e-9


def test_json_round_trip(lexicon: Lexicon) -> None:
    text = lexicon.to_json()
    assert json.loads(text)["format"] == "tm-lexicon"
    again = Lexicon.from_json(text)
    assert again == lexicon
    with pytest.raises(ValueError):
        Lexicon.from_json('{"format": "something else"}')
    with pytest.raises(ValueError):
        Lexicon.from_json(text.replace('"version": 1', '"version": 99'))


def test_merge_adds_evidence(lexicon: Lexicon) -> None:
    merged = lexicon.merge(lexicon)
    assert merged.pair_count == 2 * lexicon.pair_count
    assert merged.forward.counts["chat"]["cat"] == pytest.approx(2 * lexicon.forward.counts["chat"]["cat"])
    assert merged.probability("chat", "cat") == pytest.approx(lexicon.probability("chat", "cat"))
    assert lexicon.merge(lexicon.reversed()).pair_count == 2 * lexicon.pair_count
    with pytest.raises(ValueError):
        lexicon.merge(Lexicon("de", "fr"))


def test_update_improves_with_more_pairs() -> None:
    small = Lexicon.train(PAIRS[:2], source_lang="fr", target_lang="en")
    grown = small.update(PAIRS)
    assert grown.pair_count == 2 + len(PAIRS)
    assert grown.probability("chien", "dog") > small.probability("chien", "dog")


def test_oriented() -> None:
    lexicon = Lexicon("fr", "en")
    assert lexicon.oriented("fr", "en") is lexicon
    assert lexicon.oriented("en", "fr").source_lang == "en"
    assert lexicon.oriented("de", "fr") is None


def test_em_on_ids_matches_between_entry_points() -> None:
    forward, backward = ibm1_both_directions([[0, 1], [0, 2]], [[5, 6], [5, 7]])
    assert len(forward.counts) and len(backward.counts)
    assert forward.counts.sum() == pytest.approx(4.0)  # one unit per target token
    assert backward.counts.sum() == pytest.approx(4.0)
