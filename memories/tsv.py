"""Two-column tab-separated files (source, then target) with backslash escapes, in UTF-8."""
from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from memories.errors import ImportFormatError
from memories.languages import normalise_tag
from memories.records import Segment, UnitRecord

MAX_LINE_BYTES = 10 * 1024 * 1024
"""The same ceiling as a TMX text node, so a file without line ends cannot fill memory."""

_READ_CHUNK_BYTES = 1024 * 1024
_LINE_END = re.compile(rb"\r\n|\r|\n")
_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}
_UNESCAPES = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}
_NEEDS_ESCAPE = re.compile(r"[\\\t\n\r]")
_ESCAPE_SEQUENCE = re.compile(r"\\([\\tnr])")
# The characters XML 1.0 forbids: a text that holds one could never be exported to TMX.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def read_tsv(stream: BinaryIO, *, source_lang: str, target_lang: str) -> Iterator[UnitRecord]:
    """Stream the units of a TSV file, one per non-blank line, each with `location="line N"`.

    `\\r\\n`, `\\n` and `\\r` all end a line; a UTF-8 BOM is skipped; `\\t`, `\\n`, `\\r` and
    `\\\\` in a field are unescaped, any other backslash is kept as it is.

    Raises InvalidInput for bad language tags at once; while iterating, ImportFormatError for
    bytes that are not UTF-8, a line without exactly two columns, or an empty side.
    """
    return _read(stream, normalise_tag(source_lang), normalise_tag(target_lang))


def write_tsv(units: Iterable[UnitRecord], stream: BinaryIO) -> int:
    """Write each unit's plain texts as one `source<TAB>target` line in UTF-8; return the count.

    Backslash, tab, newline and carriage return are escaped so that read_tsv gives the texts back.
    """
    count = 0
    for unit in units:
        line = f"{_escape(unit.source.text)}\t{_escape(unit.target.text)}\n"
        if count == 0 and line.startswith("\ufeff"):
            # The reader drops one leading BOM; give it one so the text's own U+FEFF survives.
            stream.write(codecs.BOM_UTF8)
        stream.write(line.encode("utf-8"))
        count += 1
    return count


def _read(stream: BinaryIO, source_lang: str, target_lang: str) -> Iterator[UnitRecord]:
    for number, raw in _lines(stream):
        location = f"line {number}"
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise ImportFormatError(
                f"not valid UTF-8 (byte 0x{raw[error.start]:02x} at offset {error.start})", location=location
            ) from None
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != 2:
            raise ImportFormatError(f"expected 2 tab-separated columns, found {len(fields)}", location=location)
        source_text, target_text = (_unescape(field) for field in fields)
        for side, text in (("source", source_text), ("target", target_text)):
            if not text.strip():
                raise ImportFormatError(f"empty {side} text", location=location)
            forbidden = _FORBIDDEN.search(text)
            if forbidden:
                raise ImportFormatError(
                    f"control character U+{ord(forbidden.group()):04X} in the {side} text", location=location
                )
        yield UnitRecord(
            source=Segment(lang=source_lang, text=source_text),
            target=Segment(lang=target_lang, text=target_text),
            location=location,
        )


def _lines(stream: BinaryIO) -> Iterator[tuple[int, bytes]]:
    """Yield (line number, bytes) for every line, whichever of `\\r\\n`, `\\n`, `\\r` ends it."""
    number, pending = 0, b""
    while chunk := stream.read(_READ_CHUNK_BYTES):
        pending += chunk
        # A final \r may be the first half of a \r\n split across two chunks: keep it back.
        held_back = pending.endswith(b"\r")
        lines = _LINE_END.split(pending[:-1] if held_back else pending)
        pending = lines.pop() + (b"\r" if held_back else b"")
        for line in lines:
            number += 1
            yield number, line
        if len(pending) > MAX_LINE_BYTES:
            megabytes = MAX_LINE_BYTES // 2**20
            raise ImportFormatError(f"line longer than {megabytes} MB", location=f"line {number + 1}")
    if pending:
        yield number + 1, pending.removesuffix(b"\r")


def _escape(text: str) -> str:
    return _NEEDS_ESCAPE.sub(lambda match: _ESCAPES[match.group()], text)


def _unescape(field: str) -> str:
    return _ESCAPE_SEQUENCE.sub(lambda match: _UNESCAPES[match.group(1)], field)
