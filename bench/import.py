"""Import throughput and peak memory for TMX files of 100k and 1M units.

Units are grown from ../shared/data/parallel: every real pair, then variants of them with a
reference number appended, so none is a duplicate. Each import runs in a fresh child process
so its peak RSS is its own. Baselines in the same run: the floor (sqlite3 executemany of the same
texts into a bare two-column table) and the naive ORM way (session.add per unit, commit at the
end) on a 20k-unit slice.

    .venv/bin/python bench/import.py [--sizes 100000,1000000] [--database-url URL]
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import grown_pairs, peak_rss_megabytes  # noqa: E402
from memories.records import Segment, UnitRecord  # noqa: E402

NAIVE_SLICE = 20_000


def write_file(pairs: list[tuple[str, str]], path: Path) -> None:
    from memories.tmx import write_tmx

    records = (UnitRecord(Segment("fr", fr), Segment("en", en)) for fr, en in pairs)
    with open(path, "wb") as stream:
        write_tmx(records, stream, source_lang="fr", tool_version="bench")


def import_in_child(path: Path, database_url: str, queue) -> None:
    from memories import service, transfer
    from memories.database import make_engine, make_session_factory, migrate

    engine = make_engine(database_url)
    migrate(engine)
    session = make_session_factory(engine)()
    service.create_memory(session, "bench")
    started = time.perf_counter()
    with open(path, "rb") as stream:
        result = transfer.import_file(session, "bench", stream, file_format="tmx")
    elapsed = time.perf_counter() - started
    queue.put((result.added, elapsed, peak_rss_megabytes()))


def timed_import(path: Path, database_url: str) -> tuple[int, float, float]:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    child = context.Process(target=import_in_child, args=(path, database_url, queue))
    child.start()
    outcome = queue.get()
    child.join()
    return outcome


def floor_sqlite(pairs: list[tuple[str, str]], folder: Path) -> float:
    """Seconds for sqlite3 alone to store the texts: the least any importer can take."""
    connection = sqlite3.connect(folder / "floor.sqlite")
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("CREATE TABLE units (id INTEGER PRIMARY KEY, source TEXT, target TEXT)")
    started = time.perf_counter()
    with connection:
        connection.executemany("INSERT INTO units (source, target) VALUES (?, ?)", pairs)
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed


def naive_orm(pairs: list[tuple[str, str]], folder: Path) -> float:
    """Seconds for the naive way: one ORM object per unit, flushed one by one."""
    from datetime import datetime, timezone

    from memories.database import make_engine, make_session_factory, migrate
    from memories.models import Memory, Unit
    from memories.normalise import content_hash, normalise_text

    engine = make_engine(f"sqlite:///{folder / 'naive.sqlite'}")
    migrate(engine)
    session = make_session_factory(engine)()
    memory = Memory(name="naive", source_lang="fr", target_lang="en")
    session.add(memory)
    session.commit()
    started = time.perf_counter()
    now = datetime.now(timezone.utc)
    for fr, en in pairs:
        fr_n, en_n = normalise_text(fr), normalise_text(en)
        session.add(
            Unit(
                memory_id=memory.id, content_hash=content_hash("fr", fr_n, "en", en_n),
                source_lang="fr", source_text=fr, source_normalised=fr_n, source_length=len(fr_n),
                target_lang="en", target_text=en, target_normalised=en_n, target_length=len(en_n),
                origin="import", created_at=now, changed_at=now,
            )
        )
        session.flush()
    session.commit()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--database-url", default=None, help="PostgreSQL URL to measure too (emptied first!)")
    arguments = parser.parse_args()
    sizes = [int(size) for size in arguments.sizes.split(",")]

    with tempfile.TemporaryDirectory(prefix="tm-bench-import-") as tmp:
        folder = Path(tmp)
        rows = []
        for size in sizes:
            pairs = grown_pairs(size)
            path = folder / f"units-{size}.tmx"
            write_file(pairs, path)
            megabytes = path.stat().st_size / 1e6
            targets = [("sqlite", f"sqlite:///{folder / f'tm-{size}.sqlite'}")]
            if arguments.database_url:
                targets.append(("postgresql", arguments.database_url))
            for backend, url in targets:
                if backend == "postgresql":
                    _empty_postgres(url)
                added, elapsed, peak = timed_import(path, url)
                rows.append((backend, size, megabytes, added, elapsed, added / elapsed, peak))
            floor = floor_sqlite(pairs, folder)
            rows.append(("sqlite3 floor", size, megabytes, size, floor, size / floor, float("nan")))
            os.unlink(folder / "floor.sqlite")
            path.unlink()

        naive_pairs = grown_pairs(NAIVE_SLICE)
        naive = naive_orm(naive_pairs, folder)
        rows.append(("naive ORM", NAIVE_SLICE, float("nan"), NAIVE_SLICE, naive, NAIVE_SLICE / naive, float("nan")))

    print(f"{'importer':15} {'units':>9} {'file MB':>8} {'added':>9} {'seconds':>8} {'units/s':>9} {'peak RSS MB':>11}")
    for name, size, megabytes, added, elapsed, rate, peak in rows:
        print(f"{name:15} {size:9,} {megabytes:8.1f} {added:9,} {elapsed:8.2f} {rate:9,.0f} {peak:11.0f}")
    ours = [row for row in rows if row[0] == "sqlite"]
    if ours:
        best_naive = rows[-1][5]
        print(f"\ntarget >= 20,000 units/s on SQLite; ours at {ours[-1][1]:,}: {ours[-1][5]:,.0f} units/s "
              f"({ours[-1][5] / best_naive:.1f}x the naive ORM loop)")


def _empty_postgres(url: str) -> None:
    from sqlalchemy import text

    from memories.database import make_engine

    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


if __name__ == "__main__":
    main()
