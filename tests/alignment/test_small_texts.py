"""Confidence on small inputs (one pair of short texts, as the web page and POST /api/v1/align
send): correct French/English links are stored, links between unrelated texts are not."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest

from alignment import DEFAULT_MIN_SCORE, Aligner, Bead, align, pairs, read_document
from alignment.formats import check_coverage
from alignment.null_texts import BUNDLED_NULL_TEXTS, SMALL_BATCH_SENTENCES, bundled_null_texts

#: The demo's sample releases (one sentence a line, line k of the French the translation of
#: line k of the English). Read as files: the aligner's tests import nothing from tm_service.
RELEASES = Path(__file__).resolve().parents[2] / "tm_service" / "demo" / "releases"

SHORT_PAIRS = [
    ("La réunion commence à 9 h. Elle finit à midi.",
     "The meeting starts at 9 a.m. It ends at noon."),
    ("Le chat dort.", "The cat sleeps."),
    ("Le chat dort. Il pleut.", "The cat sleeps. It rains."),
    ("Le ministre de la Santé a annoncé un nouveau financement pour les hôpitaux ruraux. "
     "Les travaux commenceront au printemps.",
     "The Minister of Health announced new funding for rural hospitals. "
     "Work will begin in the spring."),
    ("L’école restera fermée lundi en raison de la tempête. Les élèves pourront rentrer mardi.",
     "The school will remain closed on Monday because of the storm. Students can return on Tuesday."),
    ("Elle ouvrit la fenêtre et regarda la mer. Le vent était froid. Personne ne parlait.",
     "She opened the window and looked at the sea. The wind was cold. Nobody spoke."),
]

UNRELATED_PAIRS = [
    ("Le chat dort. Il pleut.", "The stock market fell sharply. Investors were worried."),
    ("La réunion commence à 9 h. Elle finit à midi.",
     "Our hockey team won the final game. Fans celebrated downtown."),
    ("Le gouvernement provincial investira dans les routes cette année. Les travaux commenceront en mai.",
     "Mix the flour with two eggs and a cup of milk. Bake the cake for forty minutes."),
    ("Elle ouvrit la fenêtre et regarda la mer. Le vent était froid.",
     "The committee approved the budget on Tuesday. The vote was unanimous."),
]


def _links(beads: list[Bead]) -> list[Bead]:
    return [bead for bead in beads if not bead.is_deletion]


@pytest.mark.parametrize("french, english", SHORT_PAIRS)
@pytest.mark.parametrize("direction", ["fr-en", "en-fr"])
def test_short_translations_get_confident_correct_links(french: str, english: str, direction: str) -> None:
    source, target = (french, english) if direction == "fr-en" else (english, french)
    source_lang, target_lang = direction.split("-")
    source_document = read_document(source, lang=source_lang)
    target_document = read_document(target, lang=target_lang)
    assert len(source_document) == len(target_document)
    beads = align(source_document, target_document, source_lang=source_lang, target_lang=target_lang)
    assert [(bead.source_indices, bead.target_indices) for bead in beads] == [
        ((k,), (k,)) for k in range(len(source_document))]
    assert min(bead.score for bead in beads) > 0.9


@pytest.mark.parametrize("french, english", UNRELATED_PAIRS)
def test_short_unrelated_texts_stay_below_the_threshold(french: str, english: str) -> None:
    beads = align(read_document(french, lang="fr"), read_document(english, lang="en"),
                  source_lang="fr", target_lang="en")
    assert all(bead.score < DEFAULT_MIN_SCORE for bead in beads)


def _releases() -> list[tuple[list[str], list[str]]]:
    if not RELEASES.is_dir():
        pytest.skip(f"demo releases not found at {RELEASES}")
    found = []
    for french_path in sorted(RELEASES.glob("*.fr.txt")):
        english_path = french_path.with_name(french_path.name.replace(".fr.txt", ".en.txt"))
        french = french_path.read_text(encoding="utf-8").splitlines()
        english = english_path.read_text(encoding="utf-8").splitlines()
        assert len(french) == len(english), french_path.name
        found.append((french, english))
    assert len(found) >= 5
    return found


def _normalised(pairs_: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    """Pairs with their white space normalised (reading as text does, as pre-split does not)."""
    return {(" ".join(source.split()), " ".join(target.split())) for source, target in pairs_ if source.strip()}


@pytest.mark.parametrize("kind", ["text", "pre-split"])
def test_demo_releases_aligned_one_at_a_time_keep_nearly_all_pairs(kind: str) -> None:
    """As the web page would: one release per request, read as running text or line by line."""
    expected = stored = 0
    for french, english in _releases():
        source = read_document("\n".join(french), kind=kind, lang="fr")
        target = read_document("\n".join(english), kind=kind, lang="en")
        gold = _normalised(zip(french, english))
        kept = _normalised((s, t) for s, t, _ in pairs(
            align(source, target, source_lang="fr", target_lang="en"), source.sentences, target.sentences))
        expected += len(gold)
        stored += len(gold & kept)
        assert len(kept - gold) <= 1  # no wrong pair stored (one merge at most)
    assert stored >= 0.97 * expected


@pytest.mark.parametrize("size", [2, 3, 5])
def test_pieces_of_releases_keep_nearly_all_pairs(size: int) -> None:
    """Releases cut into pieces of a few sentences, each piece aligned alone."""
    expected = stored = 0
    for french, english in _releases():
        lines = [(f, e) for f, e in zip(french, english) if f.strip()]
        for start in range(0, len(lines), size):
            piece = lines[start:start + size]
            beads = align([f for f, _ in piece], [e for _, e in piece], source_lang="fr", target_lang="en")
            check_coverage(beads, len(piece), len(piece))
            expected += len(piece)
            stored += sum(bead.score >= DEFAULT_MIN_SCORE and bead.source_indices == bead.target_indices
                          and len(bead.source_indices) == 1 for bead in beads)
    assert stored >= 0.97 * expected


def test_releases_against_unrelated_english_store_nothing() -> None:
    """The opening of each release against short English texts on other subjects."""
    english = [sentence for _, text in UNRELATED_PAIRS for sentence in read_document(text, lang="en").sentences]
    for french, _ in _releases():
        opening = [line for line in french if line.strip()][:6]
        beads = align(opening, english, source_lang="fr", target_lang="en")
        assert all(bead.score < DEFAULT_MIN_SCORE for bead in _links(beads))


def test_null_texts_are_parallel_and_left_out_of_the_result() -> None:
    for source_lang, target_lang in list(BUNDLED_NULL_TEXTS) + [tuple(reversed(k)) for k in BUNDLED_NULL_TEXTS]:
        documents = bundled_null_texts(source_lang, target_lang)
        assert len(documents) >= 5
        assert sum(len(source) for source, _ in documents) < SMALL_BATCH_SENTENCES
        for source, target in documents:
            assert len(source) == len(target) >= 5
    assert bundled_null_texts("de", "fr") == []
    result = Aligner(source_lang="fr", target_lang="en").align_corpus(
        [(["Le chat dort."], ["The cat sleeps."]), (["Il pleut."], ["It rains."])])
    assert len(result.beads) == 2
    for beads in result.beads:
        check_coverage(beads, 1, 1)
