"""Tests for the TMX reader and writer: values, round trips, encodings, hostile files, memory."""
from __future__ import annotations

import io
import os
import tracemalloc
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from lxml import etree
from translate.storage import tmx as tt_tmx

from memories.errors import ImportFormatError, InvalidInput, UnsafeXML
from memories.records import Segment, UnitRecord
from memories.tmx import TmxReader, format_tmx_date, parse_tmx_date, read_tmx, write_tmx

DATA = Path(__file__).parent.parent / "data" / "tmx"
UTC = timezone.utc

SAMPLE_RECORDS = [
    UnitRecord(
        source=Segment("fr-CA", "Le ministre annonce un investissement de 3 M$ & plus."),
        target=Segment("en-CA", "The Minister announces a $3M & more investment."),
        external_id="release-1",
        creator="alice",
        created_at=datetime(2024, 1, 15, 9, 30, 0, tzinfo=UTC),
        changer="bob",
        changed_at=datetime(2024, 2, 1, 17, 5, 12, tzinfo=UTC),
        properties=(("x-domain", "press release"), ("x-client", "Ministère des Finances")),
        notes=("Checked by the editor.",),
    ),
    UnitRecord(
        source=Segment(
            "fr",
            "Cliquez sur Enregistrer.",
            'Cliquez sur <bpt i="1" type="bold">&lt;b&gt;</bpt>Enregistrer<ept i="1">&lt;/b&gt;</ept>.',
        ),
        target=Segment(
            "en",
            "Click Save.",
            'Click <bpt i="1" type="bold">&lt;b&gt;</bpt>Save<ept i="1">&lt;/b&gt;</ept>.',
        ),
        external_id="release-2",
    ),
    UnitRecord(
        source=Segment("fr-FR", "  Deux espaces, puis un saut\nde ligne."),
        target=Segment("en-GB", "  Two spaces, then a line\nbreak."),
    ),
]


def read_file(name: str, source_lang: str = "fr", target_lang: str = "en") -> list[UnitRecord]:
    with open(DATA / name, "rb") as stream:
        return list(read_tmx(stream, source_lang=source_lang, target_lang=target_lang))


def read_bytes(data: bytes, source_lang: str = "fr", target_lang: str = "en") -> list[UnitRecord]:
    return list(read_tmx(io.BytesIO(data), source_lang=source_lang, target_lang=target_lang))


def tmx_document(body: str, header: str = '<header srclang="fr"/>', declaration: str = "") -> str:
    return f'{declaration}<tmx version="1.4">{header}<body>{body}</body></tmx>'


def pair(
    french: str,
    english: str,
    french_attribute: str = 'xml:lang="fr"',
    english_attribute: str = 'xml:lang="en"',
    unit_attributes: str = "",
) -> str:
    return (
        f"<tu{unit_attributes}><tuv {french_attribute}><seg>{french}</seg></tuv>"
        f"<tuv {english_attribute}><seg>{english}</seg></tuv></tu>"
    )


def write_to_bytes(records: list[UnitRecord], source_lang: str = "fr") -> bytes:
    stream = io.BytesIO()
    assert write_tmx(records, stream, source_lang=source_lang, tool_version="9.9") == len(records)
    return stream.getvalue()


# Reading known files


def test_sample_file_gives_every_field():
    with open(DATA / "sample.tmx", "rb") as stream:
        reader = read_tmx(stream, source_lang="fr", target_lang="en")
        records = list(reader)
    assert records == SAMPLE_RECORDS
    assert reader.skipped == 1
    assert [record.location for record in records] == [
        "tu 1 (line 6, tuid 'release-1')",
        "tu 2 (line 17, tuid 'release-2')",
        "tu 4 (line 33)",
    ]


