"""Bad input: every case of cases/cases.toml gets its status as application/problem+json, and no
memory changes, through the Flask test client and through gunicorn, on SQLite and PostgreSQL.

How long each case took is measured and written to `bad_input_durations.tsv` in the pytest temp
folder (and printed with -s), never asserted: the machines are shared and noisy. The work is
bounded by construction instead: entity declarations are refused before parsing, a 100 MB upload
is refused by its Content-Length before it is read, a URL past 64 KiB before routing.
"""
from __future__ import annotations

import io
import json
import time
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.reliability.conftest import (
    BACKENDS, Answer, Keys, backend_url, gunicorn_serving, http_request, seed, snapshot,
)
from tm_service import create_app

CASES_DIR = Path(__file__).with_name("cases")
PROBLEM = "application/problem+json"
BOUNDARY = "tm-reliability-boundary"
MEGABYTE = 1024 * 1024


@dataclass(frozen=True)
class Case:
    name: str
    why: str
    method: str
    expect: int
    target: str = ""
    key: str | None = None
    json: str | None = None
    body: str | None = None
    body_encoding: str = "utf-8"
    content_type: str | None = None
    upload: str | None = None
    filename: str | None = None
    form: dict = field(default_factory=dict)
    generate: str | None = None
    http_expect: int | None = None
    http_only: bool = False
    accepted: bool = False
    detail: str | None = None


def load_cases() -> list[Case]:
    with open(CASES_DIR / "cases.toml", "rb") as source:
        return [Case(**case) for case in tomllib.load(source)["case"]]


CASES = load_cases()


# -- building requests ----------------------------------------------------------------------------


@dataclass
class Request:
    method: str
    target: str
    headers: dict[str, str]
    chunks: list[bytes] | Iterator[bytes]
    length: int


