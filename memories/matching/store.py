"""The match index on disk: segments as folders of `.npy` files, and a manifest naming the current ones.

```
INDEX_DIR/
  manifest.json        {"generation", "version", "database_id", "segments": [{"name", "dead"}]}
  seg-<id>/*.npy       one immutable segment (see `segment`)
  dead-<id>-<gen>.npy  the dead sides of a segment at a generation
  .lock                held (flock) by the one process writing a generation
```

Writers (`tm import`, `tm ingest`, `tm index build`, or a server worker whose overlay grew)
take the lock, apply the change log since the manifest's version, write new segments and a
new manifest (atomically replaced), and delete what no manifest names. Readers map the
segments named by the manifest; a segment already mapped stays valid after it is deleted.
A manifest from another database (`matching_state.database_id`) or older than the pruned
change log is never trusted: the index is rebuilt from the database, the source of truth.
"""
from __future__ import annotations

import fcntl
import itertools
import json
import logging
import multiprocessing
import os
import shutil
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sqlalchemy.orm import Session

from memories.matching import changes
from memories.matching.index import Key, Part, Snapshot, pending_units, segments_of, unit_batches
from memories.matching.segment import Segment, merged

logger = logging.getLogger(__name__)

MANIFEST = "manifest.json"
LOCK = ".lock"
FORMAT = 2
#: Segments on disk per partition beyond this are merged, smallest first.
MAX_DISK_SEGMENTS = 16
#: A segment with more dead sides than this share is rewritten without them.
MAX_DEAD_SHARE = 0.25
#: More pending units than this are indexed by rebuilding from the database, in processes.
REBUILD_ABOVE = 200_000


@dataclass(frozen=True, slots=True)
class Summary:
    """What a writer did: the index's version, sides and segments, and how long it took."""

    version: int
    sides: int
    segments: int
    seconds: float
    rebuilt: bool
    bytes: int

    def as_dict(self) -> dict:
        return {
            "version": self.version, "sides": self.sides, "segments": self.segments,
            "seconds": round(self.seconds, 3), "rebuilt": self.rebuilt, "bytes": self.bytes,
        }


def read_manifest(folder: Path) -> dict | None:
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    return manifest if manifest.get("format") == FORMAT else None


def trusted(manifest: dict | None, state: changes.State) -> bool:
    """Tell whether files of `manifest` can be brought to `state` through the change log."""
    return (
        manifest is not None
        and manifest.get("database_id") == state.database_id
        and state.pruned_through <= manifest["version"] <= state.version
    )


def load(folder: Path, manifest: dict | None = None) -> Snapshot | None:
    """Map the segments of the current manifest (None when there is none)."""
    for _attempt in range(3):
        manifest = manifest or read_manifest(folder)
        if manifest is None:
            return None
        try:
            return _opened(folder, manifest)
        except FileNotFoundError:  # a writer replaced the generation meanwhile
            manifest = None
        except ValueError as error:  # files of another format: rebuild them
            logger.info("match index files not readable (%s); they will be rebuilt", error)
            return None
    return None


def _opened(folder: Path, manifest: dict) -> Snapshot:
    parts: dict[Key, list[Part]] = {}
    for entry in manifest["segments"]:
        segment = Segment.open(folder / entry["name"])
        part = Part.of(segment, entry["name"])
        if entry.get("dead"):
            dead = np.load(folder / entry["dead"])
            part = part.without(dead.astype(np.int64))
        parts.setdefault((segment.lang, segment.other), []).append(part)
    return Snapshot(
        manifest["version"], manifest.get("database_id"), manifest["generation"],
        {key: tuple(found) for key, found in parts.items()},
    )


