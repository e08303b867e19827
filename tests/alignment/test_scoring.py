"""Vectorised bead evidence against naive dense computations, on small random batches."""
from __future__ import annotations

import numpy as np
import pytest

from alignment.beads import BEAD_SHAPES
from alignment.dp import Band
from alignment.calibration import Calibration
from alignment.scoring import (
    BatchEvidence, Cells, CostModel, LengthModel, Span, bead_similarity, score_cells,
)
from alignment.sides import TokenRows
from alignment.sparse import SparseRows


def _random_rows(rng: np.random.Generator, count: int, columns: int) -> list[list[int]]:
    return [rng.integers(0, columns, rng.integers(0, 6)).tolist() for _ in range(count)]


def _dense(matrix: SparseRows) -> np.ndarray:
    dense = np.zeros((matrix.row_count, matrix.column_count))
    for row in range(matrix.row_count):
        lo, hi = matrix.indptr[row], matrix.indptr[row + 1]
        dense[row, matrix.columns[lo:hi]] = matrix.values[lo:hi]
    return dense


def _naive_similarity(source: np.ndarray, target: np.ndarray, a: int, b: int, i: int, j: int) -> float:
    """Mean over the bead's sentences of cos(sentence, sum of the other side)."""
    source_sum = source[i - a:i].sum(axis=0)
    target_sum = target[j - b:j].sum(axis=0)

    def cosine(x: np.ndarray, y: np.ndarray) -> float:
        norm = np.linalg.norm(x) * np.linalg.norm(y)
        return float(x @ y / norm) if norm > 0 else 0.0

    total = sum(cosine(source[p], target_sum) for p in range(i - a, i))
    total += sum(cosine(target[q], source_sum) for q in range(j - b, j))
    return total / (a + b)


@pytest.mark.parametrize("seed", range(5))
def test_bead_similarity_and_length_match_naive(seed: int) -> None:
    rng = np.random.default_rng(seed)
    sizes = [(int(rng.integers(1, 7)), int(rng.integers(1, 7))) for _ in range(3)]
    columns = 12
    source_rows = [r for n, _ in sizes for r in _random_rows(rng, n, columns)]
    target_rows = [r for _, m in sizes for r in _random_rows(rng, m, columns)]
    source = SparseRows.from_lists(source_rows, columns)
    target = SparseRows.from_lists(target_rows, columns)
    source_lengths = rng.integers(5, 200, len(source_rows)).astype(float)
    target_lengths = rng.integers(5, 200, len(target_rows)).astype(float)
    spans, s0, t0 = [], 0, 0
    for n, m in sizes:
        spans.append(Span(s0, n, t0, m))
        s0, t0 = s0 + n, t0 + m
    evidence = BatchEvidence(
        source, target, source_lengths, target_lengths,
        np.zeros(s0, dtype=bool), np.zeros(t0, dtype=bool),
    )
    bands = [Band.full(n, m) for n, m in sizes]
    cells = Cells.build(bands)
    ratios = rng.uniform(0.8, 1.3, len(sizes))
    length_model = LengthModel(ratios, 6.8)
    scores = score_cells(evidence, spans, bands, cells, length_model, CostModel())
    dense_source, dense_target = _dense(source), _dense(target)
    for d, (span, band) in enumerate(zip(spans, bands)):
        for cell in range(cells.offsets[d], cells.offsets[d + 1]):
            i, j = int(cells.i[cell]), int(cells.j[cell])
            for k, (a, b) in enumerate(BEAD_SHAPES):
                if not (a and b and i >= a and j >= b):
                    continue
                assert scores.possible[k, cell]
                expected = _naive_similarity(
                    dense_source[span.source_start:], dense_target[span.target_start:], a, b, i, j)
                assert scores.similarity[k, cell] == pytest.approx(expected, abs=1e-5)
                ls = source_lengths[span.source_start + i - a:span.source_start + i].sum()
                lt = target_lengths[span.target_start + j - b:span.target_start + j].sum()
                z = (lt - ratios[d] * ls) / np.sqrt(6.8 * 0.5 * (ls + lt / ratios[d]) + 1.0)
                assert scores.length_z[k, cell] == pytest.approx(z)


