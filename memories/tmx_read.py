"""Streaming reader for TMX 1.4b files that refuses entity declarations before parsing."""
from __future__ import annotations

import codecs
import logging
import re
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import BinaryIO

from lxml import etree

from memories.errors import ImportFormatError, InvalidInput, UnsafeXML
from memories.languages import normalise_tag, same_language
from memories.records import Segment, UnitRecord

logger = logging.getLogger(__name__)

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MAX_PROLOG_BYTES = 64 * 1024
"""Bytes read before the root element must have started; a longer prolog is refused."""
MAX_TEXT_NODE_MB = 10
"""libxml2's limit on one text node without XML_PARSE_HUGE (huge_tree=False)."""

CODE_TAGS = frozenset({"bpt", "ept", "it", "ph", "ut"})
TEXT_TAGS = frozenset({"hi", "sub"})

_PROLOG_CHUNK_BYTES = 8 * 1024
_TMX_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z")
_DECLARED_ENCODING = re.compile(r"""^<\?xml\s[^>]*?\bencoding\s*=\s*["']([^"']*)["']""")
_ROOT_NAME = re.compile(r"[^\s/>]+")
_SAFE_ENCODINGS = re.compile(r"utf-8|utf-16(-le|-be)?|ascii|iso8859-\d+|cp125\d")


def read_tmx(stream: BinaryIO, *, source_lang: str, target_lang: str) -> TmxReader:
    """Stream the units of a TMX file that hold both languages.

    Returns a TmxReader: iterate it for UnitRecords, then read `reader.skipped` for the number
    of units that lacked one of the two languages. Nothing is read before the first record is
    asked for.

    Raises InvalidInput for bad language arguments; while iterating, UnsafeXML for entity
    declarations or an internal DTD subset, ImportFormatError for anything else wrong.
    """
    return TmxReader(stream, source_lang=source_lang, target_lang=target_lang)


class TmxReader(Iterator[UnitRecord]):
    """Iterator over the UnitRecords of one TMX stream, counting the units it skipped.

    Languages match by primary subtag (`fr-CA` is French); each Segment keeps the tuv's own
    tag, normalised. Memory stays flat: every `tu` is dropped from the tree once read.
    """

    def __init__(self, stream: BinaryIO, *, source_lang: str, target_lang: str) -> None:
        self.source_lang = normalise_tag(source_lang)
        self.target_lang = normalise_tag(target_lang)
        if same_language(self.source_lang, self.target_lang):
            raise InvalidInput("source and target languages must differ")
        self.skipped = 0
        self._records = self._read(stream)

    def __next__(self) -> UnitRecord:
        return next(self._records)

    def _read(self, stream: BinaryIO) -> Iterator[UnitRecord]:
        head, encoding = _read_prolog(stream)
        events = etree.iterparse(
            _ReplayStream(head, stream),
            events=("end",),
            tag="tu",
            encoding=encoding,
            resolve_entities=False,
            load_dtd=False,
            no_network=True,
            huge_tree=False,
            attribute_defaults=False,
            dtd_validation=False,
            remove_comments=True,
            remove_pis=True,
        )
        number = 0
        try:
            for _event, unit in events:
                number += 1
                record = self._record(unit, _unit_location(number, unit))
                unit.clear(keep_tail=True)
                while unit.getprevious() is not None:
                    del unit.getparent()[0]
                if record is None:
                    self.skipped += 1
                else:
                    yield record
        except etree.XMLSyntaxError as error:
            raise _syntax_error(error, events) from None
        logger.info("read %d TMX units, skipped %d", number - self.skipped, self.skipped)

    def _record(self, unit: etree._Element, location: str) -> UnitRecord | None:
        tuvs = unit.findall("tuv")
        if not tuvs:
            raise ImportFormatError("translation unit has no <tuv>", location=location)
        source = target = None
        for tuv in tuvs:
            tag = _tuv_lang(tuv, location)
            seg = tuv.find("seg")
            if seg is None:
                raise ImportFormatError(f"<tuv> for {tag[:40]!r} has no <seg>", location=location)
            if source is None and _is_language(tag, self.source_lang):
                source = _segment(seg, normalise_tag(tag), location)
            elif target is None and _is_language(tag, self.target_lang):
                target = _segment(seg, normalise_tag(tag), location)
        if source is None or target is None:
            return None
        return UnitRecord(
            source=source,
            target=target,
            external_id=unit.get("tuid"),
            creator=unit.get("creationid"),
            created_at=_parse_date(unit, "creationdate", location),
            changer=unit.get("changeid"),
            changed_at=_parse_date(unit, "changedate", location),
            properties=tuple(_property(prop, location) for prop in unit.iterchildren("prop")),
            notes=tuple(note.text or "" for note in unit.iterchildren("note")),
            location=location,
        )


