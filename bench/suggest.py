"""Benchmark fuzzy matching: recall@1 against an exhaustive scan, latency, build time, size, memory.

Grows memories of the requested sizes from ../shared/data/parallel (real French/English pairs
plus controlled variants: words swapped, replaced, dropped or added, numbers changed), imports
each through memories.service, then queries them with held-back sentences edited by 1-3 words,
half fr->en and half en->fr. A third of the queries come from sentences held back whole (their
best match is whatever the memory happens to hold); the rest from sentences whose variants are
stored but not the sentence itself.

recall@1 is how often our first match has the same `quality` as the best `quality` over the
whole memory (rapidfuzz's Levenshtein over every source, exhaustively), over the queries whose
true best is >= 70, and >= 50. Lookups run in a separate worker process (a fresh Matcher,
built from the database), so its RSS is what a gunicorn worker would hold.

    .venv/bin/python bench/suggest.py --sizes 100000 --backends sqlite,postgresql --queries 200

A benchmark that prints numbers, never a test. PostgreSQL comes from TM_BENCH_DATABASE_URL or
TM_TEST_DATABASE_URL; the benchmark works in its own schema, `bench_suggest`, and drops it first.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DATA = Path(os.environ.get("TM_SHARED_DATA", ROOT.parent / "shared" / "data")) / "parallel"
SCHEMA = "bench_suggest"
SEED = 20261127
MEMORY = "bench"
NEAR_SHARE = 2 / 3  # queries whose variants are stored; the rest are held back whole
_WORD = re.compile(r"\S+")
_NUMBER = re.compile(r"\d+")


# -- data ------------------------------------------------------------------------------------


def read_pairs() -> list[tuple[str, str]]:
    pairs = []
    for french in sorted(DATA.glob("*/*.fra")):
        english = french.with_suffix(".eng")
        if not english.exists():
            continue
        for fr, en in zip(french.read_text("utf-8").splitlines(), english.read_text("utf-8").splitlines()):
            fr, en = fr.strip(), en.strip()
            if fr and en and len(fr) < 1000 and len(en) < 1000:
                pairs.append((fr, en))
    return list(dict.fromkeys(pairs))


class Editor:
    """Word-level edits drawn from a seeded generator and the corpus's own vocabulary."""

    def __init__(self, pairs: list[tuple[str, str]], rng: random.Random) -> None:
        self.rng = rng
        self.words = [
            [w for text in side for w in _WORD.findall(text) if w.isalpha()][:200_000]
            for side in zip(*pairs)
        ]

    def edit(self, text: str, side: int, operations: int, kinds: str = "swap replace drop add number") -> str:
        words = _WORD.findall(text)
        for _ in range(operations):
            kind = self.rng.choice(kinds.split())
            if kind == "number" and any(_NUMBER.search(w) for w in words):
                index = self.rng.choice([i for i, w in enumerate(words) if _NUMBER.search(w)])
                words[index] = _NUMBER.sub(lambda m: str(self.rng.randint(1, 9999)), words[index], count=1)
            elif kind == "swap" and len(words) > 2:
                index = self.rng.randrange(len(words) - 1)
                words[index], words[index + 1] = words[index + 1], words[index]
            elif kind == "drop" and len(words) > 2:
                del words[self.rng.randrange(len(words))]
            elif kind == "add":
                words.insert(self.rng.randrange(len(words) + 1), self.rng.choice(self.words[side]))
            elif words:
                words[self.rng.randrange(len(words))] = self.rng.choice(self.words[side])
        return " ".join(words)


def grow(pairs, size: int, queries: int, rng: random.Random):
    """Return (units, queries): `size` distinct (fr, en) units and (text, direction, origin) queries."""
    editor = Editor(pairs, rng)
    order = list(range(len(pairs)))
    rng.shuffle(order)
    query_pairs = order[:queries]
    near = set(query_pairs[: int(queries * NEAR_SHARE)])
    held_back = set(query_pairs) - near
    units: dict[tuple[str, str], None] = {}
    for index in sorted(near):  # a few variants of every near query's sentence, never the sentence
        fr, en = pairs[index]
        for _ in range(3):
            units[(editor.edit(fr, 0, rng.randint(1, 2)), editor.edit(en, 1, rng.randint(1, 2)))] = None
    for index in order:
        if len(units) >= size:
            break
        if index not in near and index not in held_back:
            units[pairs[index]] = None
    sources = [i for i in order if i not in held_back]
    while len(units) < size:
        index = rng.choice(sources)
        fr, en = pairs[index]
        operations = rng.randint(1, 3)
        units[(editor.edit(fr, 0, operations), editor.edit(en, 1, operations))] = None
    unit_list = list(units)[:size]
    rng.shuffle(unit_list)
    query_list = []
    for number, index in enumerate(query_pairs):
        direction = ("fr", "en") if number % 2 == 0 else ("en", "fr")
        side = 0 if direction[0] == "fr" else 1
        text = editor.edit(pairs[index][side], side, rng.randint(1, 3), "replace drop add number")
        query_list.append({"text": text, "source_lang": direction[0], "target_lang": direction[1], "near": index in near})
    return unit_list, query_list