def test_calibration_separates_and_degrades_gracefully() -> None:
    rng = np.random.default_rng(0)
    strong = Calibration.fit(rng.normal(0.5, 0.1, 500), rng.normal(0.05, 0.05, 2000), rng.normal(0, 4, 2000))
    weak = Calibration.fit(rng.normal(0.12, 0.1, 500), rng.normal(0.08, 0.1, 2000), rng.normal(0, 4, 2000))
    assert strong.slope > weak.slope > 0
    assert strong.log_likelihood_ratio(np.array([0.5]))[0] > 3
    assert strong.log_likelihood_ratio(np.array([0.0]))[0] < -3
    assert strong.length_spread == pytest.approx(4, rel=0.15)
    # Matching lengths are evidence for, wild ones against.
    assert strong.length_log_likelihood_ratio(np.array([0.0]))[0] > 0
    assert strong.length_log_likelihood_ratio(np.array([5.0]))[0] < -5
    assert Calibration.fit(np.array([0.3]), np.array([0.1]), np.array([1.0])) == Calibration()


@pytest.mark.parametrize("seed", range(5))
def test_sparse_helpers_match_dense(seed: int) -> None:
    rng = np.random.default_rng(seed)
    rows = _random_rows(rng, 20, 9)
    matrix = SparseRows.from_lists(rows, 9)
    dense = _dense(matrix)
    for shift in (1, 2, 25):
        expected = [dense[r] @ dense[r + shift] if r + shift < 20 else 0.0 for r in range(20)]
        assert np.allclose(matrix.shifted_dots(shift), expected)
    assert np.allclose(matrix.squared_norms(), (dense ** 2).sum(axis=1))
    table = SparseRows.from_lists(_random_rows(rng, 9, 4), 4)
    assert np.allclose(_dense(matrix.multiply(table)), dense @ _dense(table))
    local = np.full(9, -1)
    local[[1, 4, 7]] = [0, 1, 2]
    assert np.allclose(matrix.dense_block(3, 10, local, 3), dense[3:10][:, [1, 4, 7]])


def test_token_rows() -> None:
    rows = TokenRows.from_lists([[1, 2], [], [3, 4, 5], [6]])
    assert rows.gather(np.array([2, 0, 2])).ids.tolist() == [3, 4, 5, 1, 2, 3, 4, 5]
    kept = rows.keep(rows.ids % 2 == 1)
    assert [kept.row(k).tolist() for k in range(4)] == [[1], [], [3, 5], []]
    lookup = np.array([-1, 10, -1, 30, 40, -1, 60])
    mapped = rows.mapped(lookup)
    assert [mapped.row(k).tolist() for k in range(4)] == [[10], [], [30, 40], [60]]


@pytest.mark.parametrize("seed", range(5))
def test_bead_similarity_of_chosen_beads_matches_naive(seed: int) -> None:
    rng = np.random.default_rng(seed)
    source = SparseRows.from_lists(_random_rows(rng, 14, 10), 10)
    target = SparseRows.from_lists(_random_rows(rng, 14, 10), 10)
    shapes = [(1, 1), (2, 1), (1, 2), (2, 2), (1, 3), (3, 1)]
    source_ranges, target_ranges, i, j = [], [], 0, 0
    for a, b in (shapes[k] for k in rng.integers(0, len(shapes), 4)):
        source_ranges.append((i, i + a))
        target_ranges.append((j, j + b))
        i, j = i + a, j + b
    got = bead_similarity(source, target, np.array(source_ranges), np.array(target_ranges))
    dense_source, dense_target = _dense(source), _dense(target)
    expected = [_naive_similarity(dense_source, dense_target, s1 - s0, t1 - t0, s1, t1)
                for (s0, s1), (t0, t1) in zip(source_ranges, target_ranges)]
    assert np.allclose(got, expected)
