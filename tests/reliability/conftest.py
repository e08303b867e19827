"""Fixtures for the reliability tests: real gunicorn servers on loopback, seeded databases on SQLite
and PostgreSQL, a raw HTTP client that sends exactly the bytes asked for, and snapshots of what a
database holds (to prove a refused request changed nothing)."""
from __future__ import annotations

import hashlib
import os
import select
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import select as sql_select

from memories import service
from memories.database import make_engine, make_session_factory, migrate
from memories.models import Document, Memory, Unit
from tests.conftest import _reset_postgres
from tests.factories import record

ROOT = Path(__file__).resolve().parents[2]

#: What every seeded database holds: two fr-en memories (keys for one cannot touch the other).
NEWS_UNITS = [
    ("Le projet coûte 75 millions de dollars.", "The project costs $75 million."),
    ("Le ministre a annoncé un nouveau programme.", "The minister announced a new program."),
    ("La réunion aura lieu à Fredericton.", "The meeting will take place in Fredericton."),
    ("Merci beaucoup.", "Thank you very much."),
]
OTHER_UNITS = [("Bonjour.", "Hello.")]


@dataclass(frozen=True)
class Keys:
    """Tokens of every kind: write and read keys for `news`, a write key for every memory."""

    write: str
    read: str
    all: str
    other: str  # a write key for memory `other`

    def get(self, name: str | None) -> str | None:
        return getattr(self, name) if name else None


def backend_url(kind: str, tmp_path: Path) -> str:
    """A fresh, empty database: a SQLite file under tmp_path, or the test PostgreSQL wiped."""
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'tm.sqlite'}"
    url = os.environ.get("TM_TEST_DATABASE_URL")
    if not url:
        pytest.skip("TM_TEST_DATABASE_URL is not set; PostgreSQL tests run in CI (.ci/run)")
    _reset_postgres(url)
    return url


BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def seed(url: str) -> Keys:
    """Create the schema, memories `news` and `other` with their units, and keys of each kind."""
    engine = make_engine(url)
    migrate(engine)
    session = make_session_factory(engine)()
    try:
        service.create_memory(session, "news", description="Releases")
        service.add_units(session, "news", [record(fr, en) for fr, en in NEWS_UNITS])
        service.create_memory(session, "other")
        service.add_units(session, "other", [record(fr, en) for fr, en in OTHER_UNITS])
        keys = Keys(
            write=service.create_key(session, scope="write", memory_name="news")[1],
            read=service.create_key(session, scope="read", memory_name="news")[1],
            all=service.create_key(session, scope="write")[1],
            other=service.create_key(session, scope="write", memory_name="other")[1],
        )
    finally:
        session.close()
        engine.dispose()
    return keys


# -- what a database holds --------------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    """Per memory: its unit count and a SHA-256 over its units' ids and texts; and the documents."""

    memories: dict[str, tuple[int, str]]
    documents: int

    def units(self, memory: str) -> int:
        return self.memories[memory][0]


def snapshot(url: str) -> Snapshot:
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            memories = {}
            for memory in session.scalars(sql_select(Memory).order_by(Memory.name)):
                digest, count = hashlib.sha256(), 0
                rows = session.execute(
                    sql_select(Unit.id, Unit.source_text, Unit.target_text)
                    .where(Unit.memory_id == memory.id).order_by(Unit.id)
                )
                for unit_id, source, target in rows:
                    digest.update(f"{unit_id}\x1f{source}\x1f{target}\x1e".encode())
                    count += 1
                memories[memory.name] = (count, digest.hexdigest())
            documents = len(session.scalars(sql_select(Document.id)).all())
    finally:
        engine.dispose()
    return Snapshot(memories, documents)


def stored_texts(url: str, memory: str) -> list[tuple[int, str, str]]:
    """Every unit of `memory` as (id, source, target), by id."""
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            memory_id = session.scalar(sql_select(Memory.id).where(Memory.name == memory))
            return [tuple(row) for row in session.execute(
                sql_select(Unit.id, Unit.source_text, Unit.target_text).where(Unit.memory_id == memory_id)
                .order_by(Unit.id))]
    finally:
        engine.dispose()