def parse_tmx_date(value: str) -> datetime:
    """Parse a TMX date (`YYYYMMDDThhmmssZ`) into an aware UTC datetime; ValueError if malformed.

    >>> parse_tmx_date("20240131T235959Z").isoformat()
    '2024-01-31T23:59:59+00:00'
    """
    match = _TMX_DATE.fullmatch(value)
    if not match:
        raise ValueError("expected YYYYMMDDThhmmssZ")
    return datetime(*(int(part) for part in match.groups()), tzinfo=timezone.utc)


def _parse_date(unit: etree._Element, attribute: str, location: str) -> datetime | None:
    value = unit.get(attribute)
    if value is None:
        return None
    try:
        return parse_tmx_date(value)
    except ValueError:
        raise ImportFormatError(
            f"malformed {attribute} {value[:40]!r}, expected YYYYMMDDThhmmssZ", location=location
        ) from None


def _property(prop: etree._Element, location: str) -> tuple[str, str]:
    kind = prop.get("type")
    if kind is None:
        raise ImportFormatError("<prop> without a type attribute", location=location)
    return kind, prop.text or ""


def _tuv_lang(tuv: etree._Element, location: str) -> str:
    # TMX 1.1 wrote a plain `lang`; 1.4 uses `xml:lang`.
    tag = tuv.get(XML_LANG) or tuv.get("lang")
    if not tag:
        raise ImportFormatError("<tuv> without xml:lang", location=location)
    return tag


def _is_language(tag: str, wanted: str) -> bool:
    # A tag we cannot read is some other language, like any unwanted one.
    try:
        return same_language(tag, wanted)
    except InvalidInput:
        return False


def _segment(seg: etree._Element, lang: str, location: str) -> Segment:
    if len(seg) == 0:
        text, markup = seg.text or "", None
    else:
        parts: list[str] = []
        _collect_text(seg, parts, keep_text=True, location=location)
        text, markup = "".join(parts), _inner_xml(seg)
    if not text.strip():
        raise ImportFormatError(f"empty {lang} segment", location=location)
    return Segment(lang=lang, text=text, markup=markup)


def _collect_text(element: etree._Element, parts: list[str], *, keep_text: bool, location: str) -> None:
    """Append the readable text under `element`: hi/sub content stays, codes are dropped."""
    if keep_text and element.text:
        parts.append(element.text)
    for child in element:
        if child.tag in TEXT_TAGS:
            _collect_text(child, parts, keep_text=True, location=location)
        elif child.tag in CODE_TAGS:
            _collect_text(child, parts, keep_text=False, location=location)
        else:
            raise ImportFormatError(f"unexpected element <{child.tag}> in a <seg>", location=location)
        if keep_text and child.tail:
            parts.append(child.tail)


def _inner_xml(seg: etree._Element) -> str:
    # Serialising the whole seg escapes its leading text exactly as lxml escapes the rest.
    whole = etree.tostring(seg, encoding="unicode", with_tail=False)
    return whole[whole.index(">") + 1 : whole.rindex("</")]


def _unit_location(number: int, unit: etree._Element) -> str:
    tuid = unit.get("tuid")
    suffix = f", tuid {tuid[:60]!r}" if tuid else ""
    return f"tu {number} (line {unit.sourceline}{suffix})"


def _syntax_error(error: etree.XMLSyntaxError, events: etree.iterparse) -> ImportFormatError:
    # iterparse sometimes reports a vague "no element found"; its parser log holds the cause.
    causes = events.error_log.filter_from_errors()
    message, line = (causes[0].message, causes[0].line) if causes else (error.msg, error.lineno)
    if "Text node too long" in message or "huge" in message.lower():
        message = f"segment too large: a text may not exceed {MAX_TEXT_NODE_MB} MB"
    elif "invalid bytes" in message.lower() or "not proper" in message.lower():
        message = f"the bytes do not match the declared encoding ({message})"
    else:
        message = f"not well-formed XML: {message}"
    return ImportFormatError(message, location=f"line {line}")


class _ReplayStream:
    """A readable stream that first replays the prolog bytes already taken from `stream`."""

    def __init__(self, head: bytes, stream: BinaryIO) -> None:
        self._head = head
        self._stream = stream

    def read(self, size: int = -1) -> bytes:
        if not self._head:
            return self._stream.read(size)
        if size is None or size < 0:
            data, self._head = self._head + self._stream.read(), b""
        else:
            data, self._head = self._head[:size], self._head[size:]
        return data


def _read_prolog(stream: BinaryIO) -> tuple[bytes, str | None]:
    """Read up to the root element; return those bytes, DOCTYPE blanked, and a forced encoding.

    The DOCTYPE (only an external identifier is allowed) is overwritten with spaces: the DTD
    is never loaded, and without it libxml2 treats an undefined entity as a fatal error rather
    than silently dropping it from attribute values.
    """
    head = b""
    while True:
        chunk = stream.read(_PROLOG_CHUNK_BYTES)
        head += chunk or b""
        at_end = not chunk
        codec, bom_length, forced = _sniff_encoding(head)
        usable = len(head) - (len(head) - bom_length) % (2 if codec.startswith("utf-16") else 1)
        text = head[bom_length:usable].decode(codec, errors="replace")
        prolog = _scan_prolog(text, at_end=at_end)
        if prolog is not None:
            break
        if len(head) >= MAX_PROLOG_BYTES:
            raise UnsafeXML(f"no root element within the first {MAX_PROLOG_BYTES // 1024} KiB")
    root_start, doctype = prolog
    if "<!ENTITY" in text[:root_start]:
        raise UnsafeXML("entity declarations are not allowed")
    _check_declared_encoding(text, codec, bom_length)
    if doctype is not None:
        start, end = (bom_length + len(text[:offset].encode(codec)) for offset in doctype)
        blank = re.sub(r"[^\r\n]", " ", text[doctype[0] : doctype[1]])
        head = head[:start] + blank.encode(codec) + head[end:]
    return head, forced


