"""Crashes: an import killed with SIGKILL halfway leaves the memory as it was before, and a server
started on the same database afterwards serves reads and writes (SQLite recovers its WAL,
PostgreSQL rolls the dead connection's transaction back).

"Halfway" is observed, not guessed: the importer has read more than half of its file (its offset
in /proc/PID/fdinfo) and holds the database's write lock (SQLite: another connection cannot
BEGIN IMMEDIATE; PostgreSQL: its backend has a transaction id, which only a write gets).
"""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.reliability.conftest import (
    BACKENDS, NEWS_UNITS, ROOT, backend_url, gunicorn_serving, http_request, seed, snapshot, stop_gunicorn,
    start_gunicorn,
)

UNITS = 60_000
TM = Path(sys.executable).with_name("tm")


def write_tmx(path: Path, count: int) -> None:
    with open(path, "w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="fr"/><body>\n')
        for start in range(0, count, 10_000):
            out.write("".join(
                f'<tu tuid="{n}"><tuv xml:lang="fr"><seg>Phrase interrompue numéro {n}, jamais gardée.</seg></tuv>'
                f'<tuv xml:lang="en"><seg>Interrupted sentence number {n}, never kept.</seg></tuv></tu>\n'
                for n in range(start, min(count, start + 10_000))))
        out.write("</body></tmx>\n")


def write_tsv(path: Path, count: int) -> None:
    with open(path, "w", encoding="utf-8") as out:
        out.writelines(f"Ligne interrompue numéro {n}, jamais gardée.\tInterrupted line {n}, never kept.\n"
                       for n in range(count))


def holds_write_lock(url: str) -> bool:
    """Tell whether some other connection is inside a write transaction on this database."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        probe = sqlite3.connect(parsed.database, timeout=0, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError as error:
            assert "locked" in str(error)
            return True
        finally:
            probe.close()
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            writers = connection.scalar(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()"))
        return writers > 0
    finally:
        engine.dispose()


def read_fraction(pid: int, path: Path) -> float:
    """How far process `pid` has read the file at `path` (0 when it has not opened it)."""
    size = path.stat().st_size
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            if os.readlink(f"/proc/{pid}/fd/{fd}") == str(path):
                position = next(line for line in open(f"/proc/{pid}/fdinfo/{fd}") if line.startswith("pos:"))
                return int(position.split()[1]) / size
        except (FileNotFoundError, StopIteration):
            continue
    return 0.0


def wait_until(condition, what: str, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if process.poll() is not None:
            pytest.fail(f"the process ended (status {process.returncode}) before {what}")
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting until {what}")
        time.sleep(0.02)


def assert_serves(url: str, log: Path, write_key: str) -> None:
    """Start gunicorn on the database: health, a suggestion, and a write all work."""
    with gunicorn_serving(url, log, workers=2) as server:
        assert http_request(server.address, "GET", "/healthz").status == 200
        french, english = NEWS_UNITS[0]
        answer = http_request(server.address, "GET", "/api/v1/suggest?q=" + quote(french, safe=""))
        assert answer.status == 200, answer.body
        assert json.loads(answer.body)["matches"][0]["target"] == english
        body = json.dumps({"source_lang": "fr", "target_lang": "en", "source": "Après la panne.",
                           "target": "After the crash."}).encode()
        written = http_request(server.address, "POST", "/api/v1/memories/news/units", body=body,
                               headers={"Authorization": f"Bearer {write_key}", "Content-Type": "application/json"})
        assert written.status == 201, written.body


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_tm_import_killed_halfway_changes_nothing(backend, tmp_path):
    url = backend_url(backend, tmp_path)
    keys = seed(url)
    before = snapshot(url)
    source = tmp_path / "big.tmx"
    write_tmx(source, UNITS)
    process = subprocess.Popen([str(TM), "import", str(source), "--memory", "news"], cwd=ROOT,
                               env={**os.environ, "TM_DATABASE_URL": url},
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_until(lambda: read_fraction(process.pid, source) > 0.5, "it read half the file", process)
        wait_until(lambda: holds_write_lock(url), "it holds the write lock", process)
        os.kill(process.pid, signal.SIGKILL)
        assert process.wait(timeout=30) == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()

    wait_until_unlocked(url)
    assert snapshot(url) == before
    assert_serves(url, tmp_path / "gunicorn.log", keys.write)
    assert snapshot(url).units("news") == before.units("news") + 1


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_gunicorn_killed_during_an_import_changes_nothing(backend, tmp_path):
    url = backend_url(backend, tmp_path)
    keys = seed(url)
    before = snapshot(url)
    source = tmp_path / "big.tsv"
    write_tsv(source, UNITS)
    data = source.read_bytes()
    boundary = "crash-boundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.tsv\"\r\n"
            "Content-Type: text/tab-separated-values\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    server = start_gunicorn(url, tmp_path / "gunicorn.log", workers=2)
    try:
        upload = subprocess.Popen(
            [sys.executable, "-c", UPLOAD_SCRIPT, server.address, keys.write, boundary],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        upload.stdin.write(body)
        upload.stdin.close()
        wait_until(lambda: holds_write_lock(url), "a worker holds the write lock", upload)
        time.sleep(0.5)  # let it insert a good part of the file
        os.killpg(server.process.pid, signal.SIGKILL)  # the master and both workers, at once
        server.process.wait(timeout=30)
        upload.wait(timeout=60)
    finally:
        stop_gunicorn(server)

    wait_until_unlocked(url)
    assert snapshot(url) == before
    assert_serves(url, tmp_path / "gunicorn-again.log", keys.write)


def wait_until_unlocked(url: str, timeout: float = 30) -> None:
    """PostgreSQL rolls a dead client's transaction back once it notices the socket closed."""
    deadline = time.monotonic() + timeout
    while holds_write_lock(url):
        assert time.monotonic() < deadline, "the dead writer's transaction is still open"
        time.sleep(0.05)


# Sends the multipart body read from stdin as an import; the server is killed before it answers.
UPLOAD_SCRIPT = """
import http.client, sys
address, key, boundary = sys.argv[1:4]
body = sys.stdin.buffer.read()
connection = http.client.HTTPConnection(address, timeout=120)
try:
    connection.request("POST", "/api/v1/memories/news/import", body=body, headers={
        "Authorization": "Bearer " + key, "Content-Type": "multipart/form-data; boundary=" + boundary})
    connection.getresponse().read()
except Exception:
    pass
"""
