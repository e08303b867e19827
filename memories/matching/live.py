"""The index one process searches: a snapshot, kept current from the change log, mapped from shared files.

With a folder, the snapshot's segments are the files `store` writes (every worker on the
machine shares their pages) and the process holds only the overlay of changes made since. A
background thread (`start`) polls every REFRESH_SECONDS: it opens a newer generation when a
writer made one, applies the change log, and writes the overlay out as a new generation when
it grows past PERSIST_ABOVE sides or is PERSIST_AFTER_SECONDS old. Requests apply a small
pending change themselves, so a process sees its own writes at once; anything larger is left
to the thread, and a request searches the snapshot it has rather than wait. Without a folder the index lives in memory
only, built from the database on first use, and every change is applied by the request that
sees it.
"""
from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from memories.matching import changes, store
from memories.matching.index import Snapshot, built, pending_units

logger = logging.getLogger(__name__)

REFRESH_SECONDS = 0.5
#: A request applies pending changes itself up to this many units; the thread does the rest.
INLINE_UNITS = 2_000
#: Overlay sides beyond this are written to the files by the background thread ...
PERSIST_ABOVE = 50_000
#: ... and any overlay at all once it is this old, so that small changes reach the files too.
PERSIST_AFTER_SECONDS = 300.0
#: A change larger than PERSIST_ABOVE is left this long to the process that made it (`tm import`
#: writes the files itself) before a worker writes them.
LARGE_GRACE_SECONDS = 10.0


