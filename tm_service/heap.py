"""Keep a threaded worker's heap small: fewer malloc arenas, and freed memory given back.

glibc gives each thread that allocates its own arena (up to eight per core) and keeps what is
freed in it for reuse. A gthread worker's threads each scan thousands of texts now and then
(an exact lookup by quality with no close match), so a worker that served them would keep
tens of MiB it no longer uses. Two arenas and a `malloc_trim` every few seconds return it.
Nothing here changes behaviour; off Linux/glibc it does nothing.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import threading

M_ARENA_MAX = -8  # glibc's mallopt parameter
ARENAS = 2
TRIM_SECONDS = 5.0


def _libc():
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None


def limit(stop: threading.Event | None = None) -> bool:
    """Cap the arenas and trim the heap every TRIM_SECONDS in a daemon thread; False off glibc."""
    libc = _libc()
    if libc is None:
        return False
    libc.mallopt(M_ARENA_MAX, ARENAS)
    stop = stop or threading.Event()

    def trim() -> None:
        while not stop.wait(TRIM_SECONDS):
            libc.malloc_trim(0)

    threading.Thread(target=trim, name="tm-heap-trim", daemon=True).start()
    return True
