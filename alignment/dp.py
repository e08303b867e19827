"""Banded dynamic programming over sentence beads (Gale & Church 1993; banding as in hunalign,
Varga et al. 2005), vectorised along the target axis and across documents.

A state (i, j) means "the first i source and j target sentences are aligned". A bead of shape
(a, b) moves from (i - a, j - b) to (i, j). The band keeps, for every i, the target prefix
lengths lo[i]..hi[i] worth considering, so time and memory grow with n * width, not n * m.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from alignment.beads import BEAD_SHAPES

_INSERTION = BEAD_SHAPES.index((0, 1))
# Groups of documents solved together are padded to the longest; keep the waste bounded.
_MAX_PADDING_RATIO = 1.5
_MAX_GROUP_CELLS = 4_000_000
_ROW_RADIUS = 2


@dataclass(frozen=True)
class Band:
    """Allowed target prefix lengths lo[i]..hi[i] (inclusive) for each source prefix length i."""

    lo: np.ndarray
    hi: np.ndarray

    @property
    def source_count(self) -> int:
        return len(self.lo) - 1

    @property
    def target_count(self) -> int:
        return int(self.hi[-1])

    @property
    def width(self) -> int:
        return int((self.hi - self.lo).max()) + 1

    @property
    def cells(self) -> int:
        return int((self.hi - self.lo + 1).sum())

    @classmethod
    def full(cls, source_count: int, target_count: int) -> Band:
        """The whole (n + 1) x (m + 1) grid: exhaustive, quadratic."""
        rows = source_count + 1
        return cls(np.zeros(rows, dtype=np.int64), np.full(rows, target_count, dtype=np.int64))

    @classmethod
    def diagonal(cls, source_count: int, target_count: int, half_width: int) -> Band:
        """A band of +/- `half_width` target sentences around the straight diagonal."""
        rows = np.arange(source_count + 1)
        centre = rows * (target_count / max(source_count, 1))
        return cls.from_bounds(
            source_count, target_count, np.floor(centre) - half_width, np.ceil(centre) + half_width
        )

    @classmethod
    def around_path(
        cls, source_count: int, target_count: int, points: Sequence[tuple[int, int]],
        half_width: int,
    ) -> Band:
        """Target positions within `half_width` of a monotone path through the given (i, j).

        Each row also sees the path of its two neighbouring rows, so that steep or flat
        stretches of the path (merges, deletions) stay inside.
        """
        lo = np.full(source_count + 1, target_count, dtype=np.float64)
        hi = np.zeros(source_count + 1, dtype=np.float64)
        for (i0, j0), (i1, j1) in zip(points, points[1:]):
            lo[i0:i1 + 1] = np.minimum(lo[i0:i1 + 1], j0)
            hi[i0:i1 + 1] = np.maximum(hi[i0:i1 + 1], j1)
        if len(points) == 1:
            i0, j0 = points[0]
            lo[i0], hi[i0] = j0, j0
        lo = _running(lo, _ROW_RADIUS, np.minimum) - half_width
        hi = _running(hi, _ROW_RADIUS, np.maximum) + half_width
        return cls.from_bounds(source_count, target_count, lo, hi)

    @classmethod
    def from_bounds(
        cls, source_count: int, target_count: int, lo: np.ndarray, hi: np.ndarray
    ) -> Band:
        """Clip and repair bounds so that the band is monotone and connected."""
        lo = np.clip(np.asarray(lo, dtype=np.float64), 0, target_count).astype(np.int64)
        hi = np.clip(np.asarray(hi, dtype=np.float64), 0, target_count).astype(np.int64)
        lo[0], hi[-1] = 0, target_count
        lo = np.minimum.accumulate(lo[::-1])[::-1]
        hi = np.maximum.accumulate(hi)
        hi = np.maximum(hi, lo)
        # Consecutive rows must overlap, or no path could cross from one to the next.
        lo[1:] = np.minimum(lo[1:], hi[:-1])
        return cls(lo, hi)

    def contains(self, i: int, j: int) -> bool:
        return 0 <= i <= self.source_count and self.lo[i] <= j <= self.hi[i]


def _running(values: np.ndarray, radius: int, reduce: np.ufunc) -> np.ndarray:
    """Running min/max over a window of +/- radius (radius is small)."""
    result = values.copy()
    for shift in range(1, radius + 1):
        result[shift:] = reduce(result[shift:], values[:-shift])
        result[:-shift] = reduce(result[:-shift], values[shift:])
    return result


@dataclass(frozen=True)
class Problem:
    """One document pair for the DP.

    `costs[k, i, t]` is the cost of a bead of shape BEAD_SHAPES[k] ending at state
    (i, band.lo[i] + t). Costs must be finite inside the band; beads leaving it are ignored.
    """

    band: Band
    costs: np.ndarray


@dataclass(frozen=True)
class Solution:
    """The cheapest path: beads as (shape index, end i, end j), in order, and its total cost."""

    steps: list[tuple[int, int, int]]
    total_cost: float


def solve(problems: Sequence[Problem]) -> list[Solution]:
    """Find the cheapest bead path of every problem (documents are solved in batches)."""
    solutions: dict[int, Solution] = {}
    for group in _groups(problems):
        solutions.update(zip(group, _solve_group([problems[k] for k in group])))
    return [solutions[index] for index in range(len(problems))]


def _groups(problems: Sequence[Problem]) -> list[list[int]]:
    """Batch problems of similar length, so padding wastes little."""
    order = sorted(range(len(problems)), key=lambda k: problems[k].band.source_count)
    groups: list[list[int]] = []
    real = width = 0
    for index in order:
        band = problems[index].band
        cells, band_width = band.cells, band.width
        if groups:
            rows = band.source_count + 1
            new_width = max(width, band_width)
            padded = rows * new_width * (len(groups[-1]) + 1)
            if padded <= _MAX_PADDING_RATIO * (real + cells) + 64 * new_width and (
                padded <= _MAX_GROUP_CELLS
            ):
                groups[-1].append(index)
                real, width = real + cells, new_width
                continue
        groups.append([index])
        real, width = cells, band_width
    return groups


def _solve_group(problems: Sequence[Problem]) -> list[Solution]:
    shape_count = len(BEAD_SHAPES)
    batch = len(problems)
    rows = max(p.band.source_count for p in problems) + 1
    width = max(p.band.width for p in problems)
    lo = np.empty((batch, rows), dtype=np.int64)
    hi = np.empty((batch, rows), dtype=np.int64)
    # The callers' precision (the aligner's float32 halves the memory of long documents);
    # sums run in float64 either way.
    dtype = np.result_type(*(problem.costs.dtype for problem in problems))
    costs = np.full((shape_count, batch, rows, width), np.inf, dtype=dtype)
    for b, problem in enumerate(problems):
        n = problem.band.source_count
        lo[b, :n + 1], hi[b, :n + 1] = problem.band.lo, problem.band.hi
        lo[b, n + 1:] = hi[b, n + 1:] = problem.band.target_count
        costs[:, b, :n + 1, :problem.costs.shape[2]] = problem.costs
    span = hi - lo  # last valid offset per row
    for b, problem in enumerate(problems):
        span[b, problem.band.source_count + 1:] = -1  # padding rows: nothing valid
    offsets = np.arange(width)
    outside = offsets[None, None, :] > span[:, :, None]
    insertion = np.where(outside, 0.0, costs[_INSERTION].astype(np.float64))
    if not np.isfinite(insertion).all():
        raise ValueError("0-1 bead costs must be finite inside the band")
    total = np.full((batch, rows, width), np.inf)
    back = np.full((batch, rows, width), -1, dtype=np.int8)
    # Beads that consume source sentences come from earlier rows: all shapes of a row are
    # handled by one gather and one argmin (a loop over shapes costs 8x the calls).
    moving = np.array([k for k, (a, _) in enumerate(BEAD_SHAPES) if a], dtype=np.int64)
    move_a = np.array([BEAD_SHAPES[k][0] for k in moving])
    move_b = np.array([BEAD_SHAPES[k][1] for k in moving])
    earlier = np.arange(rows)[None, :] - move_a[:, None]  # (shapes, rows)
    earlier_clipped = np.maximum(earlier, 0)
    shift = (lo[None, :, :] - move_b[:, None, None]
             - lo[:, earlier_clipped].transpose(1, 0, 2))  # (shapes, batch, rows)
    earlier_span = np.where(earlier[:, None, :] >= 0, span[:, earlier_clipped].transpose(1, 0, 2), -1)
    batch_index = np.arange(batch)[None, :, None]
    for i in range(rows):
        previous = shift[:, :, i, None] + offsets
        valid = (previous >= 0) & (previous <= earlier_span[:, :, i, None])
        gathered = total[batch_index, earlier_clipped[:, i, None, None], np.clip(previous, 0, width - 1)]
        candidate = np.where(valid, gathered, np.inf) + costs[moving, :, i]
        pick = np.argmin(candidate, axis=0)
        best = np.take_along_axis(candidate, pick[None], axis=0)[0]
        choice = np.where(np.isfinite(best), moving[pick], -1).astype(np.int8)
        if i == 0:
            best[:, 0] = 0.0
        # Insertions stay in the row: a prefix-minimum scan instead of a sequential loop.
        step = insertion[:, i].copy()
        step[:, 0] = 0.0
        cumulative = np.cumsum(step, axis=1)
        scanned = np.minimum.accumulate(best - cumulative, axis=1) + cumulative
        with np.errstate(invalid="ignore"):  # inf - inf where both sides are unreachable
            improved = scanned < best - 1e-9 * (1.0 + np.abs(scanned))
        best = np.where(improved, scanned, best)
        choice[improved] = _INSERTION
        best[outside[:, i]] = np.inf
        total[:, i] = best
        back[:, i] = choice
    return [_backtrack(problem, total[b], back[b]) for b, problem in enumerate(problems)]


def _backtrack(problem: Problem, total: np.ndarray, back: np.ndarray) -> Solution:
    band = problem.band
    i, j = band.source_count, band.target_count
    cost = float(total[i, j - band.lo[i]])
    if not np.isfinite(cost):
        raise ValueError("no path through the band")
    steps = []
    while i > 0 or j > 0:
        k = int(back[i, j - band.lo[i]])
        if k < 0:
            raise AssertionError(f"broken back pointer at ({i}, {j})")
        steps.append((k, i, j))
        a, b = BEAD_SHAPES[k]
        i, j = i - a, j - b
    steps.reverse()
    return Solution(steps, cost)


def exhaustive_solve(problem: Problem) -> Solution:
    """Naive reference: enumerate every bead path inside the band and keep the cheapest.

    Exponential; for tests on small inputs only.
    """
    band = problem.band
    n, m = band.source_count, band.target_count
    best: list[Solution] = []

    def walk(i: int, j: int, steps: list[tuple[int, int, int]], cost: float) -> None:
        if (i, j) == (n, m):
            if not best or cost < best[0].total_cost:
                best[:] = [Solution(list(steps), cost)]
            return
        for k, (a, b) in enumerate(BEAD_SHAPES):
            end_i, end_j = i + a, j + b
            if end_i > n or end_j > m or not band.contains(end_i, end_j):
                continue
            step_cost = float(problem.costs[k, end_i, end_j - band.lo[end_i]])
            walk(end_i, end_j, steps + [(k, end_i, end_j)], cost + step_cost)

    walk(0, 0, [], 0.0)
    if not best:
        raise ValueError("no path through the band")
    return best[0]
