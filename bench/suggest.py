"""Benchmark fuzzy matching beside exhaustive search: recall@1, latency, memory, start-up, build, import.

For each size, grows a memory from ../shared/data/parallel (real French/English pairs plus
controlled variants: words swapped, replaced, dropped or added, numbers changed), writes it to a
TMX file (cached in the temporary folder by size, query count and seed), and imports it with the
real command, `tm import FILE --memory bench`, into a fresh SQLite file (or `--database-url`),
then times `tm index build`. Queries are held-back sentences edited by 1-3 words, half fr->en,
half en->fr: two thirds from sentences whose variants are stored but not the sentence itself, a
third from sentences held back whole.

Exhaustive references, computed in the same run over every stored unit side in the query's
language (both storage orientations):

- quality: rapidfuzz `process.cdist` (Levenshtein over the raw texts, one core, nothing below
  50 scored), top 5; its time per query is the brute-force baseline printed beside ours;
- similarity: the word score W = 100 * (1 - D / max(n_query, n_source)) over word keys is an
  upper bound of `scores.similarity` (see memories/matching/scores.py), so every side is scored
  by W with rapidfuzz and the exact `scores.similarity` is computed in decreasing-W order until
  the fifth best exact similarity is at least the next W.

Then, in a fresh worker process that opens the index (`Matcher(..., index_dir=...)`):
order="quality" at min_similarity 50, and the default order (similarity) at 70 and 50; and over
HTTP, gunicorn with 2 and 4 workers: start-up to the first tmserver answer, 300 lookups one at a
time on one keep-alive connection to GET /tmserver/<src>/<tgt>/unit/<text>?min_similarity=50&
max_candidates=5 (the outside check's request), each worker's private memory, the index's size on
disk, and the same lookups through GET /api/v1/suggest as a baseline. One table per size, beside
the issue's targets.

    .venv/bin/python bench/suggest.py [--sizes 100000] [--queries 300] [--workers 2,4]
        [--skip-http] [--database-url postgresql+psycopg://...]

A benchmark that prints numbers, never a test. Parts the engine does not offer yet (`tm index`,
`index_dir`, `order=`) are reported as missing and the rest goes on. PostgreSQL is used in its own
schema, `bench_suggest`, dropped first; SQLite and the index live in a temporary folder removed
at the end of each size. Only processes this script starts are stopped.
"""
from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this folder comes first on sys.path, and its http.py would shadow the
# standard library's `http`.
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import heapq  # noqa: E402
import http.client  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import shlex  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from urllib.parse import quote, urlencode  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    SHARED_DATA,
    child_pids,
    disk_usage_bytes,
    parallel_pairs,
    percentile,
    private_mebibytes,
    smaps_rollup,
)

SEED = 20261127
MEMORY = "bench"
SCHEMA = "bench_suggest"
CACHE = Path(tempfile.gettempdir()) / "tm-bench-suggest-cache"
#: Bump when grow() changes, so that cached TMX files are made again.
GROW_VERSION = 2
NEAR_SHARE = 2 / 3  # queries whose variants are stored; the rest are held back whole
TOP = 5
FLOORS = (70.0, 50.0)
HTTP_MIN_SIMILARITY = 50
#: Exact similarities computed at most per query for the reference (a guard; never reached here).
MAX_EXACT = 200_000
#: Similarities are rounded to two decimals, which may lift one by this much above its bound W.
ROUNDING = 0.005
#: The exhaustive scans score nothing below the lowest min_similarity asked (rapidfuzz's
#: score_cutoff, as a fraction, a hair low so that a score of exactly 50 is kept).
CUTOFF = min(FLOORS) / 100 - 1e-9
TM = ROOT / ".venv" / "bin" / "tm"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
#: Runs of the in-process worker: (order, min_similarity); None is the default order (similarity).
IN_PROCESS_RUNS = (("quality", 50.0), (None, 70.0), (None, 50.0))
_WORD = re.compile(r"\S+")
_NUMBER = re.compile(r"\d+")


# -- data ------------------------------------------------------------------------------------


def read_pairs() -> list[tuple[str, str]]:
    """Return the distinct pairs of ../shared/data/parallel shorter than 1,000 characters a side."""
    return list(dict.fromkeys((fr, en) for fr, en in parallel_pairs() if len(fr) < 1000 and len(en) < 1000))


class Editor:
    """Word-level edits drawn from a seeded generator and the corpus's own vocabulary."""

    def __init__(self, pairs: list[tuple[str, str]], rng: random.Random) -> None:
        self.rng = rng
        self.words = [
            [w for text in side for w in _WORD.findall(text) if w.isalpha()][:200_000]
            for side in zip(*pairs)
        ]

    def edit(self, text: str, side: int, operations: int, kinds: str = "swap replace drop add number") -> str:
        """Apply `operations` edits of the given kinds to `text` (side 0 French, 1 English)."""
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


