"""100 MB in one segment or one line, given to the importer itself (no upload limit in the way): it
is refused after reading a bounded part of the stream, without holding it in memory, and the
memory is unchanged. Through HTTP the upload limit answers 413 first (tests/reliability/cases)."""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from memories import transfer
from memories.database import make_engine, make_session_factory
from memories.errors import ImportFormatError
from tests.reliability.conftest import BACKENDS, backend_url, seed, snapshot

MEGABYTE = 1024 * 1024


class GeneratedFile:
    """A binary stream over generated chunks that counts how much was read from it."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._pending = b""
        self.position = 0

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._pending) < size:
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._pending += chunk
        if size < 0:
            size = len(self._pending)
        data, self._pending = self._pending[:size], self._pending[size:]
        self.position += len(data)
        return data


def segment_of(megabytes: int) -> Iterator[bytes]:
    yield b'<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><body>'
    yield b'<tu><tuv xml:lang="fr"><seg>Une phrase normale.</seg></tuv><tuv xml:lang="en"><seg>A sentence.</seg></tuv></tu>'
    yield b'<tu><tuv xml:lang="fr"><seg>'
    block = "é".encode() * (MEGABYTE // 2)
    for _ in range(megabytes):
        yield block
    yield b'</seg></tuv><tuv xml:lang="en"><seg>b</seg></tuv></tu></body></tmx>\n'


def line_of(megabytes: int) -> Iterator[bytes]:
    yield "Une phrase normale.\tA sentence.\n".encode()
    block = b"a" * MEGABYTE
    for _ in range(megabytes):
        yield block
    yield b"\tb\n"


def resident_megabytes() -> float:
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / MEGABYTE


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(("file_format", "chunks", "message"), [
    ("tmx", segment_of, "segment too large"),
    ("tsv", line_of, "line longer than"),
])
def test_a_100_mb_text_is_refused_by_the_importer(backend, tmp_path, file_format, chunks, message):
    if not Path("/proc/self/statm").exists():
        pytest.skip("resident memory is read from /proc (Linux)")
    url = backend_url(backend, tmp_path)
    seed(url)
    before = snapshot(url)
    stream = GeneratedFile(chunks(100))
    engine = make_engine(url)
    resident_before = resident_megabytes()
    try:
        with make_session_factory(engine)() as session:
            with pytest.raises(ImportFormatError, match=message):
                transfer.import_file(session, "news", stream, file_format=file_format)
    finally:
        engine.dispose()
    growth = resident_megabytes() - resident_before
    # The reader stops at its 10 MB ceiling for one text: it reads little past it and keeps less.
    assert stream.position < 20 * MEGABYTE
    assert growth < 80, f"resident memory grew by {growth:.0f} MB"
    assert snapshot(url) == before