def multipart(fields: dict[str, str], file_name: str | None, file_chunks, file_length: int):
    """A multipart/form-data body as (chunks, length): the fields, then the file streamed."""
    head = b""
    for name, value in fields.items():
        head += (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").encode()
    if file_name is None:
        tail = f"--{BOUNDARY}--\r\n".encode()
        return [head + tail], len(head + tail)
    head += (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n"
             "Content-Type: application/octet-stream\r\n\r\n").encode()
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()

    def chunks():
        yield head
        yield from file_chunks
        yield tail

    return chunks(), len(head) + file_length + len(tail)


def huge_segment_tmx() -> tuple[Iterator[bytes], int]:
    head = b'<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><body><tu><tuv xml:lang="fr"><seg>'
    tail = b'</seg></tuv><tuv xml:lang="en"><seg>b</seg></tuv></tu></body></tmx>\n'
    block = b"a" * MEGABYTE

    def chunks():
        yield head
        for _ in range(100):
            yield block
        yield tail

    return chunks(), len(head) + 100 * MEGABYTE + len(tail)


def huge_line_tsv() -> tuple[Iterator[bytes], int]:
    block = b"a" * MEGABYTE

    def chunks():
        for _ in range(100):
            yield block
        yield b"\tb\n"

    return chunks(), 100 * MEGABYTE + 3


UNIT = {"source_lang": "fr", "target_lang": "en", "source": "Une phrase nouvelle.", "target": "A new sentence."}


def generated(case: Case) -> Request:
    """The cases too big (or too odd) to keep as files: built here, on the fly."""
    name, json_type = case.generate, {"Content-Type": "application/json"}
    if name in ("tmx_segment_100mb", "tsv_line_100mb"):
        file_chunks, file_length = huge_segment_tmx() if name == "tmx_segment_100mb" else huge_line_tsv()
        suffix = "tmx" if name.startswith("tmx") else "tsv"
        chunks, length = multipart({}, f"huge.{suffix}", file_chunks, file_length)
        return Request(case.method, case.target, {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
                       chunks, length)
    if name == "json_huge_array":
        body = json.dumps({"units": [UNIT] * 10_001}).encode()
    elif name == "json_nested_deep":
        body = b"[" * 100_000 + b"]" * 100_000
    elif name == "json_long_text":
        body = json.dumps({**UNIT, "source": "a" * 20_001}).encode()
    elif name == "json_9_mb":
        head, tail = b'{"source_lang": "fr", "target_lang": "en", "target": "b", "source": "', b'"}'
        block = b"a" * MEGABYTE
        return Request(case.method, case.target, json_type, [head, *[block] * 9, tail], len(head) + 9 * MEGABYTE + 2)
    elif name == "query_2001":
        return Request("GET", "/api/v1/suggest?q=" + quote("é" * 2001, safe=""), {}, [], 0)
    elif name == "query_100000":
        return Request("GET", "/api/v1/suggest?q=" + "a" * 100_000, {}, [], 0)
    elif name == "tmserver_2001":
        return Request("GET", "/tmserver/fr/en/unit/" + quote("é" * 2001, safe=""), {}, [], 0)
    elif name == "header_10kb":
        return Request("GET", "/healthz", {"X-Padding": "a" * 10_000}, [], 0)
    else:
        raise AssertionError(f"no generator called {name!r}")
    return Request(case.method, case.target, json_type, [body], len(body))


def build(case: Case, keys: Keys) -> Request:
    if case.generate:
        request = generated(case)
    elif case.upload or case.form:
        data = (CASES_DIR / case.upload).read_bytes() if case.upload else b""
        chunks, length = multipart(case.form, (case.filename or case.upload) if case.upload else None, [data],
                                   len(data))
        request = Request(case.method, case.target, {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
                          chunks, length)
    elif case.json is not None:
        body = case.json.encode()
        request = Request(case.method, case.target, {"Content-Type": "application/json"}, [body], len(body))
    elif case.body is not None:
        body = case.body.encode(case.body_encoding)
        request = Request(case.method, case.target, {"Content-Type": case.content_type}, [body], len(body))
    else:
        request = Request(case.method, case.target, {}, [], 0)
    token = "tm_not-a-key" if case.key == "bogus" else keys.get(case.key)
    if token:
        request.headers["Authorization"] = f"Bearer {token}"
    return request


class ChunkStream(io.RawIOBase):
    """A readable stream over chunks, so the test client never holds a 100 MB body at once.

    werkzeug's test client measures a stream by seeking to its end and back before reading it;
    those seeks are only pretended (the length is known), reading starts where it started.
    """

    def __init__(self, chunks, length: int) -> None:
        self._chunks = iter(chunks)
        self._pending = b""
        self._length = length
        self._position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        self._position = self._length + offset if whence == io.SEEK_END else offset
        return self._position

    def readinto(self, buffer) -> int:
        while not self._pending:
            try:
                self._pending = next(self._chunks)
            except StopIteration:
                return 0
        size = min(len(buffer), len(self._pending))
        buffer[:size], self._pending = self._pending[:size], self._pending[size:]
        self._position += size
        return size


# -- checking answers -----------------------------------------------------------------------------

DURATIONS: list[tuple[str, str, str, int, float]] = []


@pytest.fixture(scope="module", autouse=True)
def duration_report(report_dir):
    yield
    path = report_dir / "bad_input_durations.tsv"
    rows = sorted(DURATIONS, key=lambda row: -row[4])
    with open(path, "w") as out:
        out.write("backend\tserver\tcase\tstatus\tseconds\n")
        out.writelines(f"{b}\t{s}\t{c}\t{st}\t{sec:.3f}\n" for b, s, c, st, sec in rows)
    slowest = ", ".join(f"{c} ({s}, {b}) {sec:.2f} s" for b, s, c, _, sec in rows[:3])
    print(f"\nbad input: {len(rows)} requests; slowest {slowest}; all in {path}")


def check(case: Case, status: int, media_type: str, body: bytes, expected: int) -> None:
    assert status == expected, f"{case.name}: {status} {body[:300]!r}"
    if case.accepted:
        assert media_type == "application/json", case.name
        json.loads(body)
        return
    assert media_type == PROBLEM, f"{case.name}: {media_type} {body[:200]!r}"
    problem = json.loads(body)
    assert {"type", "title", "status"} <= set(problem) and problem["status"] == status, problem
    assert b"<html" not in body.lower()
    if case.detail:
        assert case.detail in problem["detail"], problem


def check_unchanged(case: Case, url: str, before) -> None:
    after = snapshot(url)
    assert after == before, f"{case.name} changed the store: {before} -> {after}"


# -- through the Flask test client ----------------------------------------------------------------


@pytest.fixture(scope="module", params=BACKENDS)
def seeded(request, tmp_path_factory) -> tuple[str, str, Keys]:
    url = backend_url(request.param, tmp_path_factory.mktemp(f"bad-input-{request.param}"))
    return request.param, url, seed(url)


@pytest.fixture(scope="module")
def flask_client(seeded):
    _, url, _ = seeded
    app = create_app({"TESTING": True, "DATABASE_URL": url, "WRITE_RATE_LIMIT": 0})
    yield app.test_client()
    app.extensions["tm_engine"].dispose()


def test_the_corpus_is_large_and_varied():
    names = [case.name for case in CASES]
    assert len(names) == len(set(names))
    refused = [case for case in CASES if not case.accepted]
    assert len(refused) >= 40
    assert {case.expect for case in refused} >= {400, 401, 403, 404, 405, 409, 413, 414, 415, 422, 431}
    for case in CASES:
        assert case.upload is None or (CASES_DIR / case.upload).is_file(), case.name
    on_disk = {path.name for path in CASES_DIR.iterdir() if path.suffix in (".tmx", ".tsv")}
    assert on_disk <= {case.upload for case in CASES}, "every file of cases/ is a case"


@pytest.mark.parametrize("case", [case for case in CASES if not case.http_only], ids=lambda case: case.name)
def test_bad_input_through_the_test_client(seeded, flask_client, case):
    backend, url, keys = seeded
    request = build(case, keys)
    before = snapshot(url)
    started = time.monotonic()
    response = flask_client.open(request.target, method=request.method, headers=request.headers,
                                 input_stream=ChunkStream(request.chunks, request.length))
    body = response.get_data()
    DURATIONS.append((backend, "test client", case.name, response.status_code, time.monotonic() - started))
    check(case, response.status_code, response.mimetype, body, case.expect)
    check_unchanged(case, url, before)


# -- through gunicorn -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gunicorn(seeded, tmp_path_factory):
    backend, url, _ = seeded
    log = tmp_path_factory.mktemp(f"bad-input-gunicorn-{backend}") / "gunicorn.log"
    with gunicorn_serving(url, log, workers=2, settings={"TM_WRITE_RATE_LIMIT": "0"}) as server:
        yield server


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_bad_input_through_gunicorn(seeded, gunicorn, case):
    backend, url, keys = seeded
    request = build(case, keys)
    before = snapshot(url)
    answer: Answer = http_request(gunicorn.address, request.method, request.target, headers=request.headers,
                                  body=request.chunks, length=request.length)
    DURATIONS.append((backend, "gunicorn", case.name, answer.status, answer.seconds))
    check(case, answer.status, answer.media_type, answer.body, case.http_expect or case.expect)
    check_unchanged(case, url, before)
    assert gunicorn.process.poll() is None, gunicorn.log_tail()