def grow(pairs: list[tuple[str, str]], size: int, queries: int, rng: random.Random):
    """Return (units, queries): `size` (fr, en) units, distinct as the store sees them
    (normalised texts), and `queries` dicts with text, source_lang, target_lang, near."""
    from memories.normalise import normalise_text

    editor = Editor(pairs, rng)
    order = list(range(len(pairs)))
    rng.shuffle(order)
    query_pairs = order[:queries]
    near = set(query_pairs[: int(queries * NEAR_SHARE)])
    held_back = set(query_pairs) - near
    units: dict[tuple[str, str], tuple[str, str]] = {}

    def add(fr: str, en: str) -> None:
        if fr.strip() and en.strip():
            units.setdefault((normalise_text(fr), normalise_text(en)), (fr, en))

    for index in sorted(near):  # a few variants of every near query's sentence, never the sentence
        fr, en = pairs[index]
        for _ in range(3):
            add(editor.edit(fr, 0, rng.randint(1, 2)), editor.edit(en, 1, rng.randint(1, 2)))
    for index in order:
        if len(units) >= size:
            break
        if index not in near and index not in held_back:
            add(*pairs[index])
    sources = [i for i in order if i not in held_back]
    while len(units) < size:
        fr, en = pairs[rng.choice(sources)]
        operations = rng.randint(1, 3)
        add(editor.edit(fr, 0, operations), editor.edit(en, 1, operations))
    unit_list = list(units.values())[:size]
    rng.shuffle(unit_list)
    query_list = []
    for number, index in enumerate(query_pairs):
        source_lang, target_lang = ("fr", "en") if number % 2 == 0 else ("en", "fr")
        side = 0 if source_lang == "fr" else 1
        text = editor.edit(pairs[index][side], side, rng.randint(1, 3), "replace drop add number") or pairs[index][side]
        query_list.append({"text": text, "source_lang": source_lang, "target_lang": target_lang, "near": index in near})
    return unit_list, query_list


def grown_memory(pairs: list[tuple[str, str]], size: int, queries: int, seed: int) -> tuple[Path, list[dict]]:
    """Return the TMX file of a grown memory and its queries, made once and cached by size,
    query count and seed in CACHE."""
    from memories.records import Segment, UnitRecord
    from memories.tmx import write_tmx

    CACHE.mkdir(parents=True, exist_ok=True)
    stem = f"grown-{size}-q{queries}-seed{seed}-v{GROW_VERSION}"
    tmx, spec = CACHE / f"{stem}.tmx", CACHE / f"{stem}.queries.json"
    if tmx.exists() and spec.exists():
        print(f"data: cached {tmx}", flush=True)
        return tmx, json.loads(spec.read_text("utf-8"))
    started = time.perf_counter()
    units, query_list = grow(pairs, size, queries, random.Random(seed + size))
    partial = tmx.with_name(tmx.name + ".partial")
    with open(partial, "wb") as stream:
        records = (UnitRecord(Segment("fr", fr), Segment("en", en)) for fr, en in units)
        write_tmx(records, stream, source_lang="fr", tool_version="bench")
    partial.replace(tmx)
    spec.write_text(json.dumps(query_list, ensure_ascii=False), "utf-8")
    print(f"data: grew {len(units):,} units and {len(query_list)} queries into {tmx} "
          f"in {time.perf_counter() - started:.1f} s", flush=True)
    return tmx, query_list


# -- the database, the CLI and the index ------------------------------------------------------


@dataclass
class Store:
    """Where one size's memory lives: the database URL the children use and the index folder."""

    url: str
    index_dir: Path
    folder: Path
    sqlite_file: Path | None

    def environment(self) -> dict[str, str]:
        """The environment of every child (tm, the worker, gunicorn): this store's settings."""
        return {**os.environ, "TM_DATABASE_URL": self.url, "TM_INDEX_DIR": str(self.index_dir),
                "TM_LOG_LEVEL": "WARNING"}


def fresh_store(size: int, database_url: str | None) -> Store:
    """Create an empty store: a new SQLite file in a temporary folder, or the schema
    `bench_suggest` of `database_url`, dropped and created again."""
    folder = Path(tempfile.gettempdir()) / f"tm-bench-suggest-{size}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    if database_url is None:
        path = folder / "tm.sqlite"
        return Store(f"sqlite:///{path}", folder / "tm.sqlite.index", folder, path)
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    from memories.database import make_engine

    engine = make_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {SCHEMA}"))
    engine.dispose()
    url = make_url(database_url).update_query_dict({"options": f"-csearch_path={SCHEMA}"})
    return Store(url.render_as_string(hide_password=False), folder / "index", folder, None)


def run_tm(store: Store, *arguments: str) -> tuple[subprocess.CompletedProcess, float]:
    """Run `tm ARGUMENTS` against the store; return the finished process and its seconds."""
    started = time.perf_counter()
    finished = subprocess.run([str(TM), *arguments], cwd=ROOT, env=store.environment(),
                              capture_output=True, text=True)
    return finished, time.perf_counter() - started


def unknown_command(finished: subprocess.CompletedProcess) -> bool:
    """Tell whether click refused the command or option (it exits 2 with 'No such ...')."""
    return finished.returncode == 2 and "No such" in finished.stderr


def last_line(finished: subprocess.CompletedProcess) -> str:
    """Return the last line a command printed (stdout, else stderr)."""
    lines = (finished.stdout.strip() or finished.stderr.strip()).splitlines()
    return lines[-1] if lines else ""


def parse_json_output(output: str) -> dict | None:
    """Return the last JSON object printed, or None."""
    for line in reversed(output.strip().splitlines()):
        try:
            value = json.loads(line)
        except ValueError:
            continue
        if isinstance(value, dict):
            return value
    try:
        value = json.loads(output)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


@dataclass
class Setup:
    """What importing and indexing one memory measured."""

    units: int = 0
    import_seconds: float | None = None
    index_after_import: bool = False
    build_seconds: float | None = None
    build_reported: str = ""
    import_index_seconds: float | None = None
    index_bytes: int | None = None
    database_bytes: int | None = None
    notes: list[str] = field(default_factory=list)


