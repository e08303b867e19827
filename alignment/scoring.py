"""Bead costs: length (Gale & Church 1993) combined with the cosine similarity of sentence
feature vectors, computed for every band cell at once (merged beads add vectors, as in
vecalign, Thompson & Koehn 2019)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from alignment.beads import BEAD_SHAPES
from alignment.dp import Band
from alignment.sparse import SparseRows

_SOURCE_CHUNK = 48


#: Prior probabilities of the bead shapes before a batch says otherwise (Gale & Church's, with
#: room for the 2-2 and 1-3 shapes they did not use).
DEFAULT_SHAPE_PRIORS = {
    (0, 1): 0.01, (1, 0): 0.01, (1, 1): 0.85, (1, 2): 0.05, (2, 1): 0.05,
    (2, 2): 0.01, (1, 3): 0.01, (3, 1): 0.01,
}


@dataclass(frozen=True)
class Calibration:
    """Turns a bead's evidence into log-likelihood ratios, translation vs. neighbouring sentence.

    Cosine: a ridge logistic regression on balanced samples, so the slope grows with how
    well the batch's evidence separates translations from their neighbours (weak evidence
    weighs little). Length: Gale & Church's z is N(0, 1) for translations and spreads
    wider, N(0, length_spread^2), for sentences that are not each other's translation.
    """

    intercept: float = -3.0
    slope: float = 15.0
    length_spread: float = 3.0

    def log_likelihood_ratio(self, cosine: np.ndarray) -> np.ndarray:
        """Evidence of one sentence's cosine with the other side of its bead."""
        return self.intercept + self.slope * cosine

    def length_log_likelihood_ratio(self, z: np.ndarray) -> np.ndarray:
        """Evidence of a bead's length agreement: log N(z; 0, 1) - log N(z; 0, spread^2)."""
        spread = self.length_spread
        return -0.5 * z * z * (1.0 - 1.0 / (spread * spread)) + np.log(spread)

    @classmethod
    def fit(cls, positives: np.ndarray, negatives: np.ndarray, negative_z: np.ndarray,
            ridge: float = 1e-4) -> Calibration:
        """Estimate from cosines of likely translations and of likely non-translations."""
        spread = cls.length_spread
        if len(negative_z) >= 10:  # robust: median |z| of a normal is 0.674 sigma
            spread = float(np.clip(np.median(np.abs(negative_z)) / 0.674, 1.5, 20.0))
        if len(positives) < 10 or len(negatives) < 10:
            return cls(length_spread=spread)
        x = np.concatenate([positives, negatives])
        y = np.concatenate([np.ones(len(positives)), np.zeros(len(negatives))])
        weight = np.concatenate([np.full(len(positives), 0.5 / len(positives)),
                                 np.full(len(negatives), 0.5 / len(negatives))])
        features = np.stack([np.ones_like(x), x], axis=1)
        theta = np.zeros(2)
        penalty = np.diag([0.0, ridge])
        for _ in range(25):  # Newton-Raphson (IRLS)
            p = 1.0 / (1.0 + np.exp(-np.clip(features @ theta, -30, 30)))
            gradient = features.T @ (weight * (p - y)) + penalty @ theta
            hessian = (features * (weight * p * (1 - p))[:, None]).T @ features + penalty + 1e-9 * np.eye(2)
            step = np.linalg.solve(hessian, gradient)
            theta -= step
            if np.abs(step).max() < 1e-6:
                break
        return cls(float(theta[0]), max(float(theta[1]), 0.0), spread)


@dataclass(frozen=True)
class CostModel:
    """How the evidence of one bead turns into a cost: minus a log probability, roughly."""

    shape_log_priors: tuple[float, ...] = tuple(
        float(np.log(DEFAULT_SHAPE_PRIORS[shape])) for shape in BEAD_SHAPES)
    calibration: Calibration = Calibration()
    similarity_weight: float = 1.0
    length_weight: float = 1.0
    paragraph_penalty: float = 1.5


