"""Streamed responses: chunks come as they are written, and a client that goes away stops the writer."""
from __future__ import annotations

import threading

import pytest

from tm_service.streaming import CHUNK_SIZE, stream_writes


def test_chunks_carry_everything_written_in_order():
    def write(stream):
        for number in range(1000):
            stream.write(f"{number}\n".encode())

    assert b"".join(stream_writes(write)) == b"".join(f"{n}\n".encode() for n in range(1000))


def test_closing_stops_an_endless_writer():
    stopped = threading.Event()

    def write(stream):
        try:
            while True:
                stream.write(b"x" * CHUNK_SIZE)
        finally:
            stopped.set()

    chunks = stream_writes(write, name="endless")
    assert len(next(chunks)) >= CHUNK_SIZE
    chunks.close()
    assert stopped.wait(timeout=10)


def test_a_failing_writer_ends_the_stream_with_an_error():
    def write(stream):
        stream.write(b"half")
        raise ValueError("disk on fire")

    with pytest.raises(RuntimeError):
        b"".join(stream_writes(write))


def test_a_stream_never_read_starts_no_writer():
    started = threading.Event()
    chunks = stream_writes(lambda stream: started.set())
    chunks.close()
    assert not started.wait(timeout=0.2)