def import_memory(store: Store, tmx: Path) -> Setup:
    """Import the TMX file with `tm import`, then time `tm index build`; print what happens."""
    setup = Setup()
    finished, setup.import_seconds = run_tm(store, "import", str(tmx), "--memory", MEMORY)
    if finished.returncode != 0:
        raise SystemExit(f"tm import failed ({finished.returncode}):\n{finished.stdout}\n{finished.stderr}")
    added = re.search(r"(\d+) added", finished.stdout)
    setup.units = int(added.group(1)) if added else 0
    setup.index_after_import = store.index_dir.is_dir() and any(store.index_dir.iterdir())
    setup.import_index_seconds = reported_index_seconds(finished.stdout)
    summary = " | ".join(line.strip() for line in finished.stdout.strip().splitlines())
    print(f"tm import: {summary} ({setup.import_seconds:.1f} s; index files after import: "
          f"{'yes' if setup.index_after_import else 'none'})", flush=True)
    build_index(store, setup)
    status, _ = run_tm(store, "index", "status")
    if status.returncode == 0:
        print("tm index status: " + " | ".join(line.strip() for line in status.stdout.strip().splitlines()[:6]))
    elif unknown_command(status):
        print("tm index status: missing (no `tm index` command)")
    if store.index_dir.is_dir():
        setup.index_bytes = disk_usage_bytes(store.index_dir)
    if store.sqlite_file is not None:
        setup.database_bytes = sum(path.stat().st_size for path in store.folder.glob("tm.sqlite*") if path.is_file())
    return setup


def reported_index_seconds(output: str) -> float | None:
    """Return the seconds a command's output says its index update took ("... index ... 12.5 s"), or None."""
    for line in output.splitlines():
        found = re.search(r"index.*?(\d+(?:\.\d+)?) ?s\b", line)
        if found:
            return float(found.group(1))
    return None


def build_index(store: Store, setup: Setup) -> None:
    """Time `tm index build --json` (or without --json when refused), fill setup.build_*."""
    finished, seconds = run_tm(store, "index", "build", "--json")
    if unknown_command(finished) and "option" in finished.stderr.lower():
        finished, seconds = run_tm(store, "index", "build")
    if unknown_command(finished):
        setup.notes.append("`tm index build` is missing: workers build their index from the database")
        print("tm index build: missing (no `tm index` command); workers build their own index", flush=True)
        return
    if finished.returncode != 0:
        setup.notes.append(f"`tm index build` failed: {last_line(finished)}")
        print(f"tm index build: failed ({finished.returncode}): {finished.stderr.strip()[-500:]}", flush=True)
        return
    setup.build_seconds = seconds
    reported = parse_json_output(finished.stdout)
    if reported is not None:
        plain = {key: value for key, value in reported.items() if not isinstance(value, (dict, list))}
        setup.build_reported = ", ".join(f"{key} {value}" for key, value in plain.items())
    else:
        setup.build_reported = last_line(finished)
    print(f"tm index build: {seconds:.1f} s ({setup.build_reported})", flush=True)


# -- exhaustive references ---------------------------------------------------------------------


def stored_sides(url: str) -> dict[str, list[str]]:
    """Return every stored unit side by its primary language, read back from the database."""
    from sqlalchemy import select

    from memories.database import make_engine
    from memories.languages import primary_language
    from memories.models import Unit

    engine = make_engine(url)
    sides: dict[str, list[str]] = {}
    with engine.connect() as connection:
        rows = connection.execute(select(Unit.source_lang, Unit.source_text, Unit.target_lang, Unit.target_text))
        for source_lang, source_text, target_lang, target_text in rows:
            sides.setdefault(primary_language(source_lang), []).append(source_text)
            sides.setdefault(primary_language(target_lang), []).append(target_text)
    engine.dispose()
    return sides


class KeyAlphabet:
    """Word keys written as one character each, so rapidfuzz computes word-level distances."""

    def __init__(self) -> None:
        self.codes: dict[str, str] = {}

    def encode(self, keys: list[str]) -> str:
        """Return the keys as a string, one character per distinct key (surrogates skipped)."""
        codes = self.codes
        out = []
        for key in keys:
            code = codes.get(key)
            if code is None:
                number = len(codes) + 1
                code = codes[key] = chr(number + 0x800 if number >= 0xD800 else number)  # no surrogates
            out.append(code)
        return "".join(out)


@dataclass
class Reference:
    """Exhaustive top-5 scores per query, best first: `quality` unrounded, `similarity` >= 50 only."""

    quality: list[list[float]]
    similarity: list[list[float]]
    brute_force_seconds: list[float]
    similarity_exact_counts: list[int]
    seconds: float


def exhaustive_reference(queries: list[dict], sides: dict[str, list[str]]) -> Reference:
    """Score every stored side in each query's language, exhaustively, by both scores."""
    import numpy as np
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    from memories.matching.scores import similarity
    from memories.matching.tokens import keys, prepare

    started = time.perf_counter()
    alphabet = KeyAlphabet()
    encoded = {lang: [alphabet.encode(keys(prepare(text), lang)[0]) for text in texts] for lang, texts in sides.items()}
    print(f"reference: word keys of {sum(map(len, sides.values())):,} sides in {time.perf_counter() - started:.1f} s",
          flush=True)
    quality_top, similarity_top, timings, exact_counts = [], [], [], []
    for query in queries:
        lang, text = query["source_lang"], query["text"]
        texts = sides.get(lang, [])
        if not texts:
            quality_top.append([])
            similarity_top.append([])
            timings.append(0.0)
            exact_counts.append(0)
            continue
        begun = time.perf_counter()  # the brute-force baseline: one core, every side
        scores = process.cdist([text], texts, scorer=Levenshtein.normalized_similarity, dtype=np.float64,
                               workers=1, score_cutoff=CUTOFF)[0]
        best = np.argpartition(-scores, min(TOP, len(scores) - 1))[:TOP]
        timings.append(time.perf_counter() - begun)
        quality_top.append([value for value in sorted((float(scores[i]) * 100.0 for i in best), reverse=True) if value])
        words = process.cdist([alphabet.encode(keys(prepare(text), lang)[0])], encoded[lang],
                              scorer=Levenshtein.normalized_similarity, dtype=np.float64, workers=-1,
                              score_cutoff=CUTOFF - ROUNDING / 100)[0] * 100.0
        top, count = exact_similarity_top(text, lang, texts, words, similarity)
        similarity_top.append(top)
        exact_counts.append(count)
    return Reference(quality_top, similarity_top, timings, exact_counts, time.perf_counter() - started)