def test_reader_is_an_iterator_that_counts_skipped_units():
    reader = read_tmx(io.BytesIO(b""), source_lang="fr", target_lang="en")
    assert isinstance(reader, TmxReader)
    assert iter(reader) is reader
    assert reader.skipped == 0


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE tmx SYSTEM "tmx14.dtd">',
        "<!DOCTYPE tmx SYSTEM 'tmx14.dtd'>",
        '<!DOCTYPE tmx PUBLIC "-//LISA OSCAR:1998//DTD for Translation Memory eXchange//EN" "tmx14.dtd">',
        '<!DOCTYPE tmx SYSTEM "http://127.0.0.1:9/tmx14.dtd">',
        '<!DOCTYPE tmx SYSTEM "{dtd}">',
    ],
)
def test_doctype_with_an_external_identifier_is_accepted_and_not_loaded(tmp_path, doctype):
    # The DTD is neither fetched nor applied: its attribute default never reaches a record.
    dtd = tmp_path / "defaults.dtd"
    dtd.write_text('<!ATTLIST tu tuid CDATA "FROM-THE-DTD">')
    document = f'<?xml version="1.0"?>\n{doctype.format(dtd=dtd.as_uri())}\n' + tmx_document(pair("Oui", "Yes"))
    [record] = read_bytes(document.encode())
    assert (record.source.text, record.target.text, record.external_id) == ("Oui", "Yes", None)
    assert record.location == "tu 1 (line 3)"


def test_tmx_1_1_lang_attribute_and_missing_srclang():
    expected = UnitRecord(source=Segment("fr-CA", "Bonjour"), target=Segment("en-US", "Hello"))
    assert read_file("tmx11_lang.tmx") == [expected]


def test_languages_can_be_requested_the_other_way_round():
    records = read_file("sample.tmx", source_lang="EN", target_lang="fr_FR")
    assert [(record.source.lang, record.target.lang) for record in records] == [
        ("en-CA", "fr-CA"),
        ("en", "fr"),
        ("en-GB", "fr-FR"),
    ]
    assert records[0].source.text == "The Minister announces a $3M & more investment."


@pytest.mark.parametrize(
    ("french_attribute", "english_attribute", "source_lang", "target_lang", "expected_langs"),
    [
        ('xml:lang="fr"', 'xml:lang="en"', "fr", "en", ("fr", "en")),
        ('xml:lang="fr-CA"', 'xml:lang="EN-us"', "fr", "en", ("fr-CA", "en-US")),
        ('xml:lang="FR_ca"', 'xml:lang="en-gb"', "fr-FR", "en-US", ("fr-CA", "en-GB")),
        ('lang="fr"', 'lang="en"', "fr", "en", ("fr", "en")),
        ('lang="fr-BE"', 'xml:lang="en"', "FR", "EN", ("fr-BE", "en")),
        ('xml:lang="zh-hant-tw"', 'xml:lang="en"', "zh", "en", ("zh-Hant-TW", "en")),
    ],
)
def test_tuv_languages_match_by_primary_language(
    french_attribute, english_attribute, source_lang, target_lang, expected_langs
):
    document = tmx_document(pair("Bonjour", "Hello", french_attribute, english_attribute))
    [record] = read_bytes(document.encode(), source_lang, target_lang)
    assert (record.source.lang, record.target.lang) == expected_langs
    assert (record.source.text, record.target.text) == ("Bonjour", "Hello")


@pytest.mark.parametrize(
    "header",
    [
        '<header srclang="fr"/>',
        '<header srclang="en"/>',
        '<header srclang="*all*"/>',
        '<header creationtool="x" datatype="plaintext"/>',
        "",
    ],
)
def test_header_srclang_does_not_matter(header):
    [record] = read_bytes(tmx_document(pair("Oui", "Yes"), header=header).encode())
    assert (record.source, record.target) == (Segment("fr", "Oui"), Segment("en", "Yes"))


