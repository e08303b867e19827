"""TMX and TSV through the store, on SQLite and PostgreSQL: round trips, dedup, atomicity, safety."""
from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pytest

from memories import repository, service, transfer
from memories.errors import ImportFormatError, InvalidInput, UnsafeXML
from tests.factories import record

TMX = Path(__file__).resolve().parents[1] / "data" / "tmx"
TSV = Path(__file__).resolve().parents[1] / "data" / "tsv"


@pytest.fixture
def memory(session):
    return service.create_memory(session, "news")


def import_path(session, path: Path, memory_name: str = "news"):
    with open(path, "rb") as stream:
        return transfer.import_file(session, memory_name, stream, file_format=path.suffix[1:])


def exported(session, memory_name: str, file_format: str) -> bytes:
    buffer = io.BytesIO()
    transfer.export_file(session, memory_name, buffer, file_format=file_format)
    return buffer.getvalue()


def stored_records(session, memory_name: str):
    return [replace(r, location=None) for r in transfer.iter_records(session, memory_name)]


def snapshot(session, memory) -> list[tuple]:
    """Everything that matters about a memory's units, to prove a failed import changed nothing."""
    return [(r.source, r.target, r.external_id, r.properties) for r in stored_records(session, memory.name)]


def test_sample_tmx_imports_with_metadata(session, memory):
    result = import_path(session, TMX / "sample.tmx")
    assert (result.read, result.added, result.duplicates, result.skipped) == (3, 3, 0, 1)
    first, second, third = stored_records(session, "news")
    assert (first.source.lang, first.target.lang) == ("fr-CA", "en-CA")
    assert first.source.text == "Le ministre annonce un investissement de 3 M$ & plus."
    assert (first.external_id, first.creator, first.changer) == ("release-1", "alice", "bob")
    assert first.created_at.isoformat() == "2024-01-15T09:30:00+00:00"
    assert first.properties == (("x-domain", "press release"), ("x-client", "Ministère des Finances"))
    assert first.notes == ("Checked by the editor.",)
    assert second.source.text == "Cliquez sur Enregistrer."
    assert "<bpt" in second.source.markup
    # The third unit was written en-GB first: it is stored oriented to the memory's pair.
    assert (third.source.lang, third.target.lang) == ("fr-FR", "en-GB")


@pytest.mark.parametrize("file_format", ["tmx", "tsv"])
def test_round_trip_import_export_import(session, memory, file_format):
    source = TMX / "sample.tmx" if file_format == "tmx" else TSV / "sample.tsv"
    import_path(session, source)
    first_export = exported(session, "news", file_format)
    service.create_memory(session, "copy")
    result = transfer.import_file(session, "copy", io.BytesIO(first_export), file_format=file_format)
    assert result.added == repository.count_units(session, memory.id)
    original, copy = stored_records(session, "news"), stored_records(session, "copy")
    if file_format == "tsv":  # TSV carries texts only
        strip = lambda records: [(r.source.text, r.target.text) for r in records]  # noqa: E731
        assert strip(copy) == strip(original)
    else:
        assert [replace(r, created_at=None, changed_at=None) for r in copy] == [
            replace(r, created_at=None, changed_at=None) for r in original
        ]
        assert [(r.created_at, r.changed_at) for r in copy] == [
            (r.created_at.replace(microsecond=0), r.changed_at.replace(microsecond=0)) for r in original
        ]
    assert exported(session, "copy", file_format).count(b"\n") == first_export.count(b"\n")


def test_reimporting_the_same_file_adds_nothing(session, memory):
    first = import_path(session, TMX / "sample.tmx")
    again = import_path(session, TMX / "sample.tmx")
    assert first.added == 3
    assert (again.added, again.duplicates) == (0, 3)
    assert repository.count_units(session, memory.id) == 3


def test_export_has_a_complete_header(session, memory):
    import_path(session, TMX / "sample.tmx")
    text = exported(session, "news", "tmx").decode("utf-8")
    header = text[text.index("<header") : text.index(">", text.index("<header"))]
    for attribute in ("creationtool=", "creationtoolversion=", "datatype=", "segtype=", "adminlang=", 'srclang="fr"', "o-tmf="):
        assert attribute in header
    assert "&amp; plus." in text


def big_tmx(units: int, bad_at: int | None = None) -> bytes:
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="fr" datatype="plaintext" segtype="sentence" adminlang="en" o-tmf="t" creationtool="t" creationtoolversion="1"/><body>']
    for number in range(1, units + 1):
        french = "" if number == bad_at else f"Phrase numéro {number}."
        parts.append(f'<tu tuid="u{number}"><tuv xml:lang="fr"><seg>{french}</seg></tuv><tuv xml:lang="en"><seg>Sentence number {number}.</seg></tuv></tu>\n')
    parts.append("</body></tmx>")
    return "".join(parts).encode("utf-8")


def test_a_bad_unit_at_9000_leaves_the_memory_as_it_was(session, memory):
    service.add_units(session, "news", [record("Déjà là.", "Already here.")])
    before = snapshot(session, memory)
    with pytest.raises(ImportFormatError) as caught:
        transfer.import_file(session, "news", io.BytesIO(big_tmx(12_000, bad_at=9000)), file_format="tmx")
    assert "tu 9000" in str(caught.value) and "u9000" in str(caught.value)
    assert snapshot(session, memory) == before


@pytest.mark.parametrize("name", ["xxe.tmx", "xxe_parameter.tmx", "billion_laughs.tmx"])
def test_unsafe_xml_is_refused_quickly_and_changes_nothing(session, memory, name):
    service.add_units(session, "news", [record("Un.", "One.")])
    before = snapshot(session, memory)
    with pytest.raises(UnsafeXML):
        import_path(session, TMX / name)
    assert snapshot(session, memory) == before


@pytest.mark.parametrize(
    "name",
    [
        "truncated.tmx", "not_xml.tmx", "wrong_root.tmx", "tu_without_tuv.tmx", "tuv_without_seg.tmx",
        "bad_date.tmx", "control_char.tmx", "empty_seg.tmx", "latin1_declared_utf8.tmx",
        "undefined_entity_attribute.tmx", "external_dtd_entity.tmx",
    ],
)
def test_bad_tmx_is_refused_and_changes_nothing(session, memory, name):
    service.add_units(session, "news", [record("Un.", "One.")])
    before = snapshot(session, memory)
    with pytest.raises(InvalidInput):
        import_path(session, TMX / name)
    assert snapshot(session, memory) == before


@pytest.mark.parametrize("name", ["one_column.tsv", "three_columns.tsv", "empty_source.tsv", "empty_target.tsv", "latin1.tsv"])
def test_bad_tsv_names_the_line_and_changes_nothing(session, memory, name):
    before = snapshot(session, memory)
    with pytest.raises(InvalidInput, match=r"line \d+"):
        import_path(session, TSV / name)
    assert snapshot(session, memory) == before


def test_import_respects_language_options(session):
    service.create_memory(session, "enfr", source_lang="en", target_lang="fr")
    result = import_path(session, TMX / "sample.tmx", "enfr")
    assert result.added == 3
    [first, *_] = stored_records(session, "enfr")
    assert (first.source.lang, first.target.lang) == ("en-CA", "fr-CA")