# -- gunicorn -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Gunicorn:
    """A gunicorn started from the project root (so gunicorn.conf.py applies), on loopback."""

    address: str  # host:port
    process: subprocess.Popen
    log: Path
    database_url: str
    environment: dict = field(repr=False, default_factory=dict)

    @property
    def host(self) -> str:
        return self.address.split(":")[0]

    @property
    def port(self) -> int:
        return int(self.address.split(":")[1])

    def log_tail(self, size: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-size:] if self.log.exists() else ""


def start_gunicorn(database_url: str, log: Path, *, workers: int = 2, settings: dict | None = None,
                   timeout: float = 60) -> Gunicorn:
    """Start `gunicorn -w WORKERS wsgi:app` serving `database_url`; return once /healthz answers."""
    address = f"127.0.0.1:{free_port()}"
    environment = {**os.environ, "TM_DATABASE_URL": database_url, **(settings or {})}
    with open(log, "ab") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--bind", address, "--workers", str(workers), "wsgi:app"],
            cwd=ROOT, env=environment, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True,
        )
    server = Gunicorn(address, process, log, database_url, environment)
    deadline = time.monotonic() + timeout
    while True:
        try:
            if http_request(address, "GET", "/healthz").status == 200:
                return server
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            stop_gunicorn(server)
            pytest.fail(f"gunicorn did not start:\n{server.log_tail()}")
        time.sleep(0.1)


def stop_gunicorn(server: Gunicorn) -> None:
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGTERM)
        try:
            server.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(timeout=30)


@contextmanager
def gunicorn_serving(database_url: str, log: Path, **options) -> Iterator[Gunicorn]:
    server = start_gunicorn(database_url, log, **options)
    try:
        yield server
    finally:
        stop_gunicorn(server)


# -- a raw HTTP/1.1 client ----------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes
    seconds: float = 0.0

    @property
    def media_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip()


def http_request(address: str, method: str, target: str | bytes, *, headers: dict | None = None,
                 body: bytes | Iterable[bytes] = b"", length: int | None = None, timeout: float = 60) -> Answer:
    """Send one request with exactly these bytes (the target is not re-encoded) and read the answer.

    A body given as chunks is sent until the server answers early (a 413 before the whole upload),
    so a refused 100 MB upload costs the client no more than the server reads.
    """
    host, port = address.rsplit(":", 1)
    chunks = [body] if isinstance(body, bytes) else body
    if length is None and isinstance(body, bytes):
        length = len(body)
    target_bytes = target if isinstance(target, bytes) else target.encode("latin-1")
    head = [method.encode() + b" " + target_bytes + b" HTTP/1.1", f"Host: {address}".encode(),
            b"Connection: close"]
    for name, value in (headers or {}).items():
        head.append(f"{name}: {value}".encode("latin-1"))
    if length or method in ("POST", "PUT", "PATCH"):
        head.append(f"Content-Length: {length or 0}".encode())
    started = time.monotonic()
    with socket.create_connection((host, int(port)), timeout=timeout) as connection:
        connection.sendall(b"\r\n".join(head) + b"\r\n\r\n")
        try:
            for chunk in chunks:
                if select.select([connection], [], [], 0)[0]:
                    break  # the server has answered (or closed): stop sending
                connection.sendall(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass
        received = bytearray()
        try:
            while data := connection.recv(65536):
                received += data
        except ConnectionResetError:
            if not received:
                raise
    seconds = time.monotonic() - started
    head_bytes, _, payload = bytes(received).partition(b"\r\n\r\n")
    lines = head_bytes.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    answer_headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        answer_headers[name.strip().lower()] = value.strip()
    if answer_headers.get("transfer-encoding", "").lower() == "chunked":
        payload = _dechunk(payload)
    return Answer(status, answer_headers, payload, seconds)


def _dechunk(data: bytes) -> bytes:
    out, position = bytearray(), 0
    while True:
        end = data.index(b"\r\n", position)
        size = int(data[position:end].split(b";")[0], 16)
        if size == 0:
            return bytes(out)
        out += data[end + 2 : end + 2 + size]
        position = end + 2 + size + 2


@pytest.fixture(scope="session")
def report_dir(tmp_path_factory) -> Path:
    """Where the reliability tests write their reports (durations, counts): the pytest temp dir."""
    return tmp_path_factory.mktemp("reliability-report", numbered=False)
