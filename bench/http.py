"""Benchmark the HTTP service: requests/s and p50/p99 latency of GET /api/v1/suggest under 1, 4 and
16 concurrent keep-alive clients, against gunicorn (gunicorn.conf.py, `-w 2`) on loopback.

Builds a SQLite memory of `--units` French/English units from ../shared/data/parallel (real
pairs plus word-edited variants), holds back sentences and queries with them edited by one or
two words (fr->en). Baselines measured in the same run: the same lookups in-process through a
Matcher with no HTTP, and GET /healthz over HTTP (the cost of HTTP, Flask and a database ping).

    .venv/bin/python bench/http.py [--units 100000] [--requests 2000] [--concurrency 1,4,16]

A benchmark that prints numbers, never a test. Everything it creates lives in a temporary
folder that is removed at the end; the gunicorn it starts is stopped.
"""
from __future__ import annotations

import sys
from pathlib import Path

# This file is named http.py: run as a script, its folder comes first on sys.path and would
# shadow the standard library's `http`.
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import http.client  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import socket  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from urllib.parse import urlencode  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import parallel_pairs  # noqa: E402

SEED = 20261127
MEMORY = "bench"
HELD_BACK = 300
_WORD = re.compile(r"\S+")


# -- data ------------------------------------------------------------------------------------


def edit(text: str, rng: random.Random, vocabulary: list[str], operations: int) -> str:
    """Replace, drop or add `operations` words."""
    words = _WORD.findall(text)
    for _ in range(operations):
        kind = rng.choice(("replace", "drop", "add"))
        if kind == "drop" and len(words) > 3:
            del words[rng.randrange(len(words))]
        elif kind == "add":
            words.insert(rng.randrange(len(words) + 1), rng.choice(vocabulary))
        elif words:
            words[rng.randrange(len(words))] = rng.choice(vocabulary)
    return " ".join(words)


def build_data(size: int, rng: random.Random) -> tuple[list[tuple[str, str]], list[str]]:
    """Return `size` distinct units and the French queries (held-back sentences, edited)."""
    pairs = list(dict.fromkeys((fr, en) for fr, en in parallel_pairs() if len(fr) < 500 and len(en) < 500))
    rng.shuffle(pairs)
    held, kept = pairs[:HELD_BACK], pairs[HELD_BACK:]
    french_words = [w for fr, _ in kept[:20000] for w in _WORD.findall(fr) if w.isalpha()]
    english_words = [w for _, en in kept[:20000] for w in _WORD.findall(en) if w.isalpha()]
    units: dict[tuple[str, str], None] = {}
    for fr, en in held:  # the memory holds near variants of each held-back sentence, never the sentence
        for _ in range(2):
            units[(edit(fr, rng, french_words, 1), edit(en, rng, english_words, 1))] = None
    for pair in kept:
        units[pair] = None
        if len(units) >= size:
            break
    while len(units) < size:
        fr, en = rng.choice(kept)
        operations = rng.randint(1, 3)
        units[(edit(fr, rng, french_words, operations), edit(en, rng, english_words, operations))] = None
    queries = [edit(fr, rng, french_words, rng.randint(1, 2)) for fr, _ in held]
    return list(units)[:size], queries


def build_memory(url: str, units: list[tuple[str, str]]) -> float:
    from memories import service
    from memories.database import make_engine, make_session_factory, migrate
    from memories.records import Segment, UnitRecord

    engine = make_engine(url)
    migrate(engine)
    session = make_session_factory(engine)()
    service.create_memory(session, MEMORY)
    started = time.perf_counter()
    service.import_records(session, MEMORY, (UnitRecord(Segment("fr", fr), Segment("en", en)) for fr, en in units))
    seconds = time.perf_counter() - started
    session.close()
    engine.dispose()
    return seconds


# -- measuring ---------------------------------------------------------------------------------


def summary(latencies: list[float], seconds: float) -> str:
    ordered = sorted(latencies)
    p50 = statistics.median(ordered) * 1000
    p99 = ordered[min(len(ordered) - 1, int(round(0.99 * (len(ordered) - 1))))] * 1000
    return f"{len(ordered) / seconds:9.1f} {p50:9.1f} {p99:9.1f}"