# -- exhaustive reference --------------------------------------------------------------------


def brute_force(units, queries):
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    sides = {"fr": [fr for fr, _ in units], "en": [en for _, en in units]}
    best, timings = [], []
    for query in queries:
        started = time.perf_counter()
        found = process.extractOne(query["text"], sides[query["source_lang"]], scorer=Levenshtein.normalized_similarity)
        timings.append(time.perf_counter() - started)
        best.append(found[1] * 100 if found else 0.0)
    return best, timings


# -- database --------------------------------------------------------------------------------


def make_bench_engine(backend: str):
    from sqlalchemy import text

    from memories.database import make_engine

    if backend == "sqlite":
        path = Path(tempfile.gettempdir()) / "tm-bench-suggest.sqlite"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}", make_engine(f"sqlite:///{path}")
    url = os.environ.get("TM_BENCH_DATABASE_URL") or os.environ.get("TM_TEST_DATABASE_URL")
    if not url:
        return None, None
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {SCHEMA}"))
    engine.dispose()
    return url, pg_engine(url)


def pg_engine(url: str):
    from memories.database import make_engine

    return make_engine(url, connect_args={"options": f"-c search_path={SCHEMA}"})


def database_size(backend: str, url: str, engine) -> int:
    from sqlalchemy import text

    if backend == "sqlite":
        path = url.removeprefix("sqlite:///")
        return sum(Path(f"{path}{s}").stat().st_size for s in ("", "-wal") if Path(f"{path}{s}").exists())
    with engine.connect() as connection:
        return int(
            connection.execute(
                text(
                    "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
                    "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = :schema AND c.relkind = 'r'"
                ),
                {"schema": SCHEMA},
            ).scalar()
        )


def import_units(engine, units) -> float:
    from memories import service
    from memories.database import make_session_factory, migrate
    from memories.records import Segment, UnitRecord

    migrate(engine)
    session = make_session_factory(engine)()
    service.create_memory(session, MEMORY)
    started = time.perf_counter()
    service.import_records(
        session, MEMORY, (UnitRecord(Segment("fr", fr), Segment("en", en)) for fr, en in units)
    )
    elapsed = time.perf_counter() - started
    session.close()
    return elapsed


# -- the worker ------------------------------------------------------------------------------


