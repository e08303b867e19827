"""The match index as shared files: built once, mapped by every process, kept current from the
change log through the overlay and the background refresh, never trusted across databases."""
from __future__ import annotations

import json

import numpy as np
import pytest

from memories import service
from memories.matching import Matcher, live, store
from memories.matching.segment import Segment
from tests.factories import record

SENTENCES = [
    (f"Le ministère annonce {word} pour la région de {place}.", f"The department announces {english} for the {place} region.")
    for word, english in (("un programme", "a program"), ("une subvention", "a grant"), ("un projet", "a project"))
    for place in ("Moncton", "Dieppe", "Bathurst", "Edmundston")
]


def suggest(matcher, session, query, **options):
    options = {"source_lang": "fr", "target_lang": "en", "min_similarity": 50, **options}
    return [(m.unit_id, m.similarity, round(m.quality, 6)) for m in matcher.suggest(session, query, **options)]


@pytest.fixture
def memory(session):
    service.create_memory(session, "news")
    return service.add_units(session, "news", [record(fr, en) for fr, en in SENTENCES])


def test_files_answer_as_the_in_memory_index(session, engine, memory, tmp_path):
    folder = tmp_path / "index"
    summary = store.update(session, folder)
    assert summary.rebuilt and summary.sides == 2 * len(SENTENCES)
    manifest = store.read_manifest(folder)
    assert manifest["segments"] and all((folder / entry["name"] / "meta.json").exists() for entry in manifest["segments"])
    mapped, in_memory = Matcher(engine, index_dir=folder), Matcher(engine)
    for query in ("Le ministère annonce un programme pour la région de Dieppe.", "une subvention pour Bathurst"):
        for order in ("similarity", "quality"):
            assert suggest(mapped, session, query, order=order) == suggest(in_memory, session, query, order=order)
    # Opening did not write anything: the files were current.
    assert store.read_manifest(folder)["generation"] == manifest["generation"]
    segment = mapped.index.snapshot.parts[("fr", "en")][0].segment
    assert isinstance(segment.word_postings, np.ndarray) and not segment.word_postings.flags.writeable


def test_changes_reach_a_mapped_index_and_are_written_out(session, engine, memory, tmp_path, monkeypatch):
    folder = tmp_path / "index"
    store.update(session, folder)
    worker, other = Matcher(engine, index_dir=folder), Matcher(engine, index_dir=folder)
    worker.open(), other.open()
    query = "Le conseil de Sackville adopte son budget."
    [unit_id] = service.add_units(session, "news", [record(query, "Sackville council adopts its budget.")])
    service.delete_unit(session, "news", memory[0])
    for matcher in (worker, other):  # a small change: applied by the next request
        assert suggest(matcher, session, query)[0][:2] == (unit_id, 100.0)
        assert memory[0] not in [m[0] for m in suggest(matcher, session, SENTENCES[0][0], limit=30)]
    assert worker.index.snapshot.overlay_size() == 2
    monkeypatch.setattr(live, "PERSIST_ABOVE", 0)
    worker.index.refresh()  # the background step: the overlay becomes a new generation
    manifest = store.read_manifest(folder)
    assert manifest["version"] == worker.index.snapshot.version and worker.index.snapshot.overlay_size() == 0
    assert any(entry["dead"] for entry in manifest["segments"])
    other.index.refresh()  # another worker switches to it
    assert other.index.snapshot.generation == manifest["generation"]
    for matcher in (worker, other, Matcher(engine, index_dir=folder)):
        assert suggest(matcher, session, query)[0][:2] == (unit_id, 100.0)
        assert memory[0] not in [m[0] for m in suggest(matcher, session, SENTENCES[0][0], limit=30)]


def test_a_large_change_is_left_to_the_background_and_no_request_waits(session, engine, memory, tmp_path, monkeypatch):
    folder = tmp_path / "index"
    store.update(session, folder)
    matcher = Matcher(engine, index_dir=folder)
    matcher.open()
    monkeypatch.setattr(live, "INLINE_UNITS", 0)
    monkeypatch.setattr(live.LiveIndex, "start", lambda self: None)  # the test plays the thread
    query = "Le conseil de Sackville adopte son budget."
    [unit_id] = service.add_units(session, "news", [record(query, "Sackville council adopts its budget.")])
    assert unit_id not in [m[0] for m in suggest(matcher, session, query)]  # the snapshot it has
    matcher.index.refresh()
    assert suggest(matcher, session, query)[0][:2] == (unit_id, 100.0)


def test_files_of_another_database_are_rebuilt(session, engine, memory, tmp_path):
    folder = tmp_path / "index"
    store.update(session, folder)
    manifest = store.read_manifest(folder)
    (folder / store.MANIFEST).write_text(json.dumps({**manifest, "database_id": "another"}))
    summary = store.update(session, folder)
    assert summary.rebuilt and store.read_manifest(folder)["database_id"] == manifest["database_id"]
    old = [entry["name"] for entry in manifest["segments"]]
    assert not any((folder / name).exists() for name in old), "files no manifest names are deleted"


def test_a_deleted_memory_leaves_every_segment(session, engine, memory, tmp_path):
    folder = tmp_path / "index"
    store.update(session, folder)
    matcher = Matcher(engine, index_dir=folder)
    assert matcher.size() == 2 * len(SENTENCES)
    service.delete_memory(session, "news")
    assert matcher.size() == 0 and suggest(matcher, session, SENTENCES[0][0]) == []
    assert store.update(session, folder).sides == 0


def test_segments_round_trip_through_files(tmp_path):
    from memories.matching.index import segments_of

    units = [(n + 1, 7, "fr", fr, "en", en) for n, (fr, en) in enumerate(SENTENCES)]
    built = segments_of(units)[("en", "fr")]
    opened = Segment.open(tmp_path / built.save(tmp_path))
    assert len(opened) == len(built) and opened.lang == "en" and opened.other == "fr"
    ranks = np.arange(len(built))
    assert opened.texts_of(ranks) == built.texts_of(ranks) == opened.texts_between(0, len(built))
    assert opened.keys_of(ranks) == built.keys_of(ranks)
    assert sorted(opened.texts_of(ranks)) == sorted(en for _, en in SENTENCES)


def test_a_large_change_goes_to_the_files_not_to_every_overlay(session, engine, memory, tmp_path, monkeypatch):
    folder = tmp_path / "index"
    store.update(session, folder)
    matcher = Matcher(engine, index_dir=folder)
    matcher.open()
    monkeypatch.setattr(live, "INLINE_UNITS", 0)
    monkeypatch.setattr(live, "PERSIST_ABOVE", 0)
    monkeypatch.setattr(live, "LARGE_GRACE_SECONDS", 0.0)
    monkeypatch.setattr(live.LiveIndex, "start", lambda self: None)
    query = "Le conseil de Sackville adopte son budget."
    [unit_id] = service.add_units(session, "news", [record(query, "Sackville council adopts its budget.")])
    with store.locked(folder):  # `tm import` is writing the files: the worker waits for them
        matcher.index.refresh()
    assert unit_id not in [m[0] for m in suggest(matcher, session, query)]
    matcher.index.refresh()  # nobody wrote them: the worker does, for every worker
    assert store.read_manifest(folder)["version"] == matcher.index.snapshot.version
    assert matcher.index.snapshot.overlay_size() == 0
    assert suggest(matcher, session, query)[0][:2] == (unit_id, 100.0)
