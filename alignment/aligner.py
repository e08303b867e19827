"""Two-pass sentence alignment: a first pass on language-independent evidence, then IBM Model 1
trained on its confident links, then a second pass in a narrow band around the first path
(the scheme of Moore 2002 and hunalign, Varga et al. 2005)."""
from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np

from alignment.beads import BEAD_SHAPES, Bead
from alignment.documents import Document
from alignment.dp import Band, Problem, Solution, solve
from alignment.evidence import (
    ChannelWeights, SharedFeatures, Side, TranslationTables, lexical_features,
)
from alignment.lexicon import Lexicon, TranslationTable
from alignment.scoring import (
    DEFAULT_SHAPE_PRIORS, BatchEvidence, Cells, CellScores, CostModel, LengthModel,
    Calibration, Span, score_cells,
)
from alignment.sparse import SparseRows
from alignment.subwords import SubwordModel

logger = logging.getLogger(__name__)

_ONE_TO_ONE = BEAD_SHAPES.index((1, 1))
_CALIBRATION_SAMPLE = 20_000
_LEXICON_SHAPES = tuple(k for k, (a, b) in enumerate(BEAD_SHAPES) if a and b)
#: Gale & Church's variance of the length difference per character.
GALE_CHURCH_VARIANCE = 6.8

DocumentLike = Document | Sequence[str]


@dataclass(frozen=True)
class AlignerSettings:
    """Every setting that changes an alignment (record it beside stored scores)."""

    channels: ChannelWeights = field(default_factory=ChannelWeights)
    costs: CostModel = field(default_factory=CostModel)
    #: Weight, in beads, of the default shape priors against the shapes of the first pass.
    prior_strength: float = 50.0
    estimate_priors: bool = False
    learn_from_merges: bool = False
    first_half_width: int = 20
    second_half_width: int = 10
    edge_margin: int = 3
    #: Share of the first pass's 1-1 links, best first, that train the translation table.
    lexicon_fraction: float = 0.7
    passes: int = 2


DEFAULT_SETTINGS = AlignerSettings()


class CorpusAlignment:
    """Beads for every document pair, and the translation table learned on the way.

    The table is built on first access: turning id arrays into a word-keyed table costs
    more than some alignments, and most callers only want the beads.
    """

    def __init__(self, beads: list[list[Bead]], lexicon: Callable[[], Lexicon | None]) -> None:
        self.beads = beads
        self._lexicon = lexicon

    @cached_property
    def lexicon(self) -> Lexicon | None:
        """The batch's table, merged into the aligner's own when it had one."""
        return self._lexicon()


@dataclass
class _Pass:
    solutions: list[Solution]
    scores: CellScores
    cells: Cells
    bands: list[Band]


