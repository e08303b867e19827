"""Tests for the TSV reader and writer: values, line ends, escapes, errors, round trips."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from memories.errors import ImportFormatError, InvalidInput
from memories.records import Segment, UnitRecord
from memories.tsv import MAX_LINE_BYTES, read_tsv, write_tsv

DATA = Path(__file__).parent.parent / "data" / "tsv"


def read_file(name: str) -> list[UnitRecord]:
    with open(DATA / name, "rb") as stream:
        return list(read_tsv(stream, source_lang="fr", target_lang="en"))


def read_bytes(data: bytes, source_lang: str = "fr", target_lang: str = "en") -> list[UnitRecord]:
    return list(read_tsv(io.BytesIO(data), source_lang=source_lang, target_lang=target_lang))


def texts(records: list[UnitRecord]) -> list[tuple[str, str]]:
    return [(record.source.text, record.target.text) for record in records]


def unit(source_text: str, target_text: str) -> UnitRecord:
    return UnitRecord(source=Segment("fr", source_text), target=Segment("en", target_text))


def test_sample_file():
    # BOM, \r\n, \n and \r line ends, blank lines, escapes and no final line end, all in one file.
    records = read_file("sample.tsv")
    assert texts(records) == [
        ("Bonjour le monde", "Hello world"),
        ('Le ministre a dit\t: \\"oui\\"', 'The minister said\t: \\"yes\\"'),
        ("Première ligne\nDeuxième ligne", "First line\nSecond line"),
        ("C:\\dossier\\fichier", "C:\\folder\\file"),
        ("Café 😀", "Coffee 😀"),
    ]
    assert [record.location for record in records] == ["line 1", "line 3", "line 4", "line 5", "line 7"]
    assert {(record.source.lang, record.target.lang) for record in records} == {("fr", "en")}
    assert records[0] == unit("Bonjour le monde", "Hello world")


@pytest.mark.parametrize(
    ("data", "expected_locations"),
    [
        (b"a\tb\nc\td\n", ["line 1", "line 2"]),
        (b"a\tb\r\nc\td\r\n", ["line 1", "line 2"]),
        (b"a\tb\rc\td\r", ["line 1", "line 2"]),
        (b"a\tb\r\rc\td", ["line 1", "line 3"]),
        (b"a\tb\r\n\nc\td", ["line 1", "line 3"]),
        (b"a\tb\n\r\nc\td\r", ["line 1", "line 3"]),
        (b"\n\n  \n\t\na\tb\n\n", ["line 5"]),
        (b"\xef\xbb\xbfa\tb", ["line 1"]),
    ],
)
def test_line_ends_and_blank_lines(data, expected_locations):
    records = read_bytes(data)
    assert [record.location for record in records] == expected_locations
    assert texts(records)[0] == ("a", "b")


def test_crlf_split_across_read_chunks():
    class TinyReads(io.RawIOBase):
        """Hands out one byte per read, so every \\r\\n straddles two reads."""

        def __init__(self, data: bytes) -> None:
            self._data = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def read(self, size: int = -1) -> bytes:
            return self._data.read(1)

    records = list(read_tsv(TinyReads(b"a\tb\r\nc\td\r\ne\tf\rg\th"), source_lang="fr", target_lang="en"))
    assert [(record.location, record.source.text) for record in records] == [
        ("line 1", "a"),
        ("line 2", "c"),
        ("line 3", "e"),
        ("line 4", "g"),
    ]


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("plain", "plain"),
        ("tab\\there", "tab\there"),
        ("new\\nline", "new\nline"),
        ("carriage\\rreturn", "carriage\rreturn"),
        ("back\\\\slash", "back\\slash"),
        ("\\\\n is not a newline", "\\n is not a newline"),
        ("unknown \\q escape", "unknown \\q escape"),
        ("trailing backslash\\", "trailing backslash\\"),
        ("  spaces kept  ", "  spaces kept  "),
    ],
)
def test_escapes(field, expected):
    [record] = read_bytes(f"{field}\tcible".encode())
    assert record.source.text == expected


@pytest.mark.parametrize(
    ("name", "location", "message"),
    [
        ("latin1.tsv", "line 2", "not valid UTF-8 (byte 0xe9 at offset 3)"),
        ("one_column.tsv", "line 2", "expected 2 tab-separated columns, found 1"),
        ("three_columns.tsv", "line 2", "expected 2 tab-separated columns, found 3"),
        ("empty_source.tsv", "line 2", "empty source text"),
        ("empty_target.tsv", "line 2", "empty target text"),
    ],
)
def test_broken_files(name, location, message):
    with pytest.raises(ImportFormatError) as caught:
        read_file(name)
    assert caught.value.location == location
    assert caught.value.message == message


@pytest.mark.parametrize(
    ("data", "location", "message"),
    [
        (b"a\tb\t\n", "line 1", "found 3"),
        (b"ok\tok\nbell\x07\tb\n", "line 2", "control character U+0007 in the source text"),
        (b"ok\tok\na\tnul\x00\n", "line 2", "control character U+0000 in the target text"),
        (b"ok\tok\r\n\xff\xfe\tb", "line 2", "not valid UTF-8"),
        ("a\tb\nc\t\\n\n".encode(), "line 2", "empty target text"),
    ],
)
def test_broken_lines(data, location, message):
    with pytest.raises(ImportFormatError) as caught:
        read_bytes(data)
    assert caught.value.location == location
    assert message in caught.value.message


def test_line_without_end_is_refused_past_the_limit():
    stream = io.BytesIO(b"a" * (MAX_LINE_BYTES + 2 * 2**20))
    with pytest.raises(ImportFormatError, match="line longer than 10 MB") as caught:
        read_bytes(stream.getvalue())
    assert caught.value.location == "line 1"


def test_bad_language_is_refused_at_once():
    with pytest.raises(InvalidInput):
        read_tsv(io.BytesIO(b""), source_lang="not a tag", target_lang="en")


def test_languages_are_normalised():
    [record] = read_bytes(b"a\tb", source_lang="FR_ca", target_lang="en-us")
    assert (record.source.lang, record.target.lang) == ("fr-CA", "en-US")


def test_writer_output_bytes():
    stream = io.BytesIO()
    count = write_tsv(
        [unit("Un\tdeux", "One\ntwo"), unit("C:\\dossier", "C:\\folder"), unit("Café\r", "Coffee")],
        stream,
    )
    assert count == 3
    assert stream.getvalue() == "Un\\tdeux\tOne\\ntwo\nC:\\\\dossier\tC:\\\\folder\nCafé\\r\tCoffee\n".encode()


def test_writer_drops_markup_and_keeps_plain_text():
    record = UnitRecord(
        source=Segment("fr", "Cliquez ici", 'Cliquez <bpt i="1">&lt;b&gt;</bpt>ici<ept i="1">&lt;/b&gt;</ept>'),
        target=Segment("en", "Click here"),
    )
    stream = io.BytesIO()
    write_tsv([record], stream)
    assert stream.getvalue() == b"Cliquez ici\tClick here\n"


def test_round_trip_of_the_sample_file():
    records = read_file("sample.tsv")
    stream = io.BytesIO()
    assert write_tsv(records, stream) == len(records)
    assert read_bytes(stream.getvalue()) == records


# Texts built from pieces, so that escape-like runs such as a backslash before `n` are common.
TSV_TEXT = (
    st.lists(
        st.one_of(
            st.sampled_from(list("\\\t\n\r &<>\"'") + ["\\n", "\\t", "\r\n", "😀", "שלום", "مرحبا", "\u2028", "\x85", "\ufeff"]),
            st.characters(blacklist_categories=("Cs",), blacklist_characters="\ufffe\uffff", min_codepoint=0x20),
        ),
        min_size=1,
        max_size=20,
    )
    .map("".join)
    .filter(lambda text: text.strip() != "")
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(TSV_TEXT, TSV_TEXT), max_size=8))
@example([("a\\tb\\", "\\\\n"), ("\ufeffBOM inside", "x")])
@example([("\ufeffBOM first", "x")])
@example([("Tom & Jerry <\"'> 😀", "טום וג'רי مرحبا")])
def test_round_trip_property(pairs):
    records = [unit(source_text, target_text) for source_text, target_text in pairs]
    stream = io.BytesIO()
    assert write_tsv(records, stream) == len(records)
    assert read_bytes(stream.getvalue()) == records