@dataclass(frozen=True)
class Span:
    """Where one document pair sits in the batch's global sentence arrays."""

    source_start: int
    source_count: int
    target_start: int
    target_count: int


@dataclass(frozen=True)
class LengthModel:
    """Gale & Church: target length ~ Normal(ratio * source length, variance * source length)."""

    ratios: np.ndarray  # per document
    variance: float


@dataclass(frozen=True)
class BatchEvidence:
    """Everything the cost of a bead needs, for every sentence of a batch."""

    source_vectors: SparseRows
    target_vectors: SparseRows
    source_lengths: np.ndarray
    target_lengths: np.ndarray
    source_paragraph_starts: np.ndarray  # bool per sentence
    target_paragraph_starts: np.ndarray
    uses_paragraphs: np.ndarray  # bool per document


@dataclass(frozen=True)
class Cells:
    """The band cells of every document, flattened: each document a (n + 1) x width block."""

    document: np.ndarray
    i: np.ndarray
    j: np.ndarray
    valid: np.ndarray
    offsets: list[int]
    widths: list[int]

    @classmethod
    def build(cls, bands: Sequence[Band]) -> Cells:
        documents, rows, columns, valids, offsets, widths = [], [], [], [], [0], []
        for d, band in enumerate(bands):
            width = band.width
            row = np.repeat(np.arange(band.source_count + 1), width)
            offset = np.tile(np.arange(width), band.source_count + 1)
            documents.append(np.full(len(row), d, dtype=np.int64))
            rows.append(row)
            columns.append(band.lo[row] + offset)
            valids.append(offset <= (band.hi - band.lo)[row])
            offsets.append(offsets[-1] + len(row))
            widths.append(width)
        return cls(
            np.concatenate(documents), np.concatenate(rows), np.concatenate(columns),
            np.concatenate(valids), offsets, widths,
        )


class PairDots:
    """Dot products of source and target vectors, for the pairs near each document's band."""

    def __init__(self, evidence: BatchEvidence, spans: Sequence[Span], bands: Sequence[Band]) -> None:
        blocks = []
        for span, band in zip(spans, bands):
            n, m = span.source_count, span.target_count
            for p0 in range(0, n, _SOURCE_CHUNK):
                p1 = min(p0 + _SOURCE_CHUNK, n)
                q0 = max(int(band.lo[p0 + 1]) - 3, 0)
                q1 = min(int(band.hi[min(p1 + 2, n)]), m)
                blocks.append((span.source_start + p0, span.source_start + p1,
                               span.target_start + q0, span.target_start + max(q1, q0)))
        self.width = max([q1 - q0 for _, _, q0, q1 in blocks] + [1])
        total = evidence.source_vectors.row_count
        self.values = np.zeros((total, self.width), dtype=np.float32)
        self.offsets = np.zeros(total, dtype=np.int64)
        source, target = evidence.source_vectors, evidence.target_vectors
        # Only columns present on both sides matter. Number them through a scratch table:
        # np.unique per block would cost more than the matrix product itself.
        scratch = np.full(max(source.column_count, target.column_count), -1, dtype=np.int64)
        for p0, p1, q0, q1 in blocks:
            self.offsets[p0:p1] = q0
            if q1 <= q0:
                continue
            source_columns = source.columns_of(p0, p1)
            target_columns = target.columns_of(q0, q1)
            scratch[source_columns] = -2
            common = target_columns[scratch[target_columns] == -2]
            scratch[source_columns] = -1
            if not len(common):
                continue
            scratch[common] = np.arange(len(common))
            common = common[scratch[common] == np.arange(len(common))]  # one of each
            scratch[common] = np.arange(len(common))
            left = source.dense_block(p0, p1, scratch, len(common))
            right = target.dense_block(q0, q1, scratch, len(common))
            scratch[common] = -1
            self.values[p0:p1, :q1 - q0] = left @ right.T

    def lookup(self, p: np.ndarray, q: np.ndarray) -> np.ndarray:
        p = np.clip(p, 0, len(self.offsets) - 1)
        column = q - self.offsets[p]
        inside = (column >= 0) & (column < self.width)
        return np.where(inside, self.values[p, np.clip(column, 0, self.width - 1)], 0.0)