class Aligner:
    """Aligns batches of document pairs, sharing the evidence learned over the whole batch."""

    def __init__(
        self,
        *,
        source_lang: str,
        target_lang: str,
        lexicon: Lexicon | None = None,
        settings: AlignerSettings = DEFAULT_SETTINGS,
    ) -> None:
        self.source_lang = source_lang
        self.target_lang = target_lang
        self.lexicon = lexicon.oriented(source_lang, target_lang) if lexicon else None
        self.settings = settings

    def align_corpus(self, pairs: Sequence[tuple[DocumentLike, DocumentLike]]) -> CorpusAlignment:
        """Align every document pair; see the module docstring for the passes."""
        documents = [(_as_document(s), _as_document(t)) for s, t in pairs]
        spans = _layout(documents)
        source = Side.analyse([s for d, _ in documents for s in d.sentences])
        target = Side.analyse([s for _, d in documents for s in d.sentences])
        subwords = SubwordModel.train(source.sentences + target.sentences)
        shared = SharedFeatures.build(source, target, subwords, self.settings.channels)
        evidence = _evidence(shared.source, shared.target, source, target, documents)
        length_model = _initial_length_model(source, target, spans)
        if self.lexicon is not None:
            tables = TranslationTables.from_lexicon(self.lexicon, source, target)
            evidence = self._with_lexicon(evidence, shared, source, target, tables)
        model = self.settings.costs
        bands = [
            Band.diagonal(s.source_count, s.target_count,
                          self.settings.first_half_width + abs(s.source_count - s.target_count) // 2)
            for s in spans
        ]
        current = self._solve_widening(evidence, spans, bands, length_model, model)
        learned: list[tuple] = []
        for _ in range(self.settings.passes - 1):
            confident = _confident_pairs(current, spans, self.settings.lexicon_fraction,
                                         _LEXICON_SHAPES if self.settings.learn_from_merges else (_ONE_TO_ONE,))
            one_to_one = [(s[0], t[0]) for s, t in _confident_pairs(current, spans, 1.0)]
            length_model = _fitted_length_model(source, target, spans, one_to_one, length_model)
            tables, forward_counts, backward_counts = TranslationTables.learn(
                source, target, confident, prior=self.lexicon
            )
            learned[:] = [(forward_counts, backward_counts, len(confident))]
            evidence = self._with_lexicon(evidence, shared, source, target, tables)
            if self.settings.estimate_priors:
                model = replace(model, shape_log_priors=_shape_log_priors(
                    current.solutions, self.settings.prior_strength))
            bands = [
                Band.around_path(span.source_count, span.target_count, _path_points(solution),
                                 self.settings.second_half_width)
                for solution, span in zip(current.solutions, spans)
            ]
            current = self._solve_widening(evidence, spans, bands, length_model, model)
        beads = [_beads(solution, current, d) for d, solution in enumerate(current.solutions)]

        def lexicon() -> Lexicon | None:
            if not learned:
                return self.lexicon
            forward_counts, backward_counts, pair_count = learned[0]
            table = Lexicon(
                self.source_lang, self.target_lang,
                TranslationTable.from_arrays(forward_counts, source.vocabulary, target.vocabulary),
                TranslationTable.from_arrays(backward_counts, target.vocabulary, source.vocabulary),
                pair_count,
            )
            return self.lexicon.merge(table) if self.lexicon is not None else table

        return CorpusAlignment(beads, lexicon)

    def _with_lexicon(self, evidence: BatchEvidence, shared: SharedFeatures, source: Side,
                      target: Side, tables: TranslationTables) -> BatchEvidence:
        source_lexical, target_lexical = lexical_features(
            source, target, tables, self.settings.channels.lexical
        )
        return replace(
            evidence,
            source_vectors=SparseRows.stack_columns([shared.source, source_lexical]),
            target_vectors=SparseRows.stack_columns([shared.target, target_lexical]),
        )

    def _solve_widening(self, evidence: BatchEvidence, spans: Sequence[Span], bands: list[Band],
                        length_model: LengthModel, model: CostModel) -> _Pass:
        """Solve; where a path runs along the band's edge, widen that band and solve again.

        The calibration is fitted on this pass's own cells (see `_calibrate`).
        """
        bands = list(bands)
        while True:
            cells = Cells.build(bands)
            scores = score_cells(evidence, spans, bands, cells, length_model, model)
            scores = scores.with_model(replace(model, calibration=_calibrate(scores, cells, spans)))
            problems = [
                Problem(band, scores.costs[:, cells.offsets[d]:cells.offsets[d + 1]].reshape(
                    len(BEAD_SHAPES), band.source_count + 1, cells.widths[d]))
                for d, band in enumerate(bands)
            ]
            solutions = solve(problems)
            cramped = [
                d for d, (solution, band) in enumerate(zip(solutions, bands))
                if _touches_edge(solution, band, self.settings.edge_margin)
            ]
            if not cramped:
                return _Pass(solutions, scores, cells, bands)
            for d in cramped:
                band = bands[d]
                bands[d] = Band.around_path(band.source_count, band.target_count,
                                            _path_points(solutions[d]), band.width)
                logger.debug("document %d: widening the band to +/-%d", d, band.width)


def _as_document(value: DocumentLike) -> Document:
    return value if isinstance(value, Document) else Document.from_sentences(list(value))


def _layout(documents: Sequence[tuple[Document, Document]]) -> list[Span]:
    spans = []
    source_start = target_start = 0
    for source, target in documents:
        spans.append(Span(source_start, len(source), target_start, len(target)))
        source_start += len(source)
        target_start += len(target)
    return spans


def _paragraph_flags(documents: Sequence[Document]) -> np.ndarray:
    flags = []
    for document in documents:
        own = np.zeros(len(document), dtype=bool)
        own[document.paragraph_starts] = True
        flags.append(own)
    return np.concatenate(flags) if flags else np.zeros(0, dtype=bool)


def _evidence(source_vectors: SparseRows, target_vectors: SparseRows, source: Side, target: Side,
              documents: Sequence[tuple[Document, Document]]) -> BatchEvidence:
    uses = np.array([
        len(set(s.paragraph_indices)) > 1 and len(set(t.paragraph_indices)) > 1
        for s, t in documents
    ], dtype=bool)
    return BatchEvidence(
        source_vectors, target_vectors, source.lengths, target.lengths,
        _paragraph_flags([s for s, _ in documents]), _paragraph_flags([t for _, t in documents]),
        uses,
    )


def _initial_length_model(source: Side, target: Side, spans: Sequence[Span]) -> LengthModel:
    """Per-document length ratio, shrunk towards the batch's ratio for short documents."""
    batch_ratio = (target.lengths.sum() + 1.0) / (source.lengths.sum() + 1.0)
    prior = 2000.0  # characters of batch evidence a document's own ratio must outweigh
    ratios = []
    for span in spans:
        s = source.lengths[span.source_start:span.source_start + span.source_count].sum()
        t = target.lengths[span.target_start:span.target_start + span.target_count].sum()
        ratios.append((t + prior * batch_ratio) / (s + prior))
    return LengthModel(np.array(ratios), GALE_CHURCH_VARIANCE)


def _fitted_length_model(source: Side, target: Side, spans: Sequence[Span],
                         confident: Sequence[tuple[int, int]], model: LengthModel) -> LengthModel:
    """Re-estimate the variance from 1-1 links (median of the squared z, robust to errors).

    All the pass's 1-1 links, not the confident ones: those were chosen partly for their
    lengths, and the variance would shrink pass after pass.
    """
    if len(confident) < 20:
        return model
    i = np.array([p for p, _ in confident])
    j = np.array([q for _, q in confident])
    starts = np.array([s.source_start for s in spans])
    document = np.searchsorted(starts, i, side="right") - 1
    ratio = model.ratios[document]
    ls, lt = source.lengths[i], target.lengths[j]
    squared = (lt - ratio * ls) ** 2 / (0.5 * (ls + lt / ratio) + 1.0)
    variance = float(np.median(squared) / 0.455)  # 0.455: median of chi-square, 1 dof
    return LengthModel(model.ratios, float(np.clip(variance, 1.0, 40.0)))


def _cell_index(current: _Pass, document: int, i: int, j: int) -> int:
    cells = current.cells
    base, width = cells.offsets[document], cells.widths[document]
    row = base + i * width
    return int(row + j - cells.j[row])


def _confident_pairs(current: _Pass, spans: Sequence[Span], fraction: float,
                     shapes: Sequence[int] = (_ONE_TO_ONE,)) -> list[tuple[list[int], list[int]]]:
    """The best-scoring links of the pass (of the given shapes), as global sentence indices.

    Links are ranked by cost per sentence, so merged links compete fairly with 1-1 ones.
    """
    candidates = []
    for d, solution in enumerate(current.solutions):
        span = spans[d]
        for k, i, j in solution.steps:
            if k in shapes:
                a, b = BEAD_SHAPES[k]
                cost = current.scores.costs[k, _cell_index(current, d, i, j)] / (a + b)
                candidates.append((cost, list(range(span.source_start + i - a, span.source_start + i)),
                                   list(range(span.target_start + j - b, span.target_start + j))))
    candidates.sort(key=lambda candidate: candidate[0])
    keep = max(int(len(candidates) * fraction), min(len(candidates), 10))
    return [(source, target) for _, source, target in candidates[:keep]]


def _calibrate(scores: CellScores, cells: Cells, spans: Sequence[Span]) -> Calibration:
    """Fit the calibration on the pass's 1-1 cells: positives are each source sentence's
    most similar target, negatives the targets two or more away from it in the same row.

    Self-training, but robust: an earlier path as reference fared worse, as its errors and
    partial links blur what a translation looks like.
    """
    similarity = scores.similarity[_ONE_TO_ONE]
    length_z = scores.length_z[_ONE_TO_ONE]
    possible = scores.possible[_ONE_TO_ONE]
    positives, negatives, negative_z = [], [], []
    for d, span in enumerate(spans):
        lo, hi = cells.offsets[d], cells.offsets[d + 1]
        width = cells.widths[d]
        rows = span.source_count + 1
        block = np.where(possible[lo:hi], similarity[lo:hi], np.nan).reshape(rows, width)[1:]
        z_block = length_z[lo:hi].reshape(rows, width)[1:]
        columns = cells.j[lo:hi].reshape(rows, width)[1:]
        usable = ~np.all(np.isnan(block), axis=1)
        if not usable.any():
            continue
        block, columns, z_block = block[usable], columns[usable], z_block[usable]
        best = np.nanargmax(block, axis=1)
        best_column = columns[np.arange(len(block)), best]
        known = ~np.isnan(block)
        positives.append(block[(columns == best_column[:, None]) & known])
        far = (np.abs(columns - best_column[:, None]) >= 2) & known
        negatives.append(block[far])
        negative_z.append(z_block[far])
    if not positives:
        return Calibration()
    negative = np.concatenate(negatives)
    if len(negative) > _CALIBRATION_SAMPLE:  # plenty: a fixed sample keeps the fit cheap
        negative = np.random.default_rng(0).choice(negative, _CALIBRATION_SAMPLE, replace=False)
    positive = np.concatenate(positives)
    if len(positive) > _CALIBRATION_SAMPLE:
        positive = np.random.default_rng(1).choice(positive, _CALIBRATION_SAMPLE, replace=False)
    z = np.concatenate(negative_z)
    if len(z) > _CALIBRATION_SAMPLE:
        z = np.random.default_rng(2).choice(z, _CALIBRATION_SAMPLE, replace=False)
    return Calibration.fit(positive, negative, z)


def _shape_log_priors(solutions: Sequence[Solution], strength: float) -> tuple[float, ...]:
    """Shape frequencies of a pass, smoothed towards the default priors."""
    counts = np.zeros(len(BEAD_SHAPES))
    for solution in solutions:
        for k, _, _ in solution.steps:
            counts[k] += 1
    default = np.array([DEFAULT_SHAPE_PRIORS[shape] for shape in BEAD_SHAPES])
    smoothed = (counts + strength * default) / (counts.sum() + strength)
    return tuple(float(x) for x in np.log(smoothed))


def _path_points(solution: Solution) -> list[tuple[int, int]]:
    return [(0, 0)] + [(i, j) for _, i, j in solution.steps]


def _touches_edge(solution: Solution, band: Band, margin: int) -> bool:
    m = band.target_count
    if band.width >= m + 1:
        return False
    for _, i, j in solution.steps:
        if (band.lo[i] > 0 and j - band.lo[i] < margin) or (band.hi[i] < m and band.hi[i] - j < margin):
            return True
    return False


def _beads(solution: Solution, current: _Pass, document: int) -> list[Bead]:
    scores = current.scores
    beads = []
    for k, i, j in solution.steps:
        a, b = BEAD_SHAPES[k]
        confidence = 0.0
        if a and b:
            cell = _cell_index(current, document, i, j)
            evidence = (
                (a + b) / 2.0 * scores.model.calibration.log_likelihood_ratio(scores.similarity[k, cell])
                + scores.model.calibration.length_log_likelihood_ratio(scores.length_z[k, cell])
            )
            confidence = float(1.0 / (1.0 + np.exp(-np.clip(evidence, -30, 30))))
        beads.append(Bead(tuple(range(i - a, i)), tuple(range(j - b, j)), confidence))
    return beads


def align_corpus(
    pairs: Sequence[tuple[DocumentLike, DocumentLike]],
    *,
    source_lang: str,
    target_lang: str,
    lexicon: Lexicon | None = None,
) -> list[list[Bead]]:
    """Align many document pairs at once, sharing subwords and the learned translation table.

    Returns one list of beads per pair, covering every sentence exactly once, in order.
    """
    aligner = Aligner(source_lang=source_lang, target_lang=target_lang, lexicon=lexicon)
    return aligner.align_corpus(pairs).beads


def align(
    source: DocumentLike,
    target: DocumentLike,
    *,
    source_lang: str,
    target_lang: str,
    lexicon: Lexicon | None = None,
) -> list[Bead]:
    """Align one document pair; see `align_corpus` for batches (they learn more)."""
    return align_corpus([(source, target)], source_lang=source_lang, target_lang=target_lang,
                        lexicon=lexicon)[0]
