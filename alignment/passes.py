"""One dynamic-programming pass over a batch of document pairs (bands, costs, calibration,
widening), and what the next pass learns from it: confident links and the length model
(Gale & Church 1993; the two passes follow Moore 2002)."""
from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np

from alignment.beads import BEAD_SHAPES
from alignment.dp import Band, Problem, Solution, solve
from alignment.calibration import Calibration
from alignment.scoring import BatchEvidence, Cells, CellScores, CostModel, LengthModel, Span, score_cells
from alignment.sides import Side

logger = logging.getLogger(__name__)

ONE_TO_ONE = BEAD_SHAPES.index((1, 1))
#: Gale & Church's variance of the length difference per character.
GALE_CHURCH_VARIANCE = 6.8
_CALIBRATION_SAMPLE = 20_000
#: Characters of batch evidence a document's own length ratio must outweigh.
_RATIO_PRIOR_CHARACTERS = 2000.0


@dataclass
class Pass:
    """The paths a pass found, with the cells and scores they were found on."""

    solutions: list[Solution]
    scores: CellScores
    cells: Cells
    bands: list[Band]

    @cached_property
    def steps(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """All beads as arrays: document, shape index, end i, end j, and band cell."""
        documents, rows = [], []
        for d, solution in enumerate(self.solutions):
            if solution.steps:
                documents.append(np.full(len(solution.steps), d, dtype=np.int64))
                rows.append(np.asarray(solution.steps, dtype=np.int64))
        if not rows:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty, empty, empty
        document = np.concatenate(documents)
        k, i, j = np.concatenate(rows).T
        cells = self.cells
        row_start = np.asarray(cells.offsets[:-1])[document] + i * np.asarray(cells.widths)[document]
        return document, k, i, j, row_start + j - cells.j[row_start]

    def confident_pairs(self, spans: Sequence[Span], fraction: float) -> list[tuple[int, int]]:
        """The best-scoring 1-1 links, as global (source, target) sentence indices."""
        document, k, i, j, cell = self.steps
        one = k == ONE_TO_ONE
        document, i, j, cell = document[one], i[one], j[one], cell[one]
        order = np.argsort(self.scores.costs[ONE_TO_ONE, cell], kind="stable")
        order = order[:max(int(len(order) * fraction), min(len(order), 10))]
        source_starts = np.array([span.source_start for span in spans], dtype=np.int64)
        target_starts = np.array([span.target_start for span in spans], dtype=np.int64)
        sources = source_starts[document[order]] + i[order] - 1
        targets = target_starts[document[order]] + j[order] - 1
        return list(zip(sources.tolist(), targets.tolist()))


def first_bands(spans: Sequence[Span], half_width: int) -> list[Band]:
    """Diagonal bands; count differences may sit anywhere, widening catches what strays."""
    return [
        Band.diagonal(s.source_count, s.target_count,
                      half_width + abs(s.source_count - s.target_count) // 4)
        for s in spans
    ]


def bands_around(current: Pass, spans: Sequence[Span], half_width: int) -> list[Band]:
    """Narrow bands around the paths of a pass."""
    return [
        Band.around_path(span.source_count, span.target_count, path_points(solution), half_width)
        for solution, span in zip(current.solutions, spans)
    ]


def run_pass(evidence: BatchEvidence, spans: Sequence[Span], bands: Sequence[Band],
             length_model: LengthModel, model: CostModel, edge_margin: int) -> Pass:
    """Calibrate on the pass's own cells and solve; where a path runs along its band's edge,
    widen that band and solve again."""
    bands = list(bands)
    while True:
        cells = Cells.build(bands)
        scores = score_cells(evidence, spans, bands, cells, length_model, model)
        scores = scores.with_model(replace(model, calibration=calibrate(scores, cells, spans)))
        solutions = solve(_problems(scores, cells, bands))
        cramped = [d for d, (solution, band) in enumerate(zip(solutions, bands))
                   if _touches_edge(solution, band, edge_margin)]
        if not cramped:
            return Pass(solutions, scores, cells, bands)
        for d in cramped:
            band = bands[d]
            bands[d] = Band.around_path(band.source_count, band.target_count,
                                        path_points(solutions[d]), band.width)
            logger.debug("document %d: band widened to +/-%d", d, band.width)


def run_fixed_pass(evidence: BatchEvidence, spans: Sequence[Span], bands: Sequence[Band],
                   length_model: LengthModel, model: CostModel) -> Pass:
    """Solve with the model as it is: no calibration of its own, no widening."""
    cells = Cells.build(bands)
    scores = score_cells(evidence, spans, bands, cells, length_model, model)
    return Pass(solve(_problems(scores, cells, bands)), scores, cells, list(bands))


def _problems(scores: CellScores, cells: Cells, bands: Sequence[Band]) -> list[Problem]:
    return [
        Problem(band, scores.costs[:, cells.offsets[d]:cells.offsets[d + 1]].reshape(
            len(BEAD_SHAPES), band.source_count + 1, cells.widths[d]))
        for d, band in enumerate(bands)
    ]


def calibrate(scores: CellScores, cells: Cells, spans: Sequence[Span]) -> Calibration:
    """Fit the calibration on the pass's 1-1 cells: positives are each source sentence's
    most similar target, negatives the targets two or more away from it in the same row.

    Self-training, but robust: an earlier path as reference fared worse, as its errors and
    partial links blur what a translation looks like.
    """
    similarity = scores.similarity[ONE_TO_ONE]
    length_z = scores.length_z[ONE_TO_ONE]
    possible = scores.possible[ONE_TO_ONE]
    positives, negatives = [], []
    for d, span in enumerate(spans):
        lo, hi = cells.offsets[d], cells.offsets[d + 1]
        width = cells.widths[d]
        rows = span.source_count + 1
        block = np.where(possible[lo:hi], similarity[lo:hi], np.nan).reshape(rows, width)[1:]
        usable = ~np.all(np.isnan(block), axis=1)
        if not usable.any():
            continue
        block = block[usable]
        columns = cells.j[lo:hi].reshape(rows, width)[1:][usable]
        cell = np.arange(lo, hi).reshape(rows, width)[1:][usable]
        best_column = columns[np.arange(len(block)), np.nanargmax(block, axis=1)]
        known = ~np.isnan(block)
        positives.append(cell[(columns == best_column[:, None]) & known])
        negatives.append(cell[(np.abs(columns - best_column[:, None]) >= 2) & known])
    if not positives:
        return Calibration()
    positive, negative = np.concatenate(positives), np.concatenate(negatives)
    rng = np.random.default_rng(0)  # plenty of cells: fixed samples keep the fit cheap
    if len(positive) > _CALIBRATION_SAMPLE:
        positive = rng.choice(positive, _CALIBRATION_SAMPLE, replace=False)
    if len(negative) > _CALIBRATION_SAMPLE:
        negative = rng.choice(negative, _CALIBRATION_SAMPLE, replace=False)
    return Calibration.fit(similarity[positive], similarity[negative], length_z[negative])


def initial_length_model(source: Side, target: Side, spans: Sequence[Span]) -> LengthModel:
    """Per-document length ratio, shrunk towards the batch's ratio for short documents."""
    batch_ratio = (target.lengths.sum() + 1.0) / (source.lengths.sum() + 1.0)
    ratios = []
    for span in spans:
        s = source.lengths[span.source_start:span.source_start + span.source_count].sum()
        t = target.lengths[span.target_start:span.target_start + span.target_count].sum()
        ratios.append((t + _RATIO_PRIOR_CHARACTERS * batch_ratio) / (s + _RATIO_PRIOR_CHARACTERS))
    return LengthModel(np.array(ratios), GALE_CHURCH_VARIANCE)


def fitted_length_model(source: Side, target: Side, spans: Sequence[Span],
                        links: Sequence[tuple[int, int]], model: LengthModel) -> LengthModel:
    """Re-estimate the variance from 1-1 links (median of the squared z, robust to errors).

    Give it all the pass's 1-1 links, not the confident ones: those were chosen partly for
    their lengths, and the variance would shrink pass after pass.
    """
    if len(links) < 20:
        return model
    i = np.array([p for p, _ in links])
    j = np.array([q for _, q in links])
    starts = np.array([s.source_start for s in spans])
    ratio = model.ratios[np.searchsorted(starts, i, side="right") - 1]
    ls, lt = source.lengths[i], target.lengths[j]
    squared = (lt - ratio * ls) ** 2 / (0.5 * (ls + lt / ratio) + 1.0)
    variance = float(np.median(squared) / 0.455)  # 0.455: median of chi-square, 1 dof
    return LengthModel(model.ratios, float(np.clip(variance, 1.0, 40.0)))


def path_points(solution: Solution) -> list[tuple[int, int]]:
    return [(0, 0)] + [(i, j) for _, i, j in solution.steps]


def _touches_edge(solution: Solution, band: Band, margin: int) -> bool:
    m = band.target_count
    if band.width >= m + 1:
        return False
    for _, i, j in solution.steps:
        if (band.lo[i] > 0 and j - band.lo[i] < margin) or (band.hi[i] < m and band.hi[i] - j < margin):
            return True
    return False
