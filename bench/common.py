"""What the benchmarks share: where the development data is, and the sentence pairs in it."""
from __future__ import annotations

import os
import sys
from pathlib import Path

SHARED_DATA = Path(os.environ.get("TM_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))


def shared_data_or_exit(*parts: str) -> Path:
    """Return a path under ../shared/data, or say it is missing and exit 0."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        print(f"skipped: development data not found at {path} (set TM_SHARED_DATA)")
        sys.exit(0)
    return path


def parallel_pairs() -> list[tuple[str, str]]:
    """Load every French/English pair of ../shared/data/parallel, in file order."""
    pairs: list[tuple[str, str]] = []
    for french in sorted(shared_data_or_exit("parallel").rglob("*.fra")):
        english = french.with_suffix(".eng")
        french_lines = french.read_text("utf-8").splitlines()
        english_lines = english.read_text("utf-8").splitlines()
        pairs.extend((fr.strip(), en.strip()) for fr, en in zip(french_lines, english_lines) if fr.strip() and en.strip())
    return pairs


def grown_pairs(count: int) -> list[tuple[str, str]]:
    """Return `count` distinct pairs: the real ones, then numbered variants of them."""
    base = list(dict.fromkeys(parallel_pairs()))
    out = []
    for index in range(count):
        french, english = base[index % len(base)]
        round_ = index // len(base)
        if round_:
            french, english = f"{french} (réf. {round_}-{index})", f"{english} (ref. {round_}-{index})"
        out.append((french, english))
    return out


def rss_megabytes() -> float:
    """Return this process's resident memory now, in MB (Linux)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def peak_rss_megabytes() -> float:
    """Return this process's peak resident memory in MB (VmHWM: unlike ru_maxrss, a spawned
    child does not inherit its parent's peak)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def smaps_rollup(pid: int | str = "self") -> dict[str, int]:
    """Return the memory totals of /proc/PID/smaps_rollup in KiB (Rss, Pss, Private_Clean, ...)."""
    totals: dict[str, int] = {}
    with open(f"/proc/{pid}/smaps_rollup") as rollup:
        for line in rollup:
            name, _, rest = line.partition(":")
            fields = rest.split()
            if len(fields) == 2 and fields[1] == "kB":
                totals[name] = int(fields[0])
    return totals


def private_mebibytes(pid: int | str = "self") -> float:
    """Return a process's private memory in MiB: Private_Clean + Private_Dirty (Linux).

    Pages of a file that several processes map (a shared index) count as shared, not private.
    """
    totals = smaps_rollup(pid)
    return (totals.get("Private_Clean", 0) + totals.get("Private_Dirty", 0)) / 1024


def child_pids(pid: int) -> list[int]:
    """Return the ids of a process's children, from /proc/PID/task/*/children (Linux)."""
    children: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            children.extend(int(child) for child in (task / "children").read_text().split())
        except OSError:  # the thread ended while we looked
            continue
    return sorted(set(children))


def disk_usage_bytes(folder: Path) -> int:
    """Return the bytes a folder's files take on disk, as `du` counts them (allocated blocks)."""
    return sum(path.stat().st_blocks * 512 for path in folder.rglob("*") if path.is_file())


def percentile(values: list[float], fraction: float) -> float:
    """Return the nearest-rank percentile of `values` (`fraction` in [0, 1]); NaN when empty.

    >>> percentile([1.0, 2.0, 3.0, 4.0], 0.5)
    3.0
    """
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]
