"""Bead costs: length (Gale & Church 1993) combined with the cosine similarity of sentence
feature vectors, for every band cell at once. A merged bead scores each of its sentences
against the other side (summing vectors, as vecalign does, Thompson & Koehn 2019, rewards
spurious merges with sparse features)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np

from alignment.beads import BEAD_SHAPES
from alignment.calibration import Calibration
from alignment.dp import Band
from alignment.sparse import SparseRows

_SOURCE_CHUNK = 48
_CELL_CHUNK = 1 << 18


#: Prior probabilities of the bead shapes (Gale & Church's, with room for the 2-2 and 1-3
#: shapes they did not use). Estimating them from a first pass fed its errors back.
DEFAULT_SHAPE_PRIORS = {
    (0, 1): 0.01, (1, 0): 0.01, (1, 1): 0.85, (1, 2): 0.05, (2, 1): 0.05,
    (2, 2): 0.01, (1, 3): 0.01, (3, 1): 0.01,
}


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
    #: Both texts have paragraphs, so paragraph boundaries are evidence.
    uses_paragraphs: bool = False


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

    @cached_property
    def source_norms(self) -> list[np.ndarray]:
        return _range_norms(self.source_vectors)

    @cached_property
    def target_norms(self) -> list[np.ndarray]:
        return _range_norms(self.target_vectors)

    def with_columns(self, source_columns: SparseRows, target_columns: SparseRows) -> BatchEvidence:
        """This evidence with more features, in columns of their own.

        Norms of sentence ranges add up over disjoint columns: only the new ones' are computed.
        """
        extended = replace(
            self,
            source_vectors=SparseRows.stack_columns([self.source_vectors, source_columns]),
            target_vectors=SparseRows.stack_columns([self.target_vectors, target_columns]),
        )
        # Filling the cached properties, as a frozen dataclass allows through its __dict__.
        extended.__dict__["source_norms"] = [
            a + b for a, b in zip(self.source_norms, _range_norms(source_columns))]
        extended.__dict__["target_norms"] = [
            a + b for a, b in zip(self.target_norms, _range_norms(target_columns))]
        return extended


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
            # einsum, not @: OpenBLAS threads on thousands of small products stall badly
            # when the cores are busy (70x slower measured under load).
            self.values[p0:p1, :q1 - q0] = np.einsum("ik,jk->ij", left, right, optimize=False)

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


def bead_similarity(source_vectors: SparseRows, target_vectors: SparseRows,
                    source_ranges: np.ndarray, target_ranges: np.ndarray) -> np.ndarray:
    """Mean per-sentence cosine of given beads (as in score_cells), for those beads only.

    `source_ranges` and `target_ranges` hold (start, stop) global sentence indices per bead.
    """
    count = len(source_ranges)
    totals = np.zeros(count)
    sizes = np.zeros(count)
    sums = []
    for vectors, ranges in ((source_vectors, source_ranges), (target_vectors, target_ranges)):
        lengths = ranges[:, 1] - ranges[:, 0]
        bead = np.repeat(np.arange(count), lengths)
        sentence = np.repeat(ranges[:, 0], lengths) + (
            np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths))
        membership = SparseRows.from_entries(bead, sentence, np.ones(len(bead)), count, vectors.row_count)
        sums.append((vectors, bead, sentence, membership.multiply(vectors)))
        sizes += lengths
    for (vectors, bead, sentence, _), (_, _, _, other_sum) in ((sums[0], sums[1]), (sums[1], sums[0])):
        own = vectors.gather_rows(sentence)
        opposite = other_sum.gather_rows(bead)
        norm = np.sqrt(own.squared_norms() * opposite.squared_norms())
        totals += np.bincount(bead, weights=_cosine(own.row_dots(opposite), norm), minlength=count)
    return totals / np.maximum(sizes, 1)


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


@dataclass(frozen=True)
class CellScores:
    """Per bead shape and band cell: the evidence, and the cost a model makes of it."""

    valid: np.ndarray        # (cells,) bool: the cell is inside its band
    possible: np.ndarray     # (shapes, cells) bool: the bead fits in the band at this cell
    similarity: np.ndarray   # (shapes, cells) mean per-sentence cosine, 0 for deletions
    length_z: np.ndarray     # (shapes, cells) Gale-Church z score, 0 for deletions
    paragraph: np.ndarray    # (shapes, cells) paragraph boundaries the bead disagrees with
    empty: np.ndarray        # (shapes, cells) bool: a deletion of an empty sentence (free)
    costs: np.ndarray        # (shapes, cells)
    model: CostModel

    def with_model(self, model: CostModel) -> CellScores:
        return CellScores(self.valid, self.possible, self.similarity, self.length_z,
                          self.paragraph, self.empty, bead_costs(self, model), model)


def bead_costs(scores: CellScores, model: CostModel) -> np.ndarray:
    """Cost of every shape at every cell: -log prior - LLR(similarity) - log P(length)."""
    costs = np.empty(scores.similarity.shape, dtype=np.float32)
    for k, (a, b) in enumerate(BEAD_SHAPES):
        cost = np.full(scores.similarity.shape[1], -model.shape_log_priors[k])
        if a and b:
            cost -= model.similarity_weight * (a + b) / 2.0 * model.calibration.log_likelihood_ratio(
                scores.similarity[k])
            cost -= model.length_weight * model.calibration.length_log_likelihood_ratio(scores.length_z[k])
            cost += model.paragraph_penalty * scores.paragraph[k]
        cost = np.where(scores.empty[k], 0.0, cost)  # an empty line is nothing to lose
        costs[k] = np.where(scores.possible[k], cost, np.inf)
    # Insertions must stay finite inside the band for the DP's scan (j = 0 just costs a lot).
    insertion = BEAD_SHAPES.index((0, 1))
    costs[insertion] = np.where(scores.valid & ~scores.possible[insertion], 1e6, costs[insertion])
    return costs


class _ScoringContext:
    """What every chunk of cells needs: per-sentence sums and the pair dot products."""

    def __init__(self, evidence: BatchEvidence, spans: Sequence[Span], dots: PairDots,
                 length_model: LengthModel) -> None:
        self.evidence = evidence
        self.dots = dots
        self.length_model = length_model
        self.source_starts = np.array([s.source_start for s in spans], dtype=np.int64)
        self.target_starts = np.array([s.target_start for s in spans], dtype=np.int64)
        self.uses_paragraphs = np.array([s.uses_paragraphs for s in spans], dtype=bool)
        self.source_lengths = _range_sums(evidence.source_lengths)
        self.target_lengths = _range_sums(evidence.target_lengths)
        self.source_breaks = _range_sums(evidence.source_paragraph_starts.astype(np.float64))
        self.target_breaks = _range_sums(evidence.target_paragraph_starts.astype(np.float64))
        self.source_empty = _range_sums((evidence.source_lengths == 0).astype(np.float64))
        self.target_empty = _range_sums((evidence.target_lengths == 0).astype(np.float64))

    def score(self, cells: Cells, chunk: slice, possible: np.ndarray, similarity: np.ndarray,
              length_z: np.ndarray, paragraph: np.ndarray, empty: np.ndarray) -> None:
        evidence, dots = self.evidence, self.dots
        document, i, j, valid = cells.document[chunk], cells.i[chunk], cells.j[chunk], cells.valid[chunk]
        gi = self.source_starts[document] + i  # global end (exclusive) of the source range
        gj = self.target_starts[document] + j
        source_norms, target_norms = evidence.source_norms, evidence.target_norms
        source_lengths, target_lengths = self.source_lengths, self.target_lengths
        source_breaks, target_breaks = self.source_breaks, self.target_breaks
        ratio = self.length_model.ratios[document]
        uses_paragraphs = self.uses_paragraphs[document]
        source_total = len(evidence.source_lengths)
        target_total = len(evidence.target_lengths)
        # Out-of-range cells get in-range indices; their values are masked out by `possible`.
        gi = np.clip(gi, 0, source_total)
        gj = np.clip(gj, 0, target_total)
        # Shapes share their pair dot products and sentence norms: gather each offset once.
        pair_cache: dict[tuple[int, int], np.ndarray] = {}
        source_own = [np.sqrt(source_norms[1][gi - da]) for da in range(3)]
        target_own = [np.sqrt(target_norms[1][gj - db]) for db in range(3)]
        any_paragraphs = bool(uses_paragraphs.any())

        def pair(da: int, db: int) -> np.ndarray:
            if (da, db) not in pair_cache:
                pair_cache[da, db] = dots.lookup(gi - 1 - da, gj - 1 - db)
            return pair_cache[da, db]

        for k, (a, b) in enumerate(BEAD_SHAPES):
            possible[k, chunk] = valid & (i >= a) & (j >= b)
            # Empty sentences (empty lines of pre-split files) link to nothing: free deletions.
            emptiness = self.source_empty[a][gi] + self.target_empty[b][gj]
            if a == 0 or b == 0:
                empty[k, chunk] = emptiness > 0
                continue
            possible[k, chunk] &= emptiness == 0
            # Each sentence of the bead against the whole other side; the mean of these
            # cosines equals the cosine for 1-1 beads, and drops when a merged sentence has
            # no counterpart (the cosine of summed vectors would reward spurious merges).
            source_side = np.sqrt(source_norms[a][gi])
            target_side = np.sqrt(target_norms[b][gj])
            summed = np.zeros(len(gi))
            for da in range(a):
                summed += _cosine(sum(pair(da, db) for db in range(b)), source_own[da] * target_side)
            for db in range(b):
                summed += _cosine(sum(pair(da, db) for da in range(a)), target_own[db] * source_side)
            similarity[k, chunk] = summed / (a + b)
            source_length = source_lengths[a][gi]
            target_length = target_lengths[b][gj]
            length_z[k, chunk] = (target_length - ratio * source_length) / np.sqrt(
                self.length_model.variance * 0.5 * (source_length + target_length / ratio) + 1.0
            )
            if not any_paragraphs:
                continue
            # Paragraph boundaries: beads should start together and not straddle one.
            starts_source = evidence.source_paragraph_starts[np.clip(gi - a, 0, source_total - 1)]
            starts_target = evidence.target_paragraph_starts[np.clip(gj - b, 0, target_total - 1)]
            inner = ((source_breaks[a][gi] - starts_source)
                     + (target_breaks[b][gj] - starts_target))
            paragraph[k, chunk] = np.where(uses_paragraphs, (starts_source != starts_target) + inner, 0.0)



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
    shape_count = len(BEAD_SHAPES)
    total = len(cells.i)
    # float32 per cell and shape: long documents have millions of cells.
    possible = np.zeros((shape_count, total), dtype=bool)
    similarity = np.zeros((shape_count, total), dtype=np.float32)
    length_z = np.zeros((shape_count, total), dtype=np.float32)
    paragraph = np.zeros((shape_count, total), dtype=np.float32)
    empty = np.zeros((shape_count, total), dtype=bool)
    context = _ScoringContext(evidence, spans, dots, length_model)
    for start in range(0, total, _CELL_CHUNK):  # bounded temporaries, whatever the size
        chunk = slice(start, min(start + _CELL_CHUNK, total))
        context.score(cells, chunk, possible, similarity, length_z, paragraph, empty)
    scores = CellScores(cells.valid, possible, similarity, length_z, paragraph, empty, np.zeros(0), model)
    return scores.with_model(model)