def test_first_variant_of_each_language_wins():
    body = (
        "<tu>"
        '<tuv xml:lang="de"><seg>Ja</seg></tuv>'
        '<tuv xml:lang="fr-CA"><seg>Oui (Canada)</seg></tuv>'
        '<tuv xml:lang="en-GB"><seg>Yes (UK)</seg></tuv>'
        '<tuv xml:lang="fr-FR"><seg>Oui (France)</seg></tuv>'
        '<tuv xml:lang="en-US"><seg>Yes (US)</seg></tuv>'
        "</tu>"
    )
    [record] = read_bytes(tmx_document(body).encode())
    assert record.source == Segment("fr-CA", "Oui (Canada)")
    assert record.target == Segment("en-GB", "Yes (UK)")


def test_units_without_both_languages_are_skipped_and_counted():
    body = (
        pair("Un", "One")
        + '<tu><tuv xml:lang="fr"><seg>Seulement français</seg></tuv></tu>'
        + '<tu><tuv xml:lang="de"><seg>Deutsch</seg></tuv><tuv xml:lang="es"><seg>Español</seg></tuv></tu>'
        + pair("Qapla", "Success", french_attribute='xml:lang="x-klingon-999999999"')
        + pair("Deux", "Two")
    )
    reader = read_tmx(io.BytesIO(tmx_document(body).encode()), source_lang="fr", target_lang="en")
    assert [record.source.text for record in reader] == ["Un", "Deux"]
    assert reader.skipped == 3


@pytest.mark.parametrize(
    ("seg_content", "expected_text", "expected_markup"),
    [
        ("Plain text", "Plain text", None),
        ("a &amp; b &lt; c &gt; d &quot;e&quot; &apos;f&apos;", "a & b < c > d \"e\" 'f'", None),
        ("  spaces\tand\nlines  ", "  spaces\tand\nlines  ", None),
        ("<![CDATA[x < y]]>", "x < y", None),
        ("a <!-- comment --> b", "a  b", None),
        (
            'Click <bpt i="1">&lt;b&gt;</bpt>Save<ept i="1">&lt;/b&gt;</ept>.',
            "Click Save.",
            'Click <bpt i="1">&lt;b&gt;</bpt>Save<ept i="1">&lt;/b&gt;</ept>.',
        ),
        ('Line<ph x="1">&lt;br/&gt;</ph>break', "Linebreak", 'Line<ph x="1">&lt;br/&gt;</ph>break'),
        ('<hi type="bold">Bold</hi> text', "Bold text", '<hi type="bold">Bold</hi> text'),
        ("<hi>nested <hi>twice</hi></hi>!", "nested twice!", "<hi>nested <hi>twice</hi></hi>!"),
        (
            'See <ph>&lt;img alt="<sub>a cat</sub>"&gt;</ph> here',
            "See a cat here",
            'See <ph>&lt;img alt="<sub>a cat</sub>"&gt;</ph> here',
        ),
        ('A <it pos="begin">&lt;i&gt;</it>B', "A B", 'A <it pos="begin">&lt;i&gt;</it>B'),
        ("x<ut>{\\b}</ut>y", "xy", "x<ut>{\\b}</ut>y"),
        ("&lt;&amp; <ph/>&gt;", "<& >", "&lt;&amp; <ph/>&gt;"),
    ],
)
def test_seg_text_and_markup(seg_content, expected_text, expected_markup):
    [record] = read_bytes(tmx_document(pair(seg_content, "Hello")).encode())
    assert record.source.text == expected_text
    assert record.source.markup == expected_markup
    assert record.target == Segment("en", "Hello")


def test_markup_is_written_back_verbatim():
    markup = 'Cliquez <bpt i="1" type="bold">&lt;b&gt;</bpt>ici<ept i="1">&lt;/b&gt;</ept> &amp; <ph x="2"/> là'
    record = UnitRecord(source=Segment("fr", "Cliquez ici &  là", markup), target=Segment("en", "Click here"))
    data = write_to_bytes([record])
    assert f"<seg>{markup}</seg>".encode() in data
    assert read_bytes(data) == [record]


