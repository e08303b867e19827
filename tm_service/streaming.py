"""Stream what a writer function writes: the function runs on a thread, the response reads chunks.

`transfer.export_file` pushes bytes into a file object; a WSGI response pulls them. A bounded
queue between the two keeps memory flat however large the memory is, and stops the writer when
the client goes away.
"""
from __future__ import annotations

import io
import logging
import threading
from collections.abc import Callable, Iterator
from queue import Empty, Full, Queue
from typing import BinaryIO

logger = logging.getLogger(__name__)

CHUNK_SIZE = 64 * 1024
QUEUE_DEPTH = 16  # chunks written ahead of the client: bounds memory
_POLL_SECONDS = 0.5
_DONE = object()
_FAILED = object()


class _Cancelled(Exception):
    """The client stopped reading; the writer thread unwinds."""


class _QueueWriter(io.RawIOBase):
    def __init__(self, queue: Queue, cancelled: threading.Event) -> None:
        super().__init__()
        self._queue = queue
        self._cancelled = cancelled
        self._buffer = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._buffer += data
        if len(self._buffer) >= CHUNK_SIZE:
            self.push()
        return len(data)

    def push(self) -> None:
        chunk, self._buffer = bytes(self._buffer), bytearray()
        self.put(chunk)

    def put(self, item: object) -> None:
        while True:
            if self._cancelled.is_set():
                raise _Cancelled
            try:
                self._queue.put(item, timeout=_POLL_SECONDS)
                return
            except Full:
                continue


class StreamedWrites:
    """The chunks `write(stream)` writes, as a WSGI response body.

    The writer thread starts on the first chunk asked for, so a HEAD request starts none; the
    server's `close()` (at the end, or when the client goes away) stops it.
    """

    def __init__(self, write: Callable[[BinaryIO], object], *, name: str) -> None:
        self._write = write
        self._name = name
        self._queue: Queue = Queue(maxsize=QUEUE_DEPTH)
        self._cancelled = threading.Event()
        self._thread: threading.Thread | None = None

    def _run(self) -> None:
        writer = _QueueWriter(self._queue, self._cancelled)
        try:
            self._write(writer)
            if writer._buffer:
                writer.push()
            writer.put(_DONE)
        except _Cancelled:
            return
        except Exception:
            logger.exception("streamed response failed")
            try:
                writer.put(_FAILED)
            except _Cancelled:
                return

    def __iter__(self) -> Iterator[bytes]:
        return self

    def __next__(self) -> bytes:
        if self._thread is None:
            if self._cancelled.is_set():
                raise StopIteration
            self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
            self._thread.start()
        item = self._queue.get()
        if item is _DONE:
            raise StopIteration
        if item is _FAILED:
            raise RuntimeError("the streamed response failed; see the log")
        return item

    def close(self) -> None:
        """Stop the writer (it raises at its next write) and free the chunks it queued."""
        self._cancelled.set()
        try:
            while True:
                self._queue.get_nowait()
        except Empty:
            pass


def stream_writes(write: Callable[[BinaryIO], object], *, name: str = "tm-stream") -> StreamedWrites:
    """Run `write(stream)` on a thread and yield what it writes, in chunks of about CHUNK_SIZE.

    An error in `write` is logged and ends the iteration with an exception, so the server cuts
    the response short rather than send a truncated file that looks complete.
    """
    return StreamedWrites(write, name=name)
