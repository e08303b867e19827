"""Finding release pairs, aligning and storing them: `tm ingest` and `tm align`."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from memories import service
from memories.errors import InvalidInput
from memories.models import Document, Unit
from tm_service.commands.align import align_command, ingest_command
from tm_service.ingest import ingest_folder
from tm_service.releases import find_release_pairs

FRENCH = """Nouvelle clinique à Moncton

MONCTON (GNB) – Une nouvelle clinique de santé ouvrira ses portes le 3 mars 2027. Elle offrira des soins à 1 500 familles.

« Nous sommes fiers de ce projet », a déclaré M. Leblanc. La clinique coûtera 4,5 millions de dollars.
"""
ENGLISH = """New clinic in Moncton

MONCTON (GNB) – A new health clinic will open its doors on March 3, 2027. It will provide care to 1,500 families.

“We are proud of this project,” said Mr. Leblanc. The clinic will cost $4.5 million.
"""
FRENCH_2 = "Fermeture d'une route\n\nLa route 8 sera fermée lundi. Les automobilistes doivent prévoir un détour.\n"
ENGLISH_2 = "Road closure\n\nRoute 8 will be closed on Monday. Drivers should plan a detour.\n"


@pytest.fixture
def releases(tmp_path):
    folder = tmp_path / "releases"
    folder.mkdir()
    (folder / "2027-02-01-clinic.fr.txt").write_text(FRENCH, "utf-8")
    (folder / "2027-02-01-clinic.en.txt").write_text(ENGLISH, "utf-8")
    (folder / "road.fr.txt").write_text(FRENCH_2, "utf-8")
    (folder / "road.en.txt").write_text(ENGLISH_2, "utf-8")
    (folder / "orphan.fr.txt").write_text("Seul.", "utf-8")
    return folder


def test_pairs_by_suffix(releases):
    pairs = find_release_pairs(releases, source_lang="fr", target_lang="en")
    assert [(p.name, p.source_path.name, p.target_path.name) for p in pairs] == [
        ("2027-02-01-clinic", "2027-02-01-clinic.fr.txt", "2027-02-01-clinic.en.txt"),
        ("road", "road.fr.txt", "road.en.txt"),
    ]
    assert pairs[0].published_on.date().isoformat() == "2027-02-01"


def test_pairs_by_language_folders(tmp_path):
    for lang, text in (("fr", FRENCH), ("en", ENGLISH)):
        (tmp_path / lang).mkdir()
        (tmp_path / lang / "clinic.html").write_text(text, "utf-8")
    [pair] = find_release_pairs(tmp_path, source_lang="fr", target_lang="en")
    assert (pair.source_path.parent.name, pair.target_path.parent.name, pair.name) == ("fr", "en", "clinic")


def test_pairs_by_manifest(tmp_path):
    (tmp_path / "a.txt").write_text(FRENCH, "utf-8")
    (tmp_path / "b.txt").write_text(ENGLISH, "utf-8")
    (tmp_path / "manifest.csv").write_text("source,target,title,date,url\na.txt,b.txt,Clinic,2027-02-01,https://example.org/1\n", "utf-8")
    [pair] = find_release_pairs(tmp_path, source_lang="fr", target_lang="en")
    assert (pair.title, pair.url, pair.origin) == ("Clinic", "https://example.org/1", "https://example.org/1")


def test_manifest_naming_a_missing_file_is_refused(tmp_path):
    (tmp_path / "manifest.csv").write_text("source,target\na.txt,b.txt\n", "utf-8")
    with pytest.raises(InvalidInput, match="line 2"):
        find_release_pairs(tmp_path, source_lang="fr", target_lang="en")


def test_empty_folder_is_refused(tmp_path):
    with pytest.raises(InvalidInput, match="no release pairs"):
        find_release_pairs(tmp_path, source_lang="fr", target_lang="en")


@pytest.mark.parametrize("jobs", [1, 2])
def test_ingest_stores_units_with_document_and_position_once(session, releases, jobs):
    service.create_memory(session, "news")
    report = ingest_folder(session, "news", releases, jobs=jobs)
    assert (report.releases, report.already_stored) == (2, 0)
    assert report.units_added >= 4
    again = ingest_folder(session, "news", releases, jobs=jobs)
    assert (again.already_stored, again.units_added) == (2, 0)
    documents = session.scalars(select(Document).order_by(Document.title)).all()
    assert [d.title for d in documents] == ["Fermeture d'une route", "Nouvelle clinique à Moncton"]
    units = session.scalars(select(Unit).order_by(Unit.document_id, Unit.position)).all()
    assert all(u.origin == "aligner" and 0 <= u.alignment_score <= 1 and u.document_id for u in units)
    texts = {u.source_text: u.target_text for u in units}
    assert texts["La route 8 sera fermée lundi."] == "Route 8 will be closed on Monday."


def test_tm_ingest_creates_the_memory_and_reports(runner, releases):
    result = runner.invoke(ingest_command, [str(releases), "--memory", "news"])
    assert result.exit_code == 0, result.output
    assert "created memory news (fr-en)" in result.output
    assert "2 releases: 2 aligned, 0 already stored" in result.output
    again = runner.invoke(ingest_command, [str(releases), "--memory", "news"])
    assert "2 releases: 0 aligned, 2 already stored; 0 units added" in again.output


def test_tm_align_pre_split_prints_every_sentence_once(runner, tmp_path):
    source, target = tmp_path / "s.txt", tmp_path / "t.txt"
    source.write_text("Bonjour à tous.\nLa réunion commence à 9 h.\nElle finit à midi. Merci.\n", "utf-8")
    target.write_text("Hello everyone.\nThe meeting starts at 9 a.m.\nIt ends at noon.\nThank you.\n", "utf-8")
    result = runner.invoke(align_command, [str(source), str(target), "--pre-split", "--src-lang", "fr", "--tgt-lang", "en"])
    assert result.exit_code == 0, result.output
    links = [line.rsplit(":", 1)[0] for line in result.output.splitlines()]
    assert links[:2] == ["[0]:[0]", "[1]:[1]"]
    covered_source = [int(i) for link in links for i in link.split(":")[0].strip("[]").split(", ") if i]
    covered_target = [int(j) for link in links for j in link.split(":")[1].strip("[]").split(", ") if j]
    assert covered_source == [0, 1, 2] and covered_target == [0, 1, 2, 3]
    assert all(0 <= float(line.rsplit(":", 1)[1]) <= 1 for line in result.output.splitlines())


def test_tm_align_jsonl_on_raw_documents(runner, tmp_path):
    source, target = tmp_path / "fr.txt", tmp_path / "en.txt"
    source.write_text(FRENCH, "utf-8")
    target.write_text(ENGLISH, "utf-8")
    result = runner.invoke(align_command, [str(source), str(target), "--src-lang", "fr", "--tgt-lang", "en", "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    pairs = [json.loads(line) for line in result.output.splitlines()]
    assert all(set(pair) == {"source", "target", "score"} for pair in pairs)
    assert {"source": "La clinique coûtera 4,5 millions de dollars.", "target": "The clinic will cost $4.5 million."} in [
        {"source": p["source"], "target": p["target"]} for p in pairs
    ]