# Encodings

ENCODED_TEXT = ("Café crème à l'œuvre 😀 « guillemets »", "Coffee — with cream 😀")


@pytest.mark.parametrize(
    ("codec", "bom", "declared"),
    [
        ("utf-8", b"", "UTF-8"),
        ("utf-8", b"", None),
        ("utf-8", b"\xef\xbb\xbf", "UTF-8"),
        ("utf-8", b"\xef\xbb\xbf", None),
        ("utf-16-le", b"\xff\xfe", "UTF-16"),
        ("utf-16-be", b"\xfe\xff", "UTF-16"),
        ("utf-16-le", b"\xff\xfe", None),
        ("utf-16-le", b"", "UTF-16"),
        ("utf-16-be", b"", "UTF-16"),
        ("utf-16-le", b"", None),
        ("utf-16-be", b"", None),
        ("iso-8859-15", b"", "ISO-8859-15"),
        ("cp1252", b"", "windows-1252"),
    ],
)
def test_encodings(tmp_path, codec, bom, declared):
    french, english = ENCODED_TEXT
    if codec in ("iso-8859-15", "cp1252"):
        french, english = "Café crème à l'œuvre « guillemets »", "Coffee with cream €"
    declaration = f'<?xml version="1.0" encoding="{declared}"?>\n' if declared else ""
    path = tmp_path / "encoded.tmx"
    path.write_bytes(bom + tmx_document(pair(french, english), declaration=declaration).encode(codec))
    with open(path, "rb") as stream:
        [record] = read_tmx(stream, source_lang="fr", target_lang="en")
    assert (record.source.text, record.target.text) == (french, english)


def test_latin1_bytes_without_a_declaration_are_not_taken_for_utf8():
    with pytest.raises(ImportFormatError, match="do not match the declared encoding") as caught:
        read_bytes(("\n" + tmx_document(pair("Café", "Coffee"))).encode("latin-1"))
    assert caught.value.location == "line 2"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ('<?xml version="1.0" encoding="UTF-7"?><tmx/>'.encode(), "not supported"),
        ('<?xml version="1.0" encoding="ebcdic-cp-us"?><tmx/>'.encode(), "not supported"),
        (b'<?xml version="1.0" encoding="no-such-thing"?><tmx/>', "not supported"),
        ("\ufeff<tmx/>".encode("utf-32"), "UTF-32"),
    ],
)
def test_unsupported_encodings_are_refused(data, message):
    with pytest.raises(ImportFormatError, match=message):
        read_bytes(data)


# Hostile and broken files


@pytest.mark.parametrize("name", ["xxe.tmx", "xxe_parameter.tmx", "billion_laughs.tmx"])
def test_entity_declarations_are_refused(name):
    passwd = Path("/etc/passwd")
    secret = passwd.read_text().splitlines()[0] if passwd.exists() else "root:x:0:0"
    with open(DATA / name, "rb") as stream:
        reader = read_tmx(stream, source_lang="fr", target_lang="en")
        with pytest.raises(UnsafeXML, match="not allowed") as caught:
            next(reader)
    assert secret not in str(caught.value)
    assert caught.value.location is None


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_doctype_checks_hold_in_every_encoding(codec):
    declaration = '<?xml version="1.0" encoding="UTF-16"?>\n' if codec.startswith("utf-16") else ""
    plain = declaration + '<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n' + tmx_document(pair("Été", "Summer"))
    [record] = read_bytes(plain.encode(codec))
    assert record.source.text == "Été"
    undefined = plain.replace("<tu>", '<tu tuid="a&nbsp;b">')
    with pytest.raises(ImportFormatError, match="Entity 'nbsp' not defined"):
        read_bytes(undefined.encode(codec))
    internal = plain.replace('"tmx14.dtd">', '"tmx14.dtd" [<!ENTITY nbsp "&#160;">]>')
    with pytest.raises(UnsafeXML):
        read_bytes(internal.encode(codec))