def _sniff_encoding(head: bytes) -> tuple[str, int, str | None]:
    """Return the codec to scan the prolog with, the BOM length, and an encoding to force."""
    if head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise ImportFormatError("UTF-32 is not supported; use UTF-8 or UTF-16", location="line 1")
    if head.startswith(codecs.BOM_UTF8):
        return "latin-1", 3, None
    if head.startswith(codecs.BOM_UTF16_LE):
        return "utf-16-le", 2, None
    if head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16-be", 2, None
    # UTF-16 without a BOM: `<` with a zero byte beside it, as in `<\0?\0` or `\0<\0?`.
    if len(head) >= 4 and head[0] and not head[1] and head[2] and not head[3]:
        return "utf-16-le", 0, "UTF-16LE"
    if len(head) >= 4 and not head[0] and head[1] and not head[2] and head[3]:
        return "utf-16-be", 0, "UTF-16BE"
    # Any other accepted encoding is ASCII-compatible, so markup reads the same in Latin-1.
    return "latin-1", 0, None


def _check_declared_encoding(text: str, codec: str, bom_length: int) -> None:
    # Encodings such as UTF-7 or EBCDIC would hide markup from the prolog check above.
    match = _DECLARED_ENCODING.match(text)
    if not match:
        return
    try:
        name = codecs.lookup(match.group(1)).name
    except LookupError:
        name = ""
    if not _SAFE_ENCODINGS.fullmatch(name):
        raise ImportFormatError(
            f"encoding {match.group(1)[:40]!r} is not supported; use UTF-8 or UTF-16", location="line 1"
        )
    # A BOM, or the zero bytes of UTF-16 around the markup, say what the bytes are; a declaration
    # naming another encoding contradicts them, and the file was saved wrong somewhere.
    written = "utf-16" if codec.startswith("utf-16") else "utf-8" if bom_length else None
    if written is not None and not name.startswith(written):
        raise ImportFormatError(
            f"the bytes are {written.upper()} but the declaration says {match.group(1)[:40]!r}", location="line 1"
        )


def _scan_prolog(text: str, *, at_end: bool) -> tuple[int, tuple[int, int] | None] | None:
    """Find where the root element starts and where the DOCTYPE is, or None if text is short.

    Raises UnsafeXML for an internal DTD subset, ImportFormatError for anything that is not
    an XML prolog or a root that is not <tmx>.
    """
    position, doctype = 0, None
    while True:
        while position < len(text) and text[position] in " \t\r\n":
            position += 1
        rest = text[position : position + 9]
        if rest.startswith(("<?", "<!--")):
            closing = "?>" if rest.startswith("<?") else "-->"
            end = text.find(closing, position + 2)
            if end < 0:
                return _need_more(text, position, at_end)
            position = end + len(closing)
        elif rest.startswith("<!DOCTYPE"):
            end = _doctype_end(text, position)
            if end is None:
                return _need_more(text, position, at_end)
            doctype, position = (position, end), end
        elif len(rest) > 1 and rest[0] == "<" and rest[1] not in "!?":
            name = _ROOT_NAME.match(text, position + 1)
            if name is None or (name.end() == len(text) and not at_end):
                return _need_more(text, position, at_end)
            if name.group() != "tmx":
                raise ImportFormatError(
                    f"root element is <{name.group()[:40]}>, expected <tmx>", location=_line(text, position)
                )
            return position, doctype
        elif rest.startswith("<!ENTITY"):
            raise UnsafeXML("entity declarations are not allowed")
        elif len(rest) < 9 and ("<!DOCTYPE".startswith(rest) or "<!--".startswith(rest)):
            return _need_more(text, position, at_end)
        else:
            raise ImportFormatError("not an XML document", location=_line(text, position))


def _need_more(text: str, position: int, at_end: bool) -> None:
    if at_end:
        raise ImportFormatError("not an XML document: no root element", location=_line(text, position))
    return None


def _line(text: str, position: int) -> str:
    line = text.count("\n", 0, position) + 1
    return f"line {line}"


def _doctype_end(text: str, start: int) -> int | None:
    quote = None
    for index in range(start + len("<!DOCTYPE"), len(text)):
        char = text[index]
        if quote:
            quote = None if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "[":
            raise UnsafeXML("DTD internal subsets and entity declarations are not allowed")
        elif char == ">":
            return index + 1
    return None