def exact_similarity_top(text: str, lang: str, texts: list[str], bounds, similarity) -> tuple[list[float], int]:
    """Return the best TOP exact similarities >= 50 (best first) and how many were computed.

    `bounds` holds each side's word score W >= similarity (before rounding), so sides are scored
    exactly in decreasing W until the TOP-th best exact score reaches the next W.
    """
    import numpy as np

    floor = min(FLOORS)
    candidates = np.flatnonzero(bounds >= floor - ROUNDING)
    candidates = candidates[np.argsort(-bounds[candidates], kind="stable")]
    best: list[float] = []  # a min-heap of the TOP best
    count = 0
    for index in candidates.tolist():
        if len(best) == TOP and best[0] >= bounds[index] + ROUNDING:
            break
        if count >= MAX_EXACT:
            print(f"reference: stopped after {MAX_EXACT:,} exact similarities for one query", flush=True)
            break
        count += 1
        score = similarity(text, texts[index], lang)
        if score < floor:
            continue
        if len(best) < TOP:
            heapq.heappush(best, score)
        elif score > best[0]:
            heapq.heapreplace(best, score)
    return sorted(best, reverse=True), count


# -- the in-process worker ------------------------------------------------------------------------


def worker(spec_path: str) -> None:
    """Open the index as a fresh worker would, run the queries, print one JSON line of results."""
    from memories.database import make_engine, make_session_factory
    from memories.matching import Matcher

    spec = json.loads(Path(spec_path).read_text("utf-8"))
    factory = make_session_factory(make_engine(spec["url"]))
    index_dir = Path(spec["index_dir"]) if Path(spec["index_dir"]).is_dir() else None
    notes = []
    begun = time.perf_counter()
    try:
        matcher = Matcher(factory, index_dir=index_dir)
    except TypeError:
        matcher = Matcher(factory)
        notes.append("Matcher takes no index_dir: it builds its index from the database on first use")
    opened = time.perf_counter() - begun
    first = spec["queries"][0]
    try:
        with factory() as session:
            matcher.suggest(session, first["text"], source_lang=first["source_lang"], target_lang=first["target_lang"])
    except Exception as error:  # noqa: BLE001 - reported; the runs below count their own faults
        notes.append(f"the first suggest() raised {type(error).__name__}: {error}")
    results = {"first_answer_at": time.time(), "open_seconds": opened, "notes": notes, "runs": {},
               "private_after_first": private_mebibytes()}
    for order, min_similarity in spec["runs"]:
        run = run_queries(matcher, factory, spec["queries"], order, min_similarity)
        results["runs"][run_name(order, min_similarity)] = run
    rollup = smaps_rollup()
    results["private"] = private_mebibytes()
    results["private_dirty"] = smaps_rollup().get("Private_Dirty", 0) / 1024
    results["rss"] = rollup.get("Rss", 0) / 1024
    print(json.dumps(results))


def run_name(order: str | None, min_similarity: float) -> str:
    """Name an in-process run, e.g. "order=quality min=50"."""
    return f"order={order or 'default'} min={min_similarity:g}"


def run_queries(matcher, factory, queries: list[dict], order: str | None, min_similarity: float) -> dict:
    """Time each suggest() call; return its matches' (similarity, quality), the timings, and
    the queries that raised (their answer is empty); or {"missing": reason} when the matcher
    does not take `order`."""
    options = {"min_similarity": min_similarity, "limit": TOP}
    if order is not None:
        options["order"] = order
    answers, timings, errors = [], [], []
    for query in queries:
        with factory() as session:
            started = time.perf_counter()
            try:
                matches = matcher.suggest(session, query["text"], source_lang=query["source_lang"],
                                          target_lang=query["target_lang"], **options)
            except TypeError as error:
                if "order" in str(error):
                    return {"missing": f"Matcher.suggest refuses order={order!r} ({error})"}
                matches, error_text = [], f"{type(error).__name__}: {error}"
            except Exception as error:  # noqa: BLE001 - an engine fault is a figure, not the end of the run
                matches, error_text = [], f"{type(error).__name__}: {error}"
            else:
                timings.append(time.perf_counter() - started)
                error_text = None
        if error_text is not None:
            errors.append(error_text)
        answers.append([[match.similarity, match.quality] for match in matches])
    return {"answers": answers, "timings": timings, "errors": errors}