class LiveIndex:
    """A process's view of the match index; thread-safe."""

    def __init__(self, sessions: sessionmaker[Session], folder: Path | None = None) -> None:
        self._sessions = sessions
        self.folder = Path(folder) if folder is not None else None
        self._snapshot: Snapshot | None = None
        self._lock = threading.RLock()  # one process-local writer of snapshots at a time
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._persisted_at = time.monotonic()
        self._large_since: float | None = None
        self.opened_seconds: float | None = None

    @property
    def snapshot(self) -> Snapshot | None:
        return self._snapshot

    # -- the request path ----------------------------------------------------------------

    def current(self, session: Session) -> Snapshot:
        """Return the snapshot to search now, applying a small pending change first."""
        snapshot = self._snapshot or self._first(session)
        state = changes.current(session)
        if state.version <= snapshot.version and state.database_id == snapshot.database_id:
            return snapshot
        pending = _pending(session, snapshot, state)
        if self.folder is not None and (pending is None or pending_units(pending) > INLINE_UNITS):
            self.start()
            return snapshot
        if not self._lock.acquire(blocking=self.folder is None):
            return snapshot  # the background thread is applying it
        try:
            current = self._snapshot
            self._snapshot = self._caught_up(session, current, state, pending if current is snapshot else None)
        finally:
            self._lock.release()
        return self._snapshot

    def _first(self, session: Session) -> Snapshot:
        with self._lock:
            if self._snapshot is None:
                started = time.perf_counter()
                self._snapshot = self._opened(session)
                self.opened_seconds = time.perf_counter() - started
                logger.info("match index ready: %s sides in %.2f s", self._snapshot.size(), self.opened_seconds)
            return self._snapshot

    def _opened(self, session: Session) -> Snapshot:
        """Map the current files (writing them first if there are none), or build in memory."""
        if self.folder is None:
            snapshot = built(session)
            session.rollback()
            return snapshot
        state = changes.current(session)
        manifest = store.read_manifest(self.folder)
        snapshot = store.load(self.folder, manifest) if store.trusted(manifest, state) else None
        if snapshot is None:
            store.update(session, self.folder)  # under the writers' lock: one process builds
            snapshot = store.load(self.folder)
        return self._caught_up(session, snapshot, changes.current(session))

    def _caught_up(
        self, session: Session, snapshot: Snapshot, state: changes.State, pending: list[changes.Change] | None = None
    ) -> Snapshot:
        """Apply the change log up to `state` (`pending`, when the caller has read it already)."""
        if pending is None:
            pending = _pending(session, snapshot, state)
        if pending is None:
            logger.info("match index is from another database or behind the pruned change log; rebuilding")
            return self._rebuilt(session)
        if pending:
            snapshot = snapshot.applied(session, pending, state.version)
        session.rollback()
        return snapshot

    def _rebuilt(self, session: Session) -> Snapshot:
        if self.folder is None:
            return built(session)
        store.update(session, self.folder, full=True)
        return self._caught_up(session, store.load(self.folder), changes.current(session))

    # -- whole builds and the background -------------------------------------------------

    def build(self) -> None:
        """Rebuild the index from the database (the files too, when there is a folder)."""
        with self._lock, self._sessions() as session:
            started = time.perf_counter()
            self._snapshot = self._rebuilt(session)
            self.opened_seconds = time.perf_counter() - started

    def refresh(self) -> None:
        """Catch up now: open a newer generation of the files, apply the change log, persist a
        large overlay. The background thread calls this every REFRESH_SECONDS."""
        with self._lock, self._sessions() as session:
            snapshot = self._snapshot or self._first(session)
            state = changes.current(session)
            if self.folder is not None:
                manifest = store.read_manifest(self.folder)
                if manifest and manifest["generation"] != snapshot.generation and store.trusted(manifest, state):
                    snapshot = store.load(self.folder, manifest) or snapshot
            pending = _pending(session, snapshot, state)
            if self.folder is not None and (pending is None or pending_units(pending) > PERSIST_ABOVE):
                written = self._files_written(session)
                if written is None:
                    return  # a writer (`tm import`) is bringing the files up to date: wait for it
                snapshot, pending = written, None
            else:
                self._large_since = None
            snapshot = self._caught_up(session, snapshot, state, pending)
            overlay = snapshot.overlay_size() if self.folder is not None else 0
            if overlay > PERSIST_ABOVE or (overlay and time.monotonic() - self._persisted_at > PERSIST_AFTER_SECONDS):
                snapshot = self._persisted(snapshot)
            self._snapshot = snapshot

    def _files_written(self, session: Session) -> Snapshot | None:
        """Write the files for a large change, unless a writer is at it or just committed it.

        `tm import` commits, then updates the files in every core under the lock; a worker that
        sees the change first leaves it LARGE_GRACE_SECONDS to take the lock.
        """
        now = time.monotonic()
        if self._large_since is None:
            self._large_since = now
        if now - self._large_since < LARGE_GRACE_SECONDS:
            return None
        with store.locked(self.folder, blocking=False) as acquired:
            if not acquired:
                return None
            store.update_locked(session, self.folder, jobs=1)
        self._large_since = None
        return store.load(self.folder)

    def _persisted(self, snapshot: Snapshot) -> Snapshot:
        with store.locked(self.folder, blocking=False) as acquired:
            manifest = store.read_manifest(self.folder)
            if not acquired or manifest is None or manifest["generation"] != snapshot.generation:
                return snapshot  # another process is writing, or wrote a newer generation
            logger.info("writing %s overlay sides to the match index files", snapshot.overlay_size())
            self._persisted_at = time.monotonic()
            return store.save(self.folder, snapshot)

    def prefault(self) -> int:
        """Map every page of the index files into this process (see `Segment.prefault`)."""
        snapshot = self._snapshot
        if snapshot is None:
            return 0
        return sum(part.segment.prefault() for parts in snapshot.parts.values() for part in parts if part.name)

    def start(self) -> None:
        """Start the background refresh (idempotent)."""
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return
            self._stopping.clear()
            self._thread = threading.Thread(target=self._run, name="tm-index-refresh", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stopping.set()

    def _run(self) -> None:
        while True:
            try:
                self.refresh()
            except Exception:  # noqa: BLE001 - the thread must outlive a database hiccup
                logger.exception("match index refresh failed; retrying")
            if self._stopping.wait(REFRESH_SECONDS):
                return


def _pending(session: Session, snapshot: Snapshot, state: changes.State) -> list[changes.Change] | None:
    """Return the changes that bring `snapshot` to `state`, or None when the change log cannot
    (another database, or changes pruned since)."""
    if state.database_id != snapshot.database_id or state.pruned_through > snapshot.version:
        return None
    if state.version <= snapshot.version:
        return []
    return changes.since(session, snapshot.version, state.version)