def test_entity_declarations_are_refused_before_the_body_is_read():
    prolog = (DATA / "billion_laughs.tmx").read_bytes().split(b"<tmx")[0]
    stream = io.BytesIO(prolog + b"<tmx><body>" + b"<!-- filler -->" * 1_000_000 + b"</body></tmx>")
    with pytest.raises(UnsafeXML):
        next(read_tmx(stream, source_lang="fr", target_lang="en"))
    assert stream.tell() <= 64 * 1024


def test_prolog_longer_than_the_limit_is_refused():
    data = b'<?xml version="1.0"?>\n' + b"<!-- padding -->\n" * 5000 + tmx_document(pair("Oui", "Yes")).encode()
    with pytest.raises(UnsafeXML, match="64 KiB"):
        read_bytes(data)


@pytest.mark.parametrize(
    ("name", "location"), [("external_dtd_entity.tmx", "line 6"), ("undefined_entity_attribute.tmx", "line 5")]
)
def test_undefined_entities_are_errors_not_dropped(name, location):
    with pytest.raises(ImportFormatError, match="not defined") as caught:
        read_file(name)
    assert caught.value.location == location
    assert "SECRET" not in str(caught.value)


def test_external_dtd_is_never_loaded(tmp_path):
    dtd = tmp_path / "evil.dtd"
    dtd.write_text('<!ENTITY secret "SECRET-FROM-THE-DTD">')
    document = f'<?xml version="1.0"?>\n<!DOCTYPE tmx SYSTEM "{dtd.as_uri()}">\n' + tmx_document(pair("A &secret;", "B"))
    with pytest.raises(ImportFormatError, match="Entity 'secret' not defined") as caught:
        read_bytes(document.encode())
    assert "SECRET-FROM-THE-DTD" not in str(caught.value)


@pytest.mark.parametrize(
    ("name", "location", "message"),
    [
        ("truncated.tmx", "line 10", "not well-formed XML"),
        ("not_xml.tmx", "line 1", "not an XML document"),
        ("wrong_root.tmx", "line 2", "root element is <xliff>, expected <tmx>"),
        ("tu_without_tuv.tmx", "tu 2 (line 8, tuid 'u2')", "no <tuv>"),
        ("tuv_without_seg.tmx", "tu 1 (line 4)", "has no <seg>"),
        ("latin1_declared_utf8.tmx", "line 5", "do not match the declared encoding"),
        ("control_char.tmx", "line 5", "invalid Char value 1"),
        ("bad_date.tmx", "tu 1 (line 4, tuid 'dated')", "malformed creationdate '2024-01-15 09:30'"),
        ("empty_seg.tmx", "tu 1 (line 4)", "empty en segment"),
    ],
)
def test_broken_files(name, location, message):
    with pytest.raises(ImportFormatError) as caught:
        read_file(name)
    assert caught.value.location == location
    assert message in caught.value.message


@pytest.mark.parametrize(
    ("body", "location", "message"),
    [
        (
            pair("a", "b", unit_attributes=' tuid="t1" changedate="20241315T000000Z"'),
            "tu 1 (line 1, tuid 't1')",
            "malformed changedate",
        ),
        (pair("a", "b", unit_attributes=' creationdate="20240115T093000"'), "tu 1 (line 1)", "malformed creationdate"),
        (pair("", "Hello"), "tu 1 (line 1)", "empty fr segment"),
        (pair('<ph x="1">&lt;br/&gt;</ph>', "Hello"), "tu 1 (line 1)", "empty fr segment"),
        (pair("Bonjour <b>gras</b>", "Hello"), "tu 1 (line 1)", "unexpected element <b>"),
        (pair("a", "b").replace("<tu>", '<tu><prop>no type</prop>'), "tu 1 (line 1)", "<prop> without a type"),
        (pair("a", "b", french_attribute='id="1"'), "tu 1 (line 1)", "<tuv> without xml:lang"),
        (pair("a&#1;b", "Hello"), "line 1", "not well-formed XML"),
        (pair("a &nbsp; b", "Hello"), "line 1", "Entity 'nbsp' not defined"),
        (pair("a", "b") + "<tu>", "line 1", "not well-formed XML"),
    ],
)
def test_broken_units(body, location, message):
    with pytest.raises(ImportFormatError) as caught:
        read_bytes(tmx_document(body).encode())
    assert caught.value.location == location
    assert message in caught.value.message