def in_process(url: str, queries: list[str]) -> tuple[float, list[float], float, int]:
    """Time the same lookups through a Matcher in this process: (build seconds, latencies, wall,
    queries that found a match)."""
    from memories.database import make_engine, make_session_factory
    from memories.matching import Matcher

    engine = make_engine(url)
    sessions = make_session_factory(engine)
    matcher = Matcher(sessions)
    started = time.perf_counter()
    matcher.build()
    build = time.perf_counter() - started
    latencies, matched = [], 0
    with sessions() as session:
        matcher.suggest(session, queries[0], source_lang="fr", target_lang="en")
        wall = time.perf_counter()
        for query in queries:
            started = time.perf_counter()
            matched += bool(matcher.suggest(session, query, source_lang="fr", target_lang="en"))
            latencies.append(time.perf_counter() - started)
        wall = time.perf_counter() - wall
    engine.dispose()
    return build, latencies, wall, matched


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(url: str, port: int, workers: int, log: Path) -> subprocess.Popen:
    environment = {**os.environ, "TM_DATABASE_URL": url, "TM_LOG_LEVEL": "WARNING"}
    command = [sys.executable, "-m", "gunicorn", "--config", str(ROOT / "gunicorn.conf.py"),
               "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "wsgi:app"]
    return subprocess.Popen(command, cwd=ROOT, env=environment, stdout=log.open("wb"), stderr=subprocess.STDOUT)


def wait_until_up(port: int, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn exited; see its log")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                connection.close()
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer /healthz in time")


def suggest_path(query: str) -> str:
    return "/api/v1/suggest?" + urlencode({"q": query, "source_lang": "fr", "target_lang": "en",
                                           "min_similarity": 70, "limit": 5})


def load(port: int, paths: list[str], clients: int, requests: int) -> tuple[list[float], float, int]:
    """Send `requests` GETs from `clients` threads, each on its own keep-alive connection."""
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    counter = iter(range(requests))

    def client(number: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        mine: list[float] = []
        while True:
            with lock:
                index = next(counter, None)
            if index is None:
                break
            path = paths[(index * 7 + number) % len(paths)]
            started = time.perf_counter()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
            except (OSError, http.client.HTTPException):
                ok = False
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            if ok:
                mine.append(time.perf_counter() - started)
            else:
                with lock:
                    failures[0] += 1
        connection.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, time.perf_counter() - started, failures[0]


def warm_up(port: int, paths: list[str], workers: int) -> float:
    """Let every worker build its index: repeat concurrent rounds until one is fast throughout."""
    started = time.perf_counter()
    while time.perf_counter() - started < 600:
        latencies, _, _ = load(port, paths[:32], clients=4 * workers, requests=8 * workers)
        if latencies and max(latencies) < 1.0:
            break
    return time.perf_counter() - started


# -- main --------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=2000, help="requests per concurrency level")
    parser.add_argument("--concurrency", default="1,4,16")
    parser.add_argument("--workers", type=int, default=2)
    arguments = parser.parse_args()
    levels = [int(level) for level in arguments.concurrency.split(",")]
    rng = random.Random(SEED)

    folder = Path(tempfile.mkdtemp(prefix="tm-bench-http-"))
    process = None
    try:
        url = f"sqlite:///{folder / 'tm.sqlite'}"
        units, queries = build_data(arguments.units, rng)
        seconds = build_memory(url, units)
        print(f"memory: {len(units):,} units in SQLite, imported in {seconds:.1f} s; {len(queries)} queries "
              f"(held-back French sentences, 1-2 words edited), fr->en, min_similarity 70, limit 5")
        print(f"machine: {os.cpu_count()} cores; gunicorn -w {arguments.workers} "
              "(gunicorn.conf.py: gthread, 4 threads), keep-alive clients on loopback")
        build, latencies, wall, matched = in_process(url, queries)
        print(f"in-process matcher index build: {build:.1f} s; {matched} of {len(queries)} queries find a match\n")
        print(f"{'what':44} {'clients':>7} {'req/s':>9} {'p50 ms':>9} {'p99 ms':>9} {'errors':>6}")
        print(f"{'baseline: Matcher.suggest in process':44} {1:7d} {summary(latencies, wall)} {0:6d}")

        port = free_port()
        process = start_gunicorn(url, port, arguments.workers, folder / "gunicorn.log")
        wait_until_up(port, process)
        paths = [suggest_path(query) for query in queries]
        warmed = warm_up(port, paths, arguments.workers)
        latencies, wall, failures = load(port, ["/healthz"], clients=4, requests=arguments.requests)
        print(f"{'baseline: GET /healthz over HTTP':44} {4:7d} {summary(latencies, wall)} {failures:6d}")
        for clients in levels:
            latencies, wall, failures = load(port, paths, clients=clients, requests=arguments.requests)
            print(f"{'GET /api/v1/suggest over HTTP':44} {clients:7d} {summary(latencies, wall)} {failures:6d}")
        print(f"\n(workers built their indexes during a {warmed:.1f} s warm-up, not measured)")
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