def run_worker(store: Store, queries: list[dict]) -> dict:
    """Run `worker` in a child process; return its results with `first_answer_seconds`
    measured from the child's spawn."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as spec:
        json.dump({"url": store.url, "index_dir": str(store.index_dir), "queries": queries,
                   "runs": IN_PROCESS_RUNS}, spec)
    try:
        spawned = time.time()
        finished = subprocess.run([sys.executable, __file__, "--worker", spec.name], cwd=ROOT,
                                  env=store.environment(), capture_output=True, text=True)
    finally:
        os.unlink(spec.name)
    if finished.returncode != 0:
        print(f"in-process worker failed ({finished.returncode}):\n{finished.stderr[-3000:]}", flush=True)
        return {"failed": True, "runs": {}, "notes": ["the in-process worker failed"]}
    results = json.loads(finished.stdout.strip().splitlines()[-1])
    results["first_answer_seconds"] = results["first_answer_at"] - spawned
    return results


# -- over HTTP -----------------------------------------------------------------------------------


def free_port() -> int:
    """Return a loopback port that is free now."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def tmserver_path(query: dict) -> str:
    """The outside check's request: GET /tmserver/<src>/<tgt>/unit/<text>?min_similarity=50&max_candidates=5."""
    return (f"/tmserver/{query['source_lang']}/{query['target_lang']}/unit/{quote(query['text'], safe='')}"
            f"?min_similarity={HTTP_MIN_SIMILARITY}&max_candidates={TOP}")


def api_path(query: dict, order: str | None) -> str:
    """The baseline request: GET /api/v1/suggest with the same query, min_similarity and limit."""
    values = {"q": query["text"], "source_lang": query["source_lang"], "target_lang": query["target_lang"],
              "min_similarity": HTTP_MIN_SIMILARITY, "limit": TOP}
    if order is not None:
        values["order"] = order
    return "/api/v1/suggest?" + urlencode(values)


class Client:
    """One keep-alive connection; `get` returns (status, decoded JSON or None, seconds)."""

    def __init__(self, port: int, timeout: float = 300) -> None:
        self.port, self.timeout = port, timeout
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)

    def get(self, path: str) -> tuple[int, object, float]:
        """GET `path`; reconnect after a failure or a `Connection: close`."""
        started = time.perf_counter()
        try:
            self.connection.request("GET", path)
            response = self.connection.getresponse()
            body = response.read()
        except (OSError, http.client.HTTPException):
            self.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            raise
        seconds = time.perf_counter() - started
        if response.getheader("Connection", "").lower() == "close":
            self.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            decoded = json.loads(body)
        except ValueError:
            decoded = None
        return response.status, decoded, seconds

    def close(self) -> None:
        self.connection.close()


