"""Concurrent writers and readers against gunicorn with 2 workers, on SQLite and PostgreSQL: every
acknowledged write is stored, nothing is stored twice, and no request gets a 5xx.

Eight writer threads add units for a few seconds, each over its own keep-alive connection: texts
of their own, and every fifth request a text that all eight write at about the same moment (which
must come back with one id, stored once). Eight reader threads ask for suggestions meanwhile.
"""
from __future__ import annotations

import http.client
import json
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from urllib.parse import quote

import pytest

from tests.reliability.conftest import BACKENDS, NEWS_UNITS, backend_url, gunicorn_serving, seed, stored_texts

WRITERS = READERS = 8
SECONDS = 5.0
SHARED_EVERY = 5


@dataclass
class Tally:
    """What the clients saw: acknowledged writes by text, statuses, and failures."""

    acknowledged: dict[tuple[str, str], set[int]] = field(default_factory=lambda: defaultdict(set))
    statuses: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, kind: str, status: int, body: bytes) -> None:
        with self.lock:
            self.statuses[(kind, status)] += 1
            if status >= 500 or (kind == "write" and status != 201) or (kind == "read" and status != 200):
                self.failures.append(f"{kind} {status}: {body[:300]!r}")


class Client:
    """One keep-alive connection; reconnects (and says so) if the server closes it."""

    def __init__(self, address: str) -> None:
        self.address = address
        self.connection = http.client.HTTPConnection(address, timeout=60)

    def send(self, method: str, target: str, body: bytes | None = None, headers: dict | None = None):
        self.connection.request(method, target, body=body, headers=headers or {})
        response = self.connection.getresponse()
        payload = response.read()
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
            self.connection = http.client.HTTPConnection(self.address, timeout=60)
        return response.status, payload

    def close(self) -> None:
        self.connection.close()


def writer(address: str, key: str, number: int, stop: threading.Event, tally: Tally) -> None:
    client, request = Client(address), 0
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    try:
        while not stop.is_set():
            request += 1
            if request % SHARED_EVERY == 0:
                texts = (f"Texte partagé numéro {request}.", f"Shared text number {request}.")
            else:
                texts = (f"Auteur {number}, phrase {request} du test.", f"Writer {number}, sentence {request}.")
            body = json.dumps({"source_lang": "fr", "target_lang": "en", "source": texts[0], "target": texts[1]})
            status, payload = client.send("POST", "/api/v1/memories/news/units", body.encode(), headers)
            tally.note("write", status, payload)
            if status == 201:
                [unit_id] = json.loads(payload)["ids"]
                with tally.lock:
                    tally.acknowledged[texts].add(unit_id)
    except Exception as error:  # noqa: BLE001 - any failure of a client is a finding
        with tally.lock:
            tally.failures.append(f"writer {number}: {error!r}")
    finally:
        client.close()


def reader(address: str, number: int, stop: threading.Event, tally: Tally) -> None:
    client, request = Client(address), 0
    queries = [fr for fr, _ in NEWS_UNITS] + ["Le projet coûte 89,2 millions de dollars.",
                                              "Auteur 3, phrase 12 du test."]
    try:
        while not stop.is_set():
            query = queries[(number + request) % len(queries)]
            request += 1
            status, payload = client.send("GET", "/api/v1/suggest?min_similarity=50&q=" + quote(query, safe=""))
            tally.note("read", status, payload)
    except Exception as error:  # noqa: BLE001
        with tally.lock:
            tally.failures.append(f"reader {number}: {error!r}")
    finally:
        client.close()


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_concurrent_writers_and_readers(backend, tmp_path, report_dir):
    url = backend_url(backend, tmp_path)
    keys = seed(url)
    before = {(source, target) for _, source, target in stored_texts(url, "news")}
    tally, stop = Tally(), threading.Event()
    with gunicorn_serving(url, tmp_path / "gunicorn.log", workers=2,
                          settings={"TM_WRITE_RATE_LIMIT": "0"}) as server:
        threads = [threading.Thread(target=writer, args=(server.address, keys.write, n, stop, tally))
                   for n in range(WRITERS)]
        threads += [threading.Thread(target=reader, args=(server.address, n, stop, tally)) for n in range(READERS)]
        for thread in threads:
            thread.start()
        time.sleep(SECONDS)
        stop.set()
        for thread in threads:
            thread.join(timeout=120)
        assert not any(thread.is_alive() for thread in threads), "a client hung"
        # A unit written through one worker is matched through either, at once.
        probe = http.client.HTTPConnection(server.address, timeout=60)
        for _ in range(4):
            probe.request("GET", "/api/v1/suggest?q=" + quote("Texte partagé numéro 5.", safe=""))
            answer = json.loads(probe.getresponse().read())
            assert answer["matches"] and answer["matches"][0]["similarity"] == 100
        probe.close()
        log = server.log_tail(20_000)

    writes = sum(count for (kind, _), count in tally.statuses.items() if kind == "write")
    reads = sum(count for (kind, _), count in tally.statuses.items() if kind == "read")
    (report_dir / f"concurrency_{backend}.txt").write_text(
        f"{backend}: {writes} writes, {reads} reads in {SECONDS} s with {WRITERS}+{READERS} clients; "
        f"statuses {dict(tally.statuses)}\n")
    print(f"\n{backend}: {writes} writes and {reads} reads in {SECONDS:.0f} s; statuses {dict(tally.statuses)}")
    assert not tally.failures, f"{len(tally.failures)} failures, first: {tally.failures[:5]}\n{log[-3000:]}"
    assert writes > WRITERS and reads > READERS

    stored = stored_texts(url, "news")
    by_text = Counter((source, target) for _, source, target in stored)
    assert max(by_text.values()) == 1, "a text is stored twice"
    ids_by_text = {(source, target): unit_id for unit_id, source, target in stored}
    for texts, ids in tally.acknowledged.items():
        assert len(ids) == 1, f"{texts} was acknowledged with several ids {ids}"
        assert ids_by_text.get(texts) == next(iter(ids)), f"acknowledged {texts} is not stored as {ids}"
    # Nothing stored that was not acknowledged (or seeded).
    assert set(by_text) == before | set(tally.acknowledged)
    shared = [texts for texts in tally.acknowledged if texts[0].startswith("Texte partagé")]
    assert shared, "the writers raced on shared texts"
    assert "Traceback" not in log, log[-3000:]