def _range_norms(vectors: SparseRows) -> list[np.ndarray]:
    """Squared norms of the sums of 1, 2 and 3 consecutive vectors, indexed by their end."""
    norms = vectors.squared_norms()
    next_dots = vectors.shifted_dots(1)
    skip_dots = vectors.shifted_dots(2)
    count = len(norms)
    result = [np.zeros(count + 1) for _ in range(4)]
    result[1][1:] = norms
    result[2][2:] = norms[1:] + norms[:-1] + 2 * next_dots[:-1] if count >= 2 else 0.0
    if count >= 3:
        result[3][3:] = (norms[2:] + norms[1:-1] + norms[:-2]
                         + 2 * (next_dots[1:-1] + next_dots[:-2] + skip_dots[:-2]))
    return result


def _cosine(dot: np.ndarray, norm: np.ndarray) -> np.ndarray:
    return np.where(norm > 0, dot / np.maximum(norm, 1e-12), 0.0)


def _range_sums(values: np.ndarray) -> list[np.ndarray]:
    """Sums of 1, 2 and 3 consecutive values, indexed by their (exclusive) end."""
    prefix = np.concatenate([[0.0], np.cumsum(values)])
    result = [np.zeros(len(prefix))]
    for size in (1, 2, 3):
        sums = np.zeros(len(prefix))
        sums[size:] = prefix[size:] - prefix[:-size]
        result.append(sums)
    return result


def log_two_sided_tail(z: np.ndarray) -> np.ndarray:
    """log P(|Z| >= z) for a standard normal Z: log erfc(z / sqrt 2), accurate to ~1e-7.

    >>> float(np.round(np.exp(log_two_sided_tail(np.array([1.96])))[0], 3))
    0.05
    """
    x = np.abs(z) / np.sqrt(2.0)
    t = 1.0 / (1.0 + 0.5 * x)
    poly = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (
        -0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (
            -0.82215223 + t * 0.17087277))))))))
    return np.log(t) - x * x + poly


@dataclass(frozen=True)
class CellScores:
    """Per bead shape and band cell: the evidence, and the cost a model makes of it."""

    valid: np.ndarray        # (cells,) bool: the cell is inside its band
    possible: np.ndarray     # (shapes, cells) bool: the bead fits in the band at this cell
    similarity: np.ndarray   # (shapes, cells) mean per-sentence cosine, 0 for deletions
    length_z: np.ndarray     # (shapes, cells) Gale-Church z score, 0 for deletions
    paragraph: np.ndarray    # (shapes, cells) paragraph boundaries the bead disagrees with
    costs: np.ndarray        # (shapes, cells)
    model: CostModel

    def with_model(self, model: CostModel) -> CellScores:
        return CellScores(self.valid, self.possible, self.similarity, self.length_z,
                          self.paragraph, bead_costs(self, model), model)


def bead_costs(scores: CellScores, model: CostModel) -> np.ndarray:
    """Cost of every shape at every cell: -log prior - LLR(similarity) - log P(length)."""
    costs = np.empty_like(scores.similarity)
    for k, (a, b) in enumerate(BEAD_SHAPES):
        cost = np.full(scores.similarity.shape[1], -model.shape_log_priors[k])
        if a and b:
            cost -= model.similarity_weight * (a + b) / 2.0 * model.calibration.log_likelihood_ratio(
                scores.similarity[k])
            cost -= model.length_weight * model.calibration.length_log_likelihood_ratio(scores.length_z[k])
            cost += model.paragraph_penalty * scores.paragraph[k]
        costs[k] = np.where(scores.possible[k], cost, np.inf)
    # Insertions must stay finite inside the band for the DP's scan (j = 0 just costs a lot).
    insertion = BEAD_SHAPES.index((0, 1))
    costs[insertion] = np.where(scores.valid & ~scores.possible[insertion], 1e6, costs[insertion])
    return costs