def test_records_before_an_error_are_yielded_then_the_error_is_raised():
    reader = read_tmx(io.BytesIO((DATA / "truncated.tmx").read_bytes()), source_lang="fr", target_lang="en")
    assert next(reader).source.text == "Bonjour"
    with pytest.raises(ImportFormatError):
        next(reader)


def test_same_source_and_target_language_is_refused():
    with pytest.raises(InvalidInput, match="must differ"):
        read_tmx(io.BytesIO(b""), source_lang="fr-CA", target_lang="fr-FR")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("20240115T093000Z", datetime(2024, 1, 15, 9, 30, tzinfo=UTC)),
        ("19991231T235959Z", datetime(1999, 12, 31, 23, 59, 59, tzinfo=UTC)),
        ("00420704T010203Z", datetime(42, 7, 4, 1, 2, 3, tzinfo=UTC)),
    ],
)
def test_tmx_dates(value, expected):
    assert parse_tmx_date(value) == expected
    assert format_tmx_date(expected) == value


@pytest.mark.parametrize("value", ["2024-01-15T09:30:00Z", "20240115T0930Z", "20241301T000000Z", "20240115t093000z", ""])
def test_malformed_tmx_dates(value):
    with pytest.raises(ValueError):
        parse_tmx_date(value)


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2024, 3, 10, 12, 0, 30, 999999, tzinfo=UTC),
        datetime(2024, 3, 10, 7, 0, 30, tzinfo=timezone(timedelta(hours=-5))),
        datetime(2024, 3, 10, 12, 0, 30),
    ],
)
def test_dates_are_written_in_utc_to_the_second(moment):
    assert format_tmx_date(moment) == "20240310T120030Z"


# Writing


def test_written_header_and_units():
    data = write_to_bytes(SAMPLE_RECORDS, source_lang="FR_ca")
    assert data.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    root = etree.fromstring(data)
    assert root.tag == "tmx" and root.get("version") == "1.4"
    header = root.find("header")
    assert {name: header.get(name) for name in header.keys() if name != "creationdate"} == {
        "creationtool": "tm-service",
        "creationtoolversion": "9.9",
        "datatype": "plaintext",
        "segtype": "sentence",
        "adminlang": "en",
        "srclang": "fr-CA",
        "o-tmf": "tm-service",
    }
    assert parse_tmx_date(header.get("creationdate")).tzinfo is UTC
    first = root.find("body/tu")
    assert dict(first.attrib) == {
        "tuid": "release-1",
        "creationid": "alice",
        "creationdate": "20240115T093000Z",
        "changeid": "bob",
        "changedate": "20240201T170512Z",
    }
    assert [(prop.get("type"), prop.text) for prop in first.findall("prop")] == list(SAMPLE_RECORDS[0].properties)
    assert [note.text for note in first.findall("note")] == ["Checked by the editor."]
    assert [tuv.get("{http://www.w3.org/XML/1998/namespace}lang") for tuv in first.findall("tuv")] == ["fr-CA", "en-CA"]
    assert root.findall("body/tu")[1].attrib == {"srclang": "fr", "tuid": "release-2"}
    assert root.findall("body/tu")[2].attrib == {"srclang": "fr-FR"}