class Server:
    """A gunicorn started for the benchmark (cwd ROOT, so gunicorn.conf.py applies), and stopped."""

    def __init__(self, store: Store, workers: int) -> None:
        self.port = free_port()
        self.log = store.folder / f"gunicorn-{workers}.log"
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            [str(GUNICORN), "--workers", str(workers), "--bind", f"127.0.0.1:{self.port}", "wsgi:app"],
            cwd=ROOT, env=store.environment(), stdout=self.log.open("wb"), stderr=subprocess.STDOUT,
        )

    def first_answer(self, path: str, timeout: float = 600) -> float:
        """Poll `path` every 50 ms; return the seconds from start until it answers 200."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.process.returncode}); see {self.log}:\n{self.log_tail()}")
            client = Client(self.port)
            try:
                status, _, _ = client.get(path)
                if status == 200:
                    return time.perf_counter() - self.started
            except (OSError, http.client.HTTPException):
                pass
            finally:
                client.close()
            time.sleep(0.05)
        raise RuntimeError(f"gunicorn did not answer {path} within {timeout:.0f} s")

    def warm_up(self, paths: list[str], workers: int, timeout: float = 600) -> float:
        """Send rounds of 4 x `workers` concurrent connections, 4 lookups each, until a round is
        fast (every lookup under a second) or steady (its slowest lookup within 20% of the last
        round's), so no worker is still building an index; return the seconds since start."""
        deadline = time.monotonic() + timeout
        previous = float("inf")
        while time.monotonic() < deadline:
            latencies: list[float] = []

            def client_round(number: int) -> None:
                client = Client(self.port)
                try:
                    for index in range(4):
                        status, _, seconds = client.get(paths[(number * 4 + index) % len(paths)])
                        latencies.append(seconds if status == 200 else float("inf"))
                except (OSError, http.client.HTTPException):
                    latencies.append(float("inf"))
                finally:
                    client.close()

            threads = [threading.Thread(target=client_round, args=(n,)) for n in range(4 * workers)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            slowest = max(latencies, default=float("inf"))
            if slowest < 1.0 or abs(slowest - previous) <= 0.2 * previous:
                break
            previous = slowest
        return time.perf_counter() - self.started

    def worker_memory(self) -> list[tuple[int, float, float]]:
        """Return (pid, private MiB, RSS MiB, private dirty MiB) of each worker, the master's children.

    Private_Clean counts the index file pages only this worker has touched so far; they are the
    page cache's, and become shared as soon as another worker reads them. Private_Dirty is the
    worker's own memory (heap, overlay, alive masks)."""
        found = []
        for pid in child_pids(self.process.pid):
            try:
                rollup = smaps_rollup(pid)
            except OSError:
                continue
            found.append((pid, (rollup.get("Private_Clean", 0) + rollup.get("Private_Dirty", 0)) / 1024,
                          rollup.get("Rss", 0) / 1024, rollup.get("Private_Dirty", 0) / 1024))
        return found

    def log_tail(self) -> str:
        return "\n".join(self.log.read_text("utf-8", "replace").splitlines()[-30:])

    def stop(self) -> None:
        """Stop the master this object started (it stops its workers), killing it after 30 s."""
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@dataclass
class HttpRun:
    """What one route answered for every query: qualities or similarities per answer, timings."""

    route: str
    answers: list[list[float]] = field(default_factory=list)
    timings: list[float] = field(default_factory=list)
    failures: int = 0
    score: str = "quality"
    note: str = ""


def lookups(client: Client, route: str, paths: list[str], score: str) -> HttpRun:
    """Send each path in turn on one keep-alive connection; keep each answer's `score` values."""
    run = HttpRun(route, score=score)
    for path in paths:
        try:
            status, body, seconds = client.get(path)
        except (OSError, http.client.HTTPException):
            run.failures += 1
            run.answers.append([])
            continue
        if status != 200:
            run.failures += 1
            run.answers.append([])
            continue
        run.timings.append(seconds)
        items = body if isinstance(body, list) else (body or {}).get("matches", [])
        run.answers.append([float(item[score]) for item in items])
    return run


@dataclass
class HttpFigures:
    workers: int
    start_seconds: float | None = None
    ready_seconds: float | None = None
    tmserver: HttpRun | None = None
    api: HttpRun | None = None
    memory: list[tuple[int, float, float]] = field(default_factory=list)
    error: str = ""


def measure_http(store: Store, queries: list[dict], workers: int, warm_texts: list[dict]) -> HttpFigures:
    """Start gunicorn with `workers` workers and measure start-up, lookups and memory."""
    figures = HttpFigures(workers)
    server = Server(store, workers)
    try:
        figures.start_seconds = server.first_answer(tmserver_path(queries[0]))
        figures.ready_seconds = server.warm_up([tmserver_path(q) for q in warm_texts], workers)
        client = Client(server.port)
        figures.tmserver = lookups(client, "tmserver", [tmserver_path(q) for q in queries], "quality")
        status, body, _ = client.get(api_path(queries[0], "quality"))
        order = "quality" if status == 200 else None
        score = "quality" if order else "similarity"
        figures.api = lookups(client, "api", [api_path(q, order) for q in queries], score)
        if order is None:
            figures.api.note = f"order=quality refused ({status}); sent without it, recall by similarity"
        elif not (isinstance(body, dict) and body.get("order") == "quality"):
            figures.api.note = "the answer does not echo order=quality: the server may have ignored it"
        client.close()
        figures.memory = server.worker_memory()
    except RuntimeError as error:
        figures.error = str(error)
        print(f"gunicorn -w {workers}: {error}", flush=True)
    finally:
        server.stop()
    return figures


# -- the report ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Targets:
    """The issue's targets for a size (None: none set at that size)."""

    label: str
    recall: float | None = 1.0
    p50_ms: float | None = 2.0
    p99_ms: float | None = 10.0
    http_p50_ms: float | None = 3.0
    http_p99_ms: float | None = 20.0
    first_answer_s: float | None = 5.0
    private_mib: float | None = 150.0
    build_s: float | None = 60.0


def targets_for(size: int) -> Targets:
    """The 1M targets up to a million units (shown for reference below it); at 3M p99 <= 30 ms."""
    if size > 1_000_000:
        return Targets("3M", p50_ms=None, p99_ms=30.0, http_p50_ms=None, http_p99_ms=30.0,
                       first_answer_s=None, private_mib=None, build_s=None)
    return Targets("1M" if size == 1_000_000 else "1M, for reference")


@dataclass
class Row:
    """One figure beside its target; a row without a figure is a section heading."""

    what: str
    figure: str = ""
    target: str = ""
    met: bool | None = None

    @property
    def heading(self) -> bool:
        return not self.figure


def within(value: float | None, limit: float | None, at_least: bool = False) -> tuple[str, bool | None]:
    """Return the target's text and whether `value` meets it (None: no target or no value)."""
    if limit is None:
        return "", None
    text = f">= {limit:.2f}" if at_least else f"<= {limit:g}"
    if value is None or value != value:  # missing or NaN
        return text, None
    return text, (value >= limit - 1e-9) if at_least else (value <= limit)


def same(ours: float, reference: float, rounded: bool) -> bool:
    """Tell whether our score is the reference's (rounded to two decimals, as JSON answers are)."""
    return abs(ours - (round(reference, 2) if rounded else reference)) < 1e-6


def recall_at_1(answers: list[list[float]], best: list[list[float]], floor: float, rounded: bool) -> tuple[float, int]:
    """Share of the queries whose exhaustive best reaches `floor` where our first score equals it."""
    chosen = [(ours, top[0]) for ours, top in zip(answers, best) if top and top[0] >= floor]
    if not chosen:
        return float("nan"), 0
    hits = sum(1 for ours, value in chosen if ours and same(ours[0], value, rounded))
    return hits / len(chosen), len(chosen)


def top_equal(answers: list[list[float]], best: list[list[float]], min_similarity: float, rounded: bool) -> float:
    """Share of the queries whose whole answer has the scores of the exhaustive top 5 >= min."""
    hits = 0
    for ours, top in zip(answers, best):
        wanted = [value for value in top if value >= min_similarity]
        hits += len(ours) == len(wanted) and all(same(o, w, rounded) for o, w in zip(ours, wanted))
    return hits / len(answers) if answers else float("nan")


def out_of_order(answers: list[list[float]]) -> int:
    """Count the answers whose scores ever rise from one match to the next."""
    return sum(1 for ours in answers if any(a < b for a, b in zip(ours, ours[1:])))


def accuracy_rows(answers, best, min_similarity: float, score: str, rounded: bool, targets: Targets) -> list[Row]:
    """recall@1 by `score` over the queries whose best is >= 70 and >= 50, and the share of
    answers equal to the exhaustive top 5."""
    rows = []
    for floor in FLOORS:
        if floor < min_similarity:
            continue
        rate, count = recall_at_1(answers, best, floor, rounded)
        target, met = within(rate, targets.recall, at_least=True)
        what = f"recall@1 by {score}, queries whose best is >= {floor:g} (n={count})"
        rows.append(Row(what, f"{rate:.3f}", target, met))
    rows.append(Row(f"answers equal to the exhaustive top {TOP} by {score}",
                    f"{top_equal(answers, best, min_similarity, rounded):.3f}"))
    return rows


def latency_rows(timings: list[float], p50_target: float | None, p99_target: float | None) -> list[Row]:
    """p50 and p99 in milliseconds, beside their targets."""
    p50, p99 = percentile(timings, 0.5) * 1e3, percentile(timings, 0.99) * 1e3
    return [Row("p50 ms", f"{p50:.2f}", *within(p50, p50_target)),
            Row("p99 ms", f"{p99:.2f}", *within(p99, p99_target))]


def setup_rows(setup: Setup, reference: Reference, sides: int, targets: Targets) -> list[Row]:
    """Rows for the import, the index build and the brute-force baseline."""
    rate = setup.units / setup.import_seconds if setup.import_seconds else float("nan")
    index = "index updated too" if setup.index_after_import else "no index files"
    imported = f"tm import, s ({setup.units:,} units, TMX -> {index})"
    rows = [
        Row("import and index"),
        Row(imported, f"{setup.import_seconds:.1f}"),
        Row("tm import, units/s", f"{rate:,.0f}"),
    ]
    if setup.import_index_seconds is not None and setup.import_seconds > setup.import_index_seconds:
        storing = setup.units / (setup.import_seconds - setup.import_index_seconds)
        rows += [Row("of which the index update, s (as tm import reports it)", f"{setup.import_index_seconds:.1f}"),
                 Row("tm import without its index update, units/s", f"{storing:,.0f}")]
    rows += [
        Row("tm index build, s", "missing" if setup.build_seconds is None else f"{setup.build_seconds:.1f}",
            *within(setup.build_seconds, targets.build_s)),
        Row("index files on disk, MiB (shared by every worker)",
            "none" if setup.index_bytes is None else f"{setup.index_bytes / 2**20:.1f}"),
    ]
    if setup.database_bytes is not None:
        rows.append(Row("SQLite database on disk, MiB", f"{setup.database_bytes / 2**20:.0f}"))
    bf = [t * 1e3 for t in reference.brute_force_seconds]
    rows += [Row(f"brute force: rapidfuzz cdist by quality >= {min(FLOORS):g} over {sides:,} sides, one core"),
             Row("p50 ms", f"{percentile(bf, 0.5):.1f}"), Row("p99 ms", f"{percentile(bf, 0.99):.1f}")]
    return rows


def in_process_rows(
    result: dict, reference: Reference, brute_p50_ms: float, targets: Targets
) -> tuple[list[Row], list[str]]:
    """Rows for the in-process worker, and notes on what is missing."""
    if result.get("failed"):
        return [Row("in process"), Row("worker", "failed")], []
    rows, notes = [Row("in process: a fresh worker process opening the index")], []
    rows.append(Row("Matcher(..., index_dir=...) created in, s", f"{result['open_seconds']:.2f}"))
    rows.append(Row("first answer after start, s", f"{result['first_answer_seconds']:.2f}",
                    *within(result["first_answer_seconds"], targets.first_answer_s)))
    rows.append(Row("private MiB after the first answer", f"{result['private_after_first']:.0f}"))
    rows.append(Row(f"private MiB after the queries (of which Private_Dirty {result.get('private_dirty', float('nan')):.0f})",
                    f"{result['private']:.0f}", *within(result["private"], targets.private_mib)))
    rows.append(Row("RSS MiB after the queries", f"{result['rss']:.0f}"))
    for order, min_similarity in IN_PROCESS_RUNS:
        name = run_name(order, min_similarity)
        run = result["runs"].get(name, {})
        rows.append(Row(f"in process, {name}"))
        if "missing" in run:
            rows.append(Row("all figures", "missing"))
            notes.append(f"in process, {name}: {run['missing']}")
            continue
        score = "quality" if order == "quality" else "similarity"
        best = reference.quality if order == "quality" else reference.similarity
        answers = [[pair[0 if score == "similarity" else 1] for pair in answer] for answer in run["answers"]]
        rows += accuracy_rows(answers, best, min_similarity, score, False, targets)
        rows.append(Row("queries that raised an error", f"{len(run['errors'])}"))
        if run["errors"]:
            notes.append(f"in process, {name}: {len(run['errors'])} queries raised, first: {run['errors'][0]}")
        rows += latency_rows(run["timings"], targets.p50_ms, targets.p99_ms)
        if run["timings"]:
            faster = brute_p50_ms / (percentile(run["timings"], 0.5) * 1e3)
            text = f"{faster:,.0f}" if faster >= 10 else f"{faster:.1f}"
            rows.append(Row("times faster than brute force at p50", text))
    return rows, notes


def http_rows(figures: HttpFigures, reference: Reference, targets: Targets) -> tuple[list[Row], list[str]]:
    """Rows for one gunicorn, and notes."""
    prefix = f"gunicorn -w {figures.workers}"
    if figures.error:
        return [Row(prefix), Row("server", "failed")], [f"{prefix}: {figures.error}"]
    rows = [Row(prefix),
            Row("first tmserver answer after start, s", f"{figures.start_seconds:.2f}",
                *within(figures.start_seconds, targets.first_answer_s)),
            Row(f"warm-up done ({4 * figures.workers} concurrent connections fast or steady), s after start",
                f"{figures.ready_seconds:.2f}")]
    for pid, private, rss, dirty in figures.memory:
        what = f"worker {pid}: private MiB, Private_Clean + Private_Dirty (dirty {dirty:.0f}; RSS {rss:.0f})"
        rows.append(Row(what, f"{private:.0f}", *within(private, targets.private_mib)))
    notes = []
    routes = (
        (figures.tmserver,
         f"GET /tmserver/<src>/<tgt>/unit/<text>?min_similarity={HTTP_MIN_SIMILARITY}&max_candidates={TOP}"),
        (figures.api, f"baseline: GET /api/v1/suggest?min_similarity={HTTP_MIN_SIMILARITY}&limit={TOP}&order=quality"),
    )
    for run, label in routes:
        rows.append(Row(f"{prefix}, {label}"))
        best = reference.quality if run.score == "quality" else reference.similarity
        rows += accuracy_rows(run.answers, best, HTTP_MIN_SIMILARITY, run.score, True, targets)
        rows.append(Row(f"answers not in {run.score} order", f"{out_of_order(run.answers)}"))
        rows.append(Row("failed requests", f"{run.failures}"))
        rows += latency_rows(run.timings, targets.http_p50_ms, targets.http_p99_ms)
        if run.note:
            notes.append(f"{prefix}, /api/v1/suggest: {run.note}")
    return rows, notes


def print_table(title: str, rows: list[Row], notes: list[str]) -> None:
    """Print rows as a Markdown table, each figure beside its target; headings in bold."""
    whats = [f"**{row.what}**" if row.heading else row.what for row in rows]
    widths = [max(map(len, ["what", *whats])), max(len(row.figure) for row in rows) + 1,
              max(len(row.target) for row in rows) + 1]
    widths[1], widths[2] = max(widths[1], len("figure")), max(widths[2], len("target"))
    print(f"\n{title}\n")
    print(f"| {'what':<{widths[0]}} | {'figure':>{widths[1]}} | {'target':<{widths[2]}} | met |")
    print(f"|{'-' * (widths[0] + 2)}|{'-' * (widths[1] + 1)}:|{'-' * (widths[2] + 2)}|-----|")
    for what, row in zip(whats, rows):
        met = {True: "yes", False: "NO", None: ""}[row.met]
        print(f"| {what:<{widths[0]}} | {row.figure:>{widths[1]}} | {row.target:<{widths[2]}} | {met:<3} |")
    print()
    for note in notes:
        print(f"note: {note}")
    print(flush=True)


# -- main ----------------------------------------------------------------------------------------------


def measure_size(size: int, pairs: list[tuple[str, str]], arguments: argparse.Namespace) -> None:
    """Grow, import and index one memory, measure everything, and print its table."""
    targets = targets_for(size)
    tmx, queries = grown_memory(pairs, size, arguments.queries, arguments.seed)
    store = fresh_store(size, arguments.database_url)
    try:
        setup = import_memory(store, tmx)
        sides = stored_sides(store.url)
        reference = exhaustive_reference(queries, sides)
        print(f"reference: both scores for {len(queries)} queries in {reference.seconds:.1f} s "
              f"(exact similarities per query: max {max(reference.similarity_exact_counts):,})", flush=True)
        brute_p50_ms = percentile(reference.brute_force_seconds, 0.5) * 1e3
        language_sides = len(sides.get("fr", []))
        rows = setup_rows(setup, reference, language_sides, targets)
        result = run_worker(store, queries)
        notes = setup.notes + result.get("notes", [])
        more, more_notes = in_process_rows(result, reference, brute_p50_ms, targets)
        rows, notes = rows + more, notes + more_notes
        if not arguments.skip_http:
            warm = [{"text": text, "source_lang": "fr", "target_lang": "en"} for text in sides.get("fr", [])[:64]]
            for workers in arguments.workers:
                more, more_notes = http_rows(measure_http(store, queries, workers, warm), reference, targets)
                rows, notes = rows + more, notes + more_notes
        backend = "SQLite" if store.sqlite_file is not None else "PostgreSQL"
        fr_en = sum(1 for q in queries if q["source_lang"] == "fr")
        title = (f"## {setup.units:,} units ({backend}), {len(queries)} queries ({fr_en} fr->en, "
                 f"{len(queries) - fr_en} en->fr), targets: {targets.label}")
        print_table(title, rows, notes)
    finally:
        shutil.rmtree(store.folder, ignore_errors=True)


def parse_arguments() -> argparse.Namespace:
    """Read the command line; sizes and worker counts become lists of ints."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000", help="memory sizes, comma-separated (default 100000)")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--workers", default="2,4", help="gunicorn worker counts, comma-separated (default 2,4)")
    parser.add_argument("--skip-http", action="store_true", help="measure in process only")
    parser.add_argument("--database-url", default=None,
                        help="PostgreSQL URL (the benchmark works in schema bench_suggest); default: a SQLite file")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    arguments.sizes = [int(size) for size in arguments.sizes.split(",")]
    arguments.workers = [int(workers) for workers in arguments.workers.split(",")]
    return arguments


def main() -> int:
    """Measure every size asked for (or run as the in-process worker); exit 0 without data."""
    arguments = parse_arguments()
    if arguments.worker:
        worker(arguments.worker)
        return 0
    print("$ " + shlex.join(sys.orig_argv), flush=True)
    if not (SHARED_DATA / "parallel").exists():
        print(f"bench/suggest.py: no parallel data at {SHARED_DATA / 'parallel'} (set TM_SHARED_DATA); "
              "nothing to measure.")
        return 0
    pairs = read_pairs()
    print(f"data: {len(pairs):,} distinct sentence pairs from {SHARED_DATA / 'parallel'}; "
          f"machine: {os.cpu_count()} cores", flush=True)
    for size in arguments.sizes:
        measure_size(size, pairs, arguments)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