def score_cells(
    evidence: BatchEvidence,
    spans: Sequence[Span],
    bands: Sequence[Band],
    cells: Cells,
    length_model: LengthModel,
    model: CostModel,
) -> CellScores:
    """Gather the evidence of every shape at every band cell of every document, and cost it."""
    dots = PairDots(evidence, spans, bands)
    source_start = np.array([s.source_start for s in spans], dtype=np.int64)[cells.document]
    target_start = np.array([s.target_start for s in spans], dtype=np.int64)[cells.document]
    gi = source_start + cells.i  # global end (exclusive) of the source range
    gj = target_start + cells.j
    source_norms = _range_norms(evidence.source_vectors)
    target_norms = _range_norms(evidence.target_vectors)
    source_lengths = _range_sums(evidence.source_lengths)
    target_lengths = _range_sums(evidence.target_lengths)
    source_breaks = _range_sums(evidence.source_paragraph_starts.astype(np.float64))
    target_breaks = _range_sums(evidence.target_paragraph_starts.astype(np.float64))
    ratio = length_model.ratios[cells.document]
    uses_paragraphs = evidence.uses_paragraphs[cells.document]
    source_total = len(evidence.source_lengths)
    target_total = len(evidence.target_lengths)
    shape_count = len(BEAD_SHAPES)
    possible = np.zeros((shape_count, len(gi)), dtype=bool)
    similarity = np.zeros((shape_count, len(gi)))
    length_z = np.zeros((shape_count, len(gi)))
    paragraph = np.zeros((shape_count, len(gi)))
    for k, (a, b) in enumerate(BEAD_SHAPES):
        possible[k] = cells.valid & (cells.i >= a) & (cells.j >= b)
        if a == 0 or b == 0:
            continue
        gi_safe = np.where(possible[k], gi, a)
        gj_safe = np.where(possible[k], gj, b)
        # Each sentence of the bead against the whole other side; the mean of these cosines
        # equals the cosine for 1-1 beads, and drops when a merged sentence has no
        # counterpart (the cosine of summed vectors would reward spurious merges instead).
        pair = [[dots.lookup(gi_safe - 1 - da, gj_safe - 1 - db) for db in range(b)] for da in range(a)]
        source_side = np.sqrt(source_norms[a][gi_safe])
        target_side = np.sqrt(target_norms[b][gj_safe])
        total = np.zeros(len(gi))
        for da in range(a):
            own = np.sqrt(source_norms[1][gi_safe - da])
            total += _cosine(sum(pair[da]), own * target_side)
        for db in range(b):
            own = np.sqrt(target_norms[1][gj_safe - db])
            total += _cosine(sum(row[db] for row in pair), own * source_side)
        similarity[k] = total / (a + b)
        source_length = source_lengths[a][gi_safe]
        target_length = target_lengths[b][gj_safe]
        length_z[k] = (target_length - ratio * source_length) / np.sqrt(
            length_model.variance * 0.5 * (source_length + target_length / ratio) + 1.0
        )
        # Paragraph boundaries: beads should start together and not straddle one.
        starts_source = evidence.source_paragraph_starts[np.clip(gi_safe - a, 0, source_total - 1)]
        starts_target = evidence.target_paragraph_starts[np.clip(gj_safe - b, 0, target_total - 1)]
        inner = (source_breaks[a][gi_safe] - starts_source) + (target_breaks[b][gj_safe] - starts_target)
        paragraph[k] = np.where(uses_paragraphs, (starts_source != starts_target) + inner, 0.0)
    scores = CellScores(cells.valid, possible, similarity, length_z, paragraph, np.zeros(0), model)
    return scores.with_model(model)