def test_round_trip_of_the_sample_file():
    assert read_bytes(write_to_bytes(read_file("sample.tmx"))) == SAMPLE_RECORDS


def test_writing_nothing_gives_an_empty_body():
    data = write_to_bytes([])
    assert read_bytes(data) == []
    assert etree.fromstring(data).find("body") is not None


def test_writer_accepts_a_generator_and_counts():
    units = (UnitRecord(source=Segment("fr", f"Phrase {n}"), target=Segment("en", f"Sentence {n}")) for n in range(25))
    stream = io.BytesIO()
    assert write_tmx(units, stream, source_lang="fr", tool_version="1") == 25
    assert [record.target.text for record in read_bytes(stream.getvalue())][-1] == "Sentence 24"


@pytest.mark.parametrize(
    ("segment", "message"),
    [
        (Segment("fr", "nul\x00byte"), "cannot be written as XML"),
        (Segment("fr", "bell\x07"), "cannot be written as XML"),
        (Segment("fr", "x", "<bpt i='1'>unclosed"), "not well-formed"),
        (Segment("fr", "x", "&custom;"), "not well-formed"),
    ],
)
def test_writer_refuses_what_xml_cannot_hold(segment, message):
    record = UnitRecord(source=segment, target=Segment("en", "fine"))
    with pytest.raises(InvalidInput, match=message):
        write_to_bytes([UnitRecord(source=Segment("fr", "ok"), target=Segment("en", "ok")), record])


# Every character XML 1.0 can carry, with the awkward ones and runs such as "]]>" made likely.
XML_CHARACTERS = st.one_of(
    st.sampled_from(list("&<>\"' \t\n\r;]") + ["😀", "ש", "م", "\u200f", "é", "\ufeff", "\U0010fffd"]),
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\ufffe\uffff", min_codepoint=0x20),
)
XML_TEXT = (
    st.lists(
        st.one_of(XML_CHARACTERS, st.sampled_from(["]]>", "&amp;", "&#13;", "<seg>", "\r\n", "שלום עולם", "مرحبا"])),
        min_size=1,
        max_size=20,
    )
    .map("".join)
    .filter(lambda text: text.strip() != "")
)
DATES = st.none() | st.datetimes(
    min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.just(UTC)
).map(lambda moment: moment.replace(microsecond=0))
NAMES = st.none() | st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xD7FF), max_size=12)


@settings(max_examples=150, deadline=None)
@given(
    texts=st.lists(st.tuples(XML_TEXT, XML_TEXT), min_size=1, max_size=5),
    external_id=NAMES,
    creator=NAMES,
    created_at=DATES,
    changer=NAMES,
    changed_at=DATES,
    properties=st.lists(st.tuples(XML_TEXT, st.text(alphabet=XML_CHARACTERS, max_size=10)), max_size=2),
    notes=st.lists(XML_TEXT, max_size=2),
)
@example(
    texts=[("Tom & Jerry <\"'> 😀", "טום וג'רי ‏مرحبا"), ("a\r\nb", "]]>")],
    external_id="id&<>\"",
    creator=None,
    created_at=None,
    changer="",
    changed_at=datetime(999, 1, 2, 3, 4, 5, tzinfo=UTC),
    properties=[],
    notes=[],
)
def test_round_trip_property(texts, external_id, creator, created_at, changer, changed_at, properties, notes):
    records = [
        UnitRecord(
            source=Segment("fr", source_text),
            target=Segment("en-CA", target_text),
            external_id=external_id,
            creator=creator,
            created_at=created_at,
            changer=changer,
            changed_at=changed_at,
            properties=tuple(properties),
            notes=tuple(notes),
        )
        for source_text, target_text in texts
    ]
    assert read_bytes(write_to_bytes(records)) == records


# Translate Toolkit interoperability


