"""The store through its service layer, on SQLite and PostgreSQL."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from memories import repository, service
from memories.errors import Conflict, InvalidInput, NotFound
from memories.models import Document, Unit
from tests.factories import record


@pytest.fixture
def memory(session):
    return service.create_memory(session, "news", description="releases")


def test_create_and_list(session, memory):
    service.create_memory(session, "other", source_lang="de", target_lang="fr")
    summaries = repository.memory_summaries(session)
    assert [(s.name, s.source_lang, s.target_lang, s.units) for s in summaries] == [
        ("news", "fr", "en", 0),
        ("other", "de", "fr", 0),
    ]


@pytest.mark.parametrize(
    "name, languages, error",
    [
        ("news", ("fr", "en"), Conflict),
        ("", ("fr", "en"), InvalidInput),
        ("has space", ("fr", "en"), InvalidInput),
        ("x" * 101, ("fr", "en"), InvalidInput),
        ("same", ("fr-CA", "fr"), InvalidInput),
        ("badtag", ("fr", "not a tag"), InvalidInput),
    ],
)
def test_create_refuses(session, memory, name, languages, error):
    with pytest.raises(error):
        service.create_memory(session, name, source_lang=languages[0], target_lang=languages[1])


def test_unit_fields_are_normalised(session, memory):
    [unit_id] = service.add_units(session, "news", [record("  Bonjour\u00a0 le\n monde ", "Hello  world", "fr-ca", "EN_us")])
    unit = session.get(Unit, unit_id)
    assert (unit.source_lang, unit.target_lang) == ("fr-CA", "en-US")
    assert unit.source_text == "  Bonjour\u00a0 le\n monde "
    assert unit.source_normalised == "Bonjour le monde"
    assert (unit.source_length, unit.target_length) == (16, 11)
    assert unit.origin == "import"
    assert unit.created_at is not None and unit.changed_at is not None


def test_one_unit_serves_both_directions(session, memory):
    first = service.add_units(session, "news", [record("Bonjour", "Hello")])
    reversed_ = service.add_units(session, "news", [record("Hello", "Bonjour", "en", "fr")])
    assert first == reversed_
    unit = session.get(Unit, first[0])
    assert (unit.source_lang, unit.source_text) == ("fr", "Bonjour")


def test_duplicates_are_stored_once(session, memory):
    ids = service.add_units(
        session,
        "news",
        [record("Bonjour", "Hello"), record(" Bonjour ", "Hello\n"), record("Bonjour", "Hi")],
    )
    assert ids[0] == ids[1] != ids[2]
    assert repository.count_units(session, memory.id) == 2


def test_language_outside_the_pair_is_refused(session, memory):
    with pytest.raises(InvalidInput, match="do not match"):
        service.add_units(session, "news", [record("Hallo", "Hello", "de", "en")])
    assert repository.count_units(session, memory.id) == 0


@pytest.mark.parametrize(
    "source, target, message",
    [("", "Hello", "empty"), ("  \n ", "Hello", "empty"), ("a\x00b", "Hello", "control"), ("x" * 20_001, "y", "longer")],
)
def test_bad_texts_are_refused(session, memory, source, target, message):
    with pytest.raises(InvalidInput, match=message):
        service.add_units(session, "news", [record(source, target)])


def test_bad_unit_rolls_back_the_whole_import(session, memory):
    service.add_units(session, "news", [record("Déjà là", "Already there")])
    units = [record(f"Phrase {i}", f"Sentence {i}", location=f"line {i}") for i in range(1, 12_000)]
    units[8999] = record("Phrase 9000", "", location="line 9000")
    with pytest.raises(InvalidInput, match="line 9000"):
        service.import_records(session, "news", iter(units))
    assert repository.count_units(session, memory.id) == 1


def test_import_counts_added_and_duplicates(session, memory):
    units = [record(f"Phrase {i}", f"Sentence {i}") for i in range(2500)]
    first = service.import_records(session, "news", iter(units))
    again = service.import_records(session, "news", iter(units))
    assert (first.read, first.added, first.duplicates) == (2500, 2500, 0)
    assert (again.read, again.added, again.duplicates) == (2500, 0, 2500)


def test_update_and_delete_unit(session, memory):
    first, second = service.add_units(session, "news", [record("Un", "One"), record("Deux", "Two")])
    unit = service.update_unit(session, "news", first, record("Un.", "One."))
    assert (unit.source_text, unit.target_normalised) == ("Un.", "One.")
    with pytest.raises(Conflict):
        service.update_unit(session, "news", first, record("Deux", "Two"))
    service.delete_unit(session, "news", second)
    with pytest.raises(NotFound):
        service.delete_unit(session, "news", second)
    assert repository.count_units(session, memory.id) == 1


def test_release_is_stored_once_with_positions(session, memory):
    pairs = [service.AlignedPair("Un.", "One.", 0.9), service.AlignedPair("Deux.", "Two.", 0.8)]
    arguments = dict(title="T", origin="t.fr.txt", source_text="Un. Deux.", target_text="One. Two.", pairs=pairs)
    result = service.store_release(session, "news", **arguments)
    assert (result.added, result.duplicates) == (2, 0)
    assert service.store_release(session, "news", **arguments) is None
    [document] = session.scalars(select(Document)).all()
    units = session.scalars(select(Unit).order_by(Unit.position)).all()
    assert [(u.document_id, u.position, u.origin, u.alignment_score) for u in units] == [
        (document.id, 0, "aligner", 0.9),
        (document.id, 1, "aligner", 0.8),
    ]
    assert len(document.source_checksum) == 64


def test_delete_memory_removes_everything(session, memory):
    service.add_units(session, "news", [record("Un", "One")])
    service.delete_memory(session, "news")
    assert repository.memory_summaries(session) == []
    assert session.scalars(select(Unit)).all() == []
    with pytest.raises(NotFound):
        service.delete_memory(session, "news")


def test_duplicates_within_one_file_across_batches_are_counted_once(session, memory):
    units = [record(f"Phrase {i}", f"Sentence {i}") for i in range(1500)]
    result = service.import_records(session, "news", iter(units + units[:500]))
    assert (result.read, result.added, result.duplicates) == (2000, 1500, 500)
    assert repository.count_units(session, memory.id) == 1500


def test_a_release_in_the_reverse_direction_is_stored_oriented(session, memory):
    pairs = [service.AlignedPair("One.", "Un.", 0.9)]
    arguments = dict(title="T", origin="t", source_text="One.", target_text="Un.", pairs=pairs,
                     source_lang="en", target_lang="fr")
    assert service.store_release(session, "news", **arguments).added == 1
    [unit] = session.scalars(select(Unit)).all()
    assert (unit.source_lang, unit.source_text, unit.target_text) == ("fr", "Un.", "One.")
    forward = dict(arguments, source_text="Un.", target_text="One.", source_lang="fr", target_lang="en")
    assert service.store_release(session, "news", **forward) is None  # the same release, already stored
    with pytest.raises(InvalidInput, match="do not match"):
        service.store_release(session, "news", **dict(arguments, source_lang="de"))