@contextmanager
def locked(folder: Path, *, blocking: bool = True) -> Iterator[bool]:
    """Hold the writers' lock of `folder`; yield False when `blocking` is off and it is taken."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / LOCK, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def save(folder: Path, snapshot: Snapshot) -> Snapshot:
    """Write `snapshot` as the next generation (the caller holds the lock); return it mapped.

    In-memory segments and the overlay become one new segment per partition; segments with many
    dead sides, or beyond MAX_DISK_SEGMENTS, are merged into it too.
    """
    previous = read_manifest(folder)
    generation = (previous["generation"] if previous else 0) + 1
    entries = []
    for key in sorted(snapshot.keys()):
        found = list(snapshot.parts.get(key, ()))
        if key in snapshot.fresh_parts:
            found.append(snapshot.fresh_parts[key])
        disk = sorted((part for part in found if part.name is not None), key=lambda part: part.live(), reverse=True)
        rewrite = [part for part in found if part.name is None]
        rewrite += [part for part in disk if part.dead > MAX_DEAD_SHARE * len(part.segment)]
        keep = [part for part in disk if part not in rewrite]
        while rewrite and len(keep) + 1 > MAX_DISK_SEGMENTS or len(keep) > MAX_DISK_SEGMENTS:
            rewrite.append(keep.pop())  # the smallest
        live = [(part.segment, part.alive) for part in rewrite if part.live()]
        for part in keep:
            dead = None
            if part.dead:
                dead = f"dead-{part.name}-{generation}.npy"
                np.save(folder / dead, np.flatnonzero(~part.alive).astype(np.int32))
            entries.append({"name": part.name, "dead": dead})
        if live:
            entries.append({"name": merged(live).save(folder), "dead": None})
    manifest = {
        "format": FORMAT, "generation": generation, "version": snapshot.version,
        "database_id": snapshot.database_id, "segments": entries,
    }
    _write_manifest(folder, manifest)
    return _opened(folder, manifest)


def _write_manifest(folder: Path, manifest: dict) -> None:
    scratch = folder / f".{MANIFEST}.{os.getpid()}.tmp"
    scratch.write_text(json.dumps(manifest))
    os.replace(scratch, folder / MANIFEST)
    _collect(folder, manifest)


def _collect(folder: Path, manifest: dict) -> None:
    """Delete the segments and dead lists no manifest names (mapped ones stay readable)."""
    named = {entry["name"] for entry in manifest["segments"]} | {
        entry["dead"] for entry in manifest["segments"] if entry.get("dead")
    }
    for path in folder.iterdir():
        if path.name in named or path.name in (MANIFEST, LOCK):
            continue
        if path.name.startswith((".seg-", ".manifest")) and time.time() - path.stat().st_mtime < 3600:
            continue  # another writer's work in progress (it holds the lock) or a crash's leftovers
        if path.name.startswith(("seg-", "dead-", ".seg-", ".manifest")):
            shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)


def rebuild(folder: Path, session: Session, *, jobs: int | None = None) -> Snapshot:
    """Index every unit of the database into new segments (in `jobs` processes); return them mapped."""
    state = changes.current(session)  # before reading: later changes are re-applied, harmlessly
    jobs = jobs or os.cpu_count() or 1
    names: list[str] = []
    batches = unit_batches(session)
    first = next(batches, None)
    second = next(batches, None) if first is not None else None
    if second is None or jobs == 1:
        for batch in itertools.chain([b for b in (first, second) if b is not None], batches):
            names += _index_batch(str(folder), batch)
    else:
        context = multiprocessing.get_context("spawn")  # no fork of a process holding connections and threads
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            running = [pool.submit(_index_batch, str(folder), first), pool.submit(_index_batch, str(folder), second)]
            for batch in batches:
                while len(running) > jobs:  # bound the batches held in memory
                    names += running.pop(0).result()
                running.append(pool.submit(_index_batch, str(folder), batch))
            for future in running:
                names += future.result()
    previous = read_manifest(folder)
    manifest = {
        "format": FORMAT, "generation": (previous["generation"] if previous else 0) + 1,
        "version": state.version, "database_id": state.database_id,
        "segments": [{"name": name, "dead": None} for name in names],
    }
    _write_manifest(folder, manifest)
    return _opened(folder, manifest)


def _index_batch(folder: str, units: list[tuple]) -> list[str]:
    return [segment.save(Path(folder)) for _key, segment in sorted(segments_of(units).items())]


def update(session: Session, folder: Path, *, full: bool = False, jobs: int | None = None) -> Summary:
    """Bring the files in `folder` up to the database: apply the change log, or rebuild.

    This is what `tm import`, `tm ingest` and `tm index build` (full) run after writing.
    """
    with locked(folder):
        return update_locked(session, folder, full=full, jobs=jobs)


def update_locked(session: Session, folder: Path, *, full: bool = False, jobs: int | None = None) -> Summary:
    """`update`, for a caller that holds the writers' lock already."""
    started = time.perf_counter()
    state = changes.current(session)
    manifest = None if full else read_manifest(folder)
    snapshot = load(folder, manifest) if trusted(manifest, state) else None
    rebuilt = snapshot is None
    if snapshot is not None and state.version > snapshot.version:
        pending = changes.since(session, snapshot.version, state.version)
        if pending_units(pending) > REBUILD_ABOVE:
            snapshot, rebuilt = None, True
        else:
            snapshot = save(folder, snapshot.applied(session, pending, state.version))
    if snapshot is None:
        snapshot = rebuild(folder, session, jobs=jobs)
    session.rollback()
    return Summary(
        snapshot.version, snapshot.size(), sum(len(found) for found in snapshot.parts.values()),
        time.perf_counter() - started, rebuilt, size_on_disk(folder),
    )


def size_on_disk(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file()) if folder.exists() else 0