def test_file_written_by_translate_toolkit_is_read():
    store = tt_tmx.tmxfile(sourcelanguage="fr", targetlanguage="en")
    for source, target in [("Bonjour & <le> monde", "Hello & <the> world"), ("Café 😀", "Coffee 😀")]:
        unit = store.addsourceunit(source)
        unit.target = target
    records = read_bytes(bytes(store))
    assert [(record.source.text, record.target.text) for record in records] == [
        ("Bonjour & <le> monde", "Hello & <the> world"),
        ("Café 😀", "Coffee 😀"),
    ]
    assert [(record.source.lang, record.target.lang) for record in records] == [("fr", "en"), ("fr", "en")]


def test_file_written_here_is_read_by_translate_toolkit():
    store = tt_tmx.tmxfile.parsestring(write_to_bytes(SAMPLE_RECORDS))
    assert [(unit.source, unit.target) for unit in store.units] == [
        ("Le ministre annonce un investissement de 3 M$ & plus.", "The Minister announces a $3M & more investment."),
        ("Cliquez sur <b>Enregistrer</b>.", "Click <b>Save</b>."),
        ("  Deux espaces, puis un saut\nde ligne.", "  Two spaces, then a line\nbreak."),
    ]


# Memory


class GeneratedTmx(io.RawIOBase):
    """A TMX document made up chunk by chunk as it is read, so no large file exists anywhere."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._pending = b""
        self.position = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._pending:
            self._pending = next(self._chunks, b"")
            if not self._pending:
                return 0
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        self.position += size
        return size


def many_units(count: int) -> Iterator[bytes]:
    yield b'<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="fr"/><body>\n'
    for number in range(count):
        yield (
            f'<tu tuid="{number}"><prop type="x-n">{number}</prop>'
            f'<tuv xml:lang="fr"><seg>Phrase numéro {number} avec <hi>un peu</hi> de texte autour.</seg></tuv>'
            f'<tuv xml:lang="en"><seg>Sentence number {number} with some text around it.</seg></tuv></tu>\n'
        ).encode()
    yield b"</body></tmx>\n"


def huge_segment(megabytes: int) -> Iterator[bytes]:
    yield b'<tmx version="1.4"><body><tu><tuv xml:lang="fr"><seg>'
    for _ in range(megabytes):
        yield b"a" * (1024 * 1024)
    yield b'</seg></tuv><tuv xml:lang="en"><seg>b</seg></tuv></tu></body></tmx>'


def resident_megabytes() -> float | None:
    """Resident set size on Linux, where libxml2's own allocations show up; None elsewhere."""
    statm = Path("/proc/self/statm")
    return int(statm.read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20 if statm.exists() else None


def test_memory_stays_flat_on_fifty_thousand_units():
    # tracemalloc sees the Python objects only; the tree libxml2 builds when units are not
    # cleared (about 130 MB here) shows up in the resident size instead, so check both.
    stream = GeneratedTmx(many_units(50_000))
    resident_before, resident_growth = resident_megabytes(), 0.0
    tracemalloc.start()
    try:
        count = 0
        for record in read_tmx(stream, source_lang="fr", target_lang="en"):
            count += 1
            last = record
            if resident_before is not None and count % 1000 == 0:
                resident_growth = max(resident_growth, resident_megabytes() - resident_before)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 50_000
    assert last.external_id == "49999" and last.source.text == "Phrase numéro 49999 avec un peu de texte autour."
    assert stream.position > 10 * 2**20
    assert peak < 20 * 2**20
    assert resident_growth < 40


def test_huge_segment_is_refused_without_reading_the_whole_file():
    stream = GeneratedTmx(huge_segment(100))
    with pytest.raises(ImportFormatError, match="segment too large") as caught:
        list(read_tmx(stream, source_lang="fr", target_lang="en"))
    assert caught.value.location == "line 1"
    assert stream.position < 20 * 1024 * 1024
