"""The bundled French-English seed dictionary, its look-ups, and the light stemmer behind them."""
from __future__ import annotations

from importlib import resources

import pytest

from alignment import Aligner
from alignment.dictionary import BUNDLED_DICTIONARIES, SeedDictionary, primary_language
from alignment.inflection import stem
from alignment.sides import Side
from alignment.tokens import WORD


@pytest.fixture(scope="module")
def french() -> SeedDictionary:
    dictionary = SeedDictionary.bundled("fr", "en")
    assert dictionary is not None
    return dictionary


def test_bundled_file_is_package_data_of_single_lower_case_words() -> None:
    for name in BUNDLED_DICTIONARIES.values():
        # pyproject's package-data ships "*.txt" files: the dictionary must stay one.
        assert name.endswith(".txt")
        text = (resources.files("alignment") / "data" / name).read_text(encoding="utf-8")
        pairs = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
        assert 1500 <= len(pairs) <= 4000
        for pair in pairs:
            assert len(pair) == 2 and all(WORD.fullmatch(word) and word == word.lower() for word in pair), pair
        assert len({tuple(pair) for pair in pairs}) == len(pairs)


@pytest.mark.parametrize("french_word, english_word", [
    ("ministre", "minister"), ("gouvernement", "government"), ("province", "province"),
    ("financement", "funding"), ("santé", "health"), ("école", "school"), ("route", "road"),
    ("le", "the"), ("et", "and"), ("nous", "we"), ("deux", "two"), ("lundi", "monday"),
    ("janvier", "january"), ("maison", "house"), ("cœur", "heart"), ("dit", "said"),
])
def test_core_vocabulary(french: SeedDictionary, french_word: str, english_word: str) -> None:
    assert english_word in french.translations(french_word)
    assert french_word in french.reversed().translations(english_word)


def test_words_the_dictionary_lacks_are_found_by_their_stem(french: SeedDictionary) -> None:
    assert "road" not in french.entries.get("routières", ())
    assert french.translations("routières") == french.translations("routière")
    assert {"begin", "start"} <= french.translations("commençaient")
    assert french.translations("zxqwv") == frozenset()


@pytest.mark.parametrize("source_lang, target_lang, expected", [
    ("fr", "en", ("fr", "en")), ("en", "fr", ("en", "fr")), ("fr-CA", "en_CA", ("fr", "en")),
    ("EN", "FR", ("en", "fr")), ("de", "fr", None), ("fr", "de", None),
])
def test_bundled_for_both_directions_and_language_tags(source_lang: str, target_lang: str,
                                                       expected: tuple[str, str] | None) -> None:
    dictionary = SeedDictionary.bundled(source_lang, target_lang)
    if expected is None:
        assert dictionary is None
    else:
        assert dictionary is not None and (dictionary.source_lang, dictionary.target_lang) == expected


def test_reversed_keeps_every_pair(french: SeedDictionary) -> None:
    english = french.reversed()
    assert len(english) == len(french)
    assert english.reversed().entries == french.entries


def test_parse_rejects_malformed_lines() -> None:
    parsed = SeedDictionary.parse(["# a comment", "", "chat\tcat", "Chat\tCAT"], source_lang="fr", target_lang="en")
    assert parsed.entries == {"chat": frozenset({"cat"})}
    for line in ("chat cat", "chat\tcat\tkitty", "pomme de terre\tpotato", "chat\t"):
        with pytest.raises(ValueError, match="line 1"):
            SeedDictionary.parse([line], source_lang="fr", target_lang="en")


def test_shared_keys_meet_across_languages_and_inflections(french: SeedDictionary) -> None:
    source = Side.analyse(["Le chat dort.", "Les routes sont fermées."])
    target = Side.analyse(["The cat sleeps.", "The roads are closed."])
    source_rows, target_rows, size = french.shared_keys(
        source.words, source.vocabulary, target.words, target.vocabulary)

    def keys(rows, row: int) -> set[int]:
        return set(rows.row(row).tolist())

    assert size >= 1000
    # le-the, chat-cat, dort-sleeps; les-the, routes-roads, sont-are, fermées-closed
    assert len(keys(source_rows, 0) & keys(target_rows, 0)) == 3
    assert len(keys(source_rows, 1) & keys(target_rows, 1)) == 4
    assert keys(source_rows, 0) & keys(target_rows, 1) == keys(target_rows, 0) & keys(target_rows, 1)  # "the"


def test_an_aligner_subclass_can_do_without_the_dictionary() -> None:
    class Plain(Aligner):
        def seed_dictionary(self) -> SeedDictionary | None:
            return None

    pair = [(["Le chat dort.", "Il pleut."], ["The cat sleeps.", "It rains."])]
    with_dictionary = Aligner(source_lang="fr", target_lang="en").align_corpus(pair).beads[0]
    without = Plain(source_lang="fr", target_lang="en").align_corpus(pair).beads[0]
    assert min(bead.score for bead in with_dictionary) > max(bead.score for bead in without)


@pytest.mark.parametrize("words, lang", [
    (["commencer", "commence", "commencent", "commencé", "commençait", "commençaient"], "fr"),
    (["journal", "journaux"], "fr"),
    (["route", "routes"], "fr"),
    (["routier", "routiers", "routière", "routières"], "fr"),
    (["présidente", "présidentes", "président"], "fr"),
    (["sleep", "sleeps"], "en"),
    (["city", "cities"], "en"),
    (["announce", "announced", "announces"], "en"),
    (["start", "starts", "started", "starting"], "en"),
])
def test_inflections_share_a_stem(words: list[str], lang: str) -> None:
    assert len({stem(word, lang) for word in words}) == 1


@pytest.mark.parametrize("word, lang, expected", [
    ("mais", "fr", "mais"),          # short words are left alone: not a plural of "mai"
    ("news", "en", "news"),
    ("business", "en", "business"),  # not a plural
    ("École", "fr", "ecol"),         # folded and lower-cased
    ("Straße", "de", "straße"),      # no rules: folded only
])
def test_stem_leaves_what_is_not_an_inflection(word: str, lang: str, expected: str) -> None:
    assert stem(word, lang) == expected


def test_primary_language() -> None:
    assert [primary_language(tag) for tag in ("fr", "fr-CA", "fr_CA", "FR", "en-GB")] == ["fr", "fr", "fr", "fr", "en"]
