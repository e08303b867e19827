"""Streaming writer for TMX 1.4b files that gives back imported inline markup verbatim."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone
from typing import BinaryIO

from lxml import etree

from memories.errors import InvalidInput
from memories.languages import normalise_tag
from memories.records import Segment, UnitRecord
from memories.tmx_read import XML_LANG

CREATION_TOOL = "tm-service"
INDENT = "  "


def write_tmx(units: Iterable[UnitRecord], stream: BinaryIO, *, source_lang: str, tool_version: str) -> int:
    """Write `units` to `stream` as a complete UTF-8 TMX 1.4b document, one unit at a time.

    Returns the number of units written. Raises InvalidInput for a unit whose text holds
    characters XML cannot carry or whose markup is not well-formed.
    """
    source_lang = normalise_tag(source_lang)
    # One parser per call: lxml parsers must not be shared between threads.
    fragment_parser = etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    header = etree.Element(
        "header",
        {
            "creationtool": CREATION_TOOL,
            "creationtoolversion": tool_version,
            "datatype": "plaintext",
            "segtype": "sentence",
            "adminlang": "en",
            "srclang": source_lang,
            "o-tmf": CREATION_TOOL,
            "creationdate": format_tmx_date(datetime.now(timezone.utc)),
        },
    )
    count = 0
    with etree.xmlfile(stream, encoding="utf-8") as document:
        document.write_declaration()
        with document.element("tmx", version="1.4"):
            document.write("\n" + INDENT)
            document.write(header)
            document.write("\n" + INDENT)
            with document.element("body"):
                for unit in units:
                    count += 1
                    document.write("\n" + INDENT * 2)
                    document.write(_unit_element(unit, count, source_lang, fragment_parser))
                document.write("\n" + INDENT)
            document.write("\n")
    return count


def format_tmx_date(moment: datetime) -> str:
    """Format a datetime as a TMX date in UTC, to the second; a naive datetime is taken as UTC.

    >>> format_tmx_date(datetime(2024, 1, 31, 23, 59, 59, 900000, tzinfo=timezone.utc))
    '20240131T235959Z'
    """
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
    # Not strftime: its %Y does not pad years before 1000 on every platform.
    day = f"{moment.year:04d}{moment.month:02d}{moment.day:02d}"
    return f"{day}T{moment.hour:02d}{moment.minute:02d}{moment.second:02d}Z"


def _unit_element(
    unit: UnitRecord, number: int, source_lang: str, fragment_parser: etree.XMLParser
) -> etree._Element:
    attributes = {
        # Readers such as Translate Toolkit find the source variant by its exact tag.
        "srclang": unit.source.lang if unit.source.lang != source_lang else None,
        "tuid": unit.external_id,
        "creationid": unit.creator,
        "creationdate": format_tmx_date(unit.created_at) if unit.created_at else None,
        "changeid": unit.changer,
        "changedate": format_tmx_date(unit.changed_at) if unit.changed_at else None,
    }
    try:
        present = {name: value for name, value in attributes.items() if value is not None}
        element = etree.Element("tu", present)
        for name, value in unit.properties:
            etree.SubElement(element, "prop", type=name).text = value
        for note in unit.notes:
            etree.SubElement(element, "note").text = note
        for segment in (unit.source, unit.target):
            _add_segment(element, segment, fragment_parser)
    except ValueError as error:
        # lxml refuses NUL and other control characters that XML 1.0 cannot represent.
        raise InvalidInput(f"unit {number} cannot be written as XML: {error}") from None
    except etree.XMLSyntaxError as error:
        raise InvalidInput(f"unit {number} has markup that is not well-formed: {error}") from None
    _indent(element, level=2)
    return element


def _add_segment(unit: etree._Element, segment: Segment, fragment_parser: etree.XMLParser) -> None:
    tuv = etree.SubElement(unit, "tuv", {XML_LANG: segment.lang})
    seg = etree.SubElement(tuv, "seg")
    if segment.markup is None:
        seg.text = segment.text
        return
    # Wrapping in <seg> first means no DOCTYPE can sneak in ahead of the fragment.
    fragment = etree.fromstring(f"<seg>{segment.markup}</seg>", fragment_parser)
    seg.text = fragment.text
    seg.extend(fragment)


def _indent(element: etree._Element, *, level: int) -> None:
    """Indent tu and tuv children by hand; pretty_print could add spaces inside a <seg>."""
    children = list(element)
    if not children or element.tag in ("seg", "prop", "note"):
        return
    element.text = "\n" + INDENT * (level + 1)
    for child in children:
        child.tail = "\n" + INDENT * (level + 1)
        _indent(child, level=level + 1)
    children[-1].tail = "\n" + INDENT * level
