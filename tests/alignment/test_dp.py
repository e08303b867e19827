"""The banded DP against a naive exhaustive search, on small random inputs."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alignment.beads import BEAD_SHAPES
from alignment.dp import Band, Problem, exhaustive_solve, solve


@st.composite
def problems(draw: st.DrawFn, max_sentences: int = 5) -> Problem:
    n = draw(st.integers(0, max_sentences))
    m = draw(st.integers(0 if n else 1, max_sentences))
    kind = draw(st.sampled_from(["full", "diagonal", "path"]))
    if kind == "full":
        band = Band.full(n, m)
    elif kind == "diagonal":
        band = Band.diagonal(n, m, draw(st.integers(0, 3)))
    else:
        steps = draw(st.lists(st.sampled_from(BEAD_SHAPES), max_size=12))
        points, i, j = [(0, 0)], 0, 0
        for a, b in steps:
            if i + a <= n and j + b <= m:
                i, j = i + a, j + b
                points.append((i, j))
        points.append((n, m))
        band = Band.around_path(n, m, points, draw(st.integers(0, 2)))
    seed = draw(st.integers(0, 2**32 - 1))
    costs = np.random.default_rng(seed).uniform(-1.0, 3.0, size=(len(BEAD_SHAPES), n + 1, band.width))
    return Problem(band, costs)


@settings(max_examples=300, deadline=None)
@given(problems())
def test_banded_dp_finds_the_exhaustive_optimum(problem: Problem) -> None:
    fast = solve([problem])[0]
    naive = exhaustive_solve(problem)
    assert fast.total_cost == pytest.approx(naive.total_cost, abs=1e-9)
    assert fast.steps == naive.steps  # random costs: the optimum is unique


@settings(max_examples=60, deadline=None)
@given(st.lists(problems(max_sentences=4), min_size=1, max_size=6))
def test_batched_problems_solve_like_single_ones(batch: list[Problem]) -> None:
    together = solve(batch)
    for problem, solution in zip(batch, together):
        alone = solve([problem])[0]
        assert solution.steps == alone.steps
        assert solution.total_cost == pytest.approx(alone.total_cost)


@settings(max_examples=100, deadline=None)
@given(problems())
def test_path_covers_both_sides_in_order_inside_the_band(problem: Problem) -> None:
    solution = solve([problem])[0]
    i = j = 0
    for k, end_i, end_j in solution.steps:
        a, b = BEAD_SHAPES[k]
        assert (end_i, end_j) == (i + a, j + b)
        assert problem.band.contains(end_i, end_j)
        i, j = end_i, end_j
    assert (i, j) == (problem.band.source_count, problem.band.target_count)


@pytest.mark.parametrize(("n", "m", "half_width"), [(0, 5, 0), (5, 0, 0), (7, 3, 1), (100, 130, 4)])
def test_bands_are_monotone_and_connected(n: int, m: int, half_width: int) -> None:
    band = Band.diagonal(n, m, half_width)
    assert band.lo[0] == 0 and band.hi[-1] == m
    assert np.all(np.diff(band.lo) >= 0) and np.all(np.diff(band.hi) >= 0)
    assert np.all(band.lo[1:] <= band.hi[:-1])  # consecutive rows overlap
    assert np.all(band.lo <= band.hi)


def test_band_cells_grow_linearly() -> None:
    small, large = Band.diagonal(1000, 1000, 10), Band.diagonal(10000, 10000, 10)
    assert large.cells <= 10.5 * small.cells


def test_long_document_is_fast_enough_to_batch() -> None:
    band = Band.diagonal(3000, 3100, 8)
    costs = np.random.default_rng(1).uniform(0.0, 1.0, size=(len(BEAD_SHAPES), 3001, band.width))
    solution = solve([Problem(band, costs)])[0]
    assert solution.steps[-1][1:] == (3000, 3100)


def test_infinite_insertions_are_refused() -> None:
    band = Band.full(1, 1)
    costs = np.zeros((len(BEAD_SHAPES), 2, 2))
    costs[BEAD_SHAPES.index((0, 1))] = np.inf
    with pytest.raises(ValueError, match="finite"):
        solve([Problem(band, costs)])
