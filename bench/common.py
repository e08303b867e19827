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