def rss_mib() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def worker(arguments) -> None:
    """Build a Matcher from the database and run the queries; print JSON results."""
    from memories.database import make_engine, make_session_factory
    from memories.matching import Matcher

    spec = json.loads(Path(arguments.worker).read_text())
    engine = pg_engine(spec["url"]) if spec["backend"] == "postgresql" else make_engine(spec["url"])
    factory = make_session_factory(engine)
    before = rss_mib()
    matcher = Matcher(factory)
    started = time.perf_counter()
    matcher.build()
    build = time.perf_counter() - started
    results = {"build": build, "rss_before": before, "runs": {}}
    with factory() as session:  # a worker that has served one request: statements compiled
        matcher.suggest(session, "warm up", source_lang="fr", target_lang="en")
    for min_similarity in spec["min_similarities"]:
        qualities, timings, candidates = [], [], []
        for query in spec["queries"]:
            with factory() as session:
                started = time.perf_counter()
                matches = matcher.suggest(
                    session,
                    query["text"],
                    source_lang=query["source_lang"],
                    target_lang=query["target_lang"],
                    min_similarity=min_similarity,
                )
                timings.append(time.perf_counter() - started)
            qualities.append([match.quality for match in matches])
        results["runs"][str(min_similarity)] = {"qualities": qualities, "timings": timings}
    results["rss"] = rss_mib()
    results["peak_rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(results))


def run_worker(backend: str, url: str, queries, min_similarities) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as spec:
        json.dump({"backend": backend, "url": url, "queries": queries, "min_similarities": min_similarities}, spec)
    try:
        output = subprocess.run(
            [sys.executable, __file__, "--worker", spec.name], check=True, capture_output=True, text=True
        ).stdout
    finally:
        os.unlink(spec.name)
    return json.loads(output.strip().splitlines()[-1])


# -- report ----------------------------------------------------------------------------------


def percentile(values, fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def recall(ours, best, floor: float, depth: int = 1) -> tuple[float, int]:
    """Share of the queries with a true best >= floor whose best quality is in our first `depth`."""
    chosen = [(o, b) for o, b in zip(ours, best) if b >= floor]
    if not chosen:
        return float("nan"), 0
    hits = sum(1 for o, b in chosen if any(abs(q - b) < 1e-6 for q in o[:depth]))
    return hits / len(chosen), len(chosen)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.worker:
        worker(arguments)
        return 0
    if not DATA.exists():
        print(f"bench/suggest.py: no parallel data at {DATA} (set TM_SHARED_DATA); nothing to measure.")
        return 0
    pairs = read_pairs()
    print(f"{len(pairs):,} distinct sentence pairs from {DATA}", flush=True)
    header = (
        f"{'backend':<10} {'units':>9} {'min':>3} {'r@1>=70':>8} {'r@5>=70':>8} {'n':>4} {'r@1>=50':>8} {'r@5>=50':>8} {'n':>4} "
        f"{'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'import s':>8} {'build s':>7} {'DB MiB':>7} "
        f"{'RSS MiB':>7} {'bf p50':>7} {'bf p99':>7} {'x p50':>6}"
    )
    rows = []
    for size in [int(s) for s in arguments.sizes.split(",")]:
        rng = random.Random(SEED + size)
        started = time.perf_counter()
        units, queries = grow(pairs, size, arguments.queries, rng)
        print(f"grew {len(units):,} units and {len(queries)} queries in {time.perf_counter() - started:.1f} s", flush=True)
        best, bf_timings = brute_force(units, queries)
        bf50, bf99 = percentile(bf_timings, 0.5) * 1e3, percentile(bf_timings, 0.99) * 1e3
        for backend in arguments.backends.split(","):
            url, engine = make_bench_engine(backend)
            if engine is None:
                print(f"{backend}: no database URL (TM_BENCH_DATABASE_URL / TM_TEST_DATABASE_URL); skipped")
                continue
            imported = import_units(engine, units)
            size_mib = database_size(backend, url, engine) / 2**20
            engine.dispose()
            print(f"{backend}: imported {size:,} units in {imported:.1f} s", flush=True)
            result = run_worker(backend, url, queries, [70, 50])
            for min_similarity, run in result["runs"].items():
                timings = [t * 1e3 for t in run["timings"]]
                r70, n70 = recall(run["qualities"], best, 70)
                r50, n50 = recall(run["qualities"], best, 50)
                f70, _ = recall(run["qualities"], best, 70, 5)
                f50, _ = recall(run["qualities"], best, 50, 5)
                p50 = percentile(timings, 0.5)
                rows.append(
                    f"{backend:<10} {size:>9,} {min_similarity:>3} {r70:>8.3f} {f70:>8.3f} {n70:>4} {r50:>8.3f} {f50:>8.3f} {n50:>4} "
                    f"{p50:>7.2f} {percentile(timings, 0.95):>7.2f} {percentile(timings, 0.99):>7.2f} "
                    f"{imported:>8.1f} {result['build']:>7.1f} {size_mib:>7.0f} {result['rss']:>7.0f} "
                    f"{bf50:>7.1f} {bf99:>7.1f} {bf50 / p50:>6.0f}"
                )
            print(header)
            print("\n".join(rows), flush=True)
    print()
    print("min: the min_similarity of the lookups; r@1: our first match's quality equals the exhaustive")
    print("best, over the n queries whose best is >= 70 / >= 50 (r@5: one of our first five matches);")
    print("we rank by word-level similarity, the reference by character-level quality; p50-p99: one suggest() in a worker,")
    print("database reads included; import: memories.service.import_records; build: a fresh worker's")
    print("index from the database; RSS: that worker after the queries; bf: rapidfuzz extractOne over")
    print("every source in memory, same queries; x p50: how many times faster than that.")
    print(header)
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
