"""Link confidence: how far a link, and the links around it, stand out from the links the DP
picks between texts known to be unrelated (a permutation-style null, as in significance
testing), measured on evidence no table learned from the batch."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from alignment.beads import BEAD_SHAPES, Bead
from alignment.dp import Band
from alignment.passes import Pass, run_fixed_pass
from alignment.calibration import Calibration
from alignment.scoring import BatchEvidence, CostModel, LengthModel, Span, bead_similarity

#: Source sentences of unrelated text pairs aligned to learn what chance links look like.
NULL_SENTENCES = 3000
#: Significance (-log10 of the share of null links at least as similar) below which a link
#: looks like chance: 1 means one null link in ten does as well.
CHANCE_SIGNIFICANCE = 1.0
#: Log-odds per unit of significance above (below) chance: for the link, for its context.
OWN_SLOPE = 1.5
CONTEXT_SLOPE = 3.0
#: Links either side whose significance makes a link's context.
CONTEXT_LINKS = 15
#: Highest prior log-odds a link gets from its context: in documents that are translations of
#: each other the path is right about nine times in ten (news and novels alike).
CONFIDENCE_PRIOR_LOG_ODDS = float(np.log(9.0))
CONTEXT_FLOOR = -6.0
#: Prior log-odds of a link in a text too short to measure chance on (a few sentences).
SMALL_TEXT_PRIOR_LOG_ODDS = float(np.log(3.0))
_MIN_NULL_LINKS = 10
_MIN_NULL_HALF = 6


def null_similarities(evidence: BatchEvidence, unlearned: BatchEvidence, spans: Sequence[Span],
                      length_model: LengthModel, model: CostModel, half_width: int) -> np.ndarray:
    """Unlearned similarities (sorted) of the links the DP picks between unrelated texts.

    Each sampled document's source is aligned with the next document's target (a lone
    document: its first half with its target's second half, and the converse), with the
    evidence and costs of the real pass. What these links reach is what chance reaches once
    the DP has chosen the best of many pairs.
    """
    null_spans, ratios = _null_spans(spans, length_model.ratios)
    if not null_spans:
        return np.zeros(0)
    bands = [Band.diagonal(s.source_count, s.target_count, half_width) for s in null_spans]
    null = run_fixed_pass(evidence, null_spans, bands,
                          LengthModel(np.asarray(ratios), length_model.variance), model)
    return np.sort(unlearned_similarity(null, null_spans, unlearned)[1])


def known_translation_calibration(evidence: BatchEvidence, unlearned: BatchEvidence,
                                  spans: Sequence[Span], length_model: LengthModel,
                                  model: CostModel, half_width: int) -> Calibration:
    """Calibrate unlearned similarity on document pairs whose translations are known (sentence
    k of each source is sentence k of its target, as in the null texts): their sentence
    pairs against the links the DP picks between unrelated ones of them.

    Both sides are what a small batch cannot show by itself: true links, and chance links
    picked as the best of many (random pairs would be far less alike). `length_model` holds
    one ratio per span given.
    """
    chance = null_similarities(evidence, unlearned, spans, length_model, model, half_width)
    sources = np.concatenate([np.arange(s.source_start, s.source_start + s.source_count) for s in spans])
    targets = np.concatenate([np.arange(s.target_start, s.target_start + s.target_count) for s in spans])
    translations = bead_similarity(unlearned.source_vectors, unlearned.target_vectors,
                                   np.stack([sources, sources + 1], axis=1),
                                   np.stack([targets, targets + 1], axis=1))
    return Calibration.fit(translations, chance, np.zeros(0))


def beads_with_confidence(current: Pass, spans: Sequence[Span], unlearned: BatchEvidence,
                          null_similarity: np.ndarray,
                          calibration: Calibration = Calibration()) -> list[list[Bead]]:
    """Turn the pass's paths into beads, each link with its confidence in [0, 1].

    The confidence is the log-odds sum of three pieces of evidence, all on the unlearned
    similarity (a table trained on the batch's links makes those very links look alike,
    even between unrelated texts) and measured against the null links:
    - the link's own significance: the share of null links at least as similar;
    - its length agreement, only when it disagrees: the DP picks pairs of matching lengths
      even between unrelated texts, so agreement proves little;
    - its context: the significance of the neighbouring links (CONTEXT_LINKS either side).
      Among links that all stand out, a weak one is probably right; between unrelated
      documents, where the DP can only pick the least bad pairs, nothing is.
    Without enough null links (a small batch), the link's similarity through `calibration`
    (fitted by `known_translation_calibration` where null texts were aligned with the batch,
    else default constants) stands in for its significance, and the median of its
    neighbours' for the context (a modest prior in a text of one or two links). Deletions
    score 0.
    """
    document, k, i, j, cell = current.steps
    shapes = np.array(BEAD_SHAPES)
    a, b = shapes[k, 0], shapes[k, 1]
    linked, linked_similarity = unlearned_similarity(current, spans, unlearned)
    similarity = np.zeros(len(k))
    similarity[linked] = linked_similarity
    if len(null_similarity) < _MIN_NULL_LINKS:
        own = (a + b) / 2.0 * calibration.log_likelihood_ratio(similarity)
        # Already log-odds: a context of links below even odds is one of unrelated texts.
        context = _context_log_odds(document, linked, own, slope=1.0, chance=0.0,
                                    few_links=SMALL_TEXT_PRIOR_LOG_ODDS)
    else:
        significance = -np.log10(_share_at_least(null_similarity, similarity))
        own = OWN_SLOPE * (significance - CHANCE_SIGNIFICANCE)
        context = _context_log_odds(document, linked, significance, slope=CONTEXT_SLOPE,
                                    chance=CHANCE_SIGNIFICANCE, few_links=0.0)
    length_z = current.scores.length_z[k, cell].astype(np.float64)
    length = np.minimum(current.scores.model.calibration.length_log_likelihood_ratio(length_z), 0.0)
    log_odds = np.clip(context + own + length, -30.0, 30.0)
    confidence = np.where(linked, 1.0 / (1.0 + np.exp(-log_odds)), 0.0)
    beads: list[list[Bead]] = [[] for _ in range(len(current.solutions))]
    for d, size_a, size_b, end_i, end_j, score in zip(
        document.tolist(), a.tolist(), b.tolist(), i.tolist(), j.tolist(), confidence.tolist()
    ):
        beads[d].append(Bead(tuple(range(end_i - size_a, end_i)), tuple(range(end_j - size_b, end_j)), score))
    return beads


def unlearned_similarity(current: Pass, spans: Sequence[Span],
                         unlearned: BatchEvidence) -> tuple[np.ndarray, np.ndarray]:
    """Which beads of a pass link sentences (a mask), and those links' unlearned similarity."""
    document, k, i, j, _ = current.steps
    shapes = np.array(BEAD_SHAPES)
    a, b = shapes[k, 0], shapes[k, 1]
    linked = (a > 0) & (b > 0)
    source_end = np.array([s.source_start for s in spans], dtype=np.int64)[document] + i
    target_end = np.array([s.target_start for s in spans], dtype=np.int64)[document] + j
    similarity = bead_similarity(
        unlearned.source_vectors, unlearned.target_vectors,
        np.stack([source_end - a, source_end], axis=1)[linked],
        np.stack([target_end - b, target_end], axis=1)[linked],
    )
    return linked, similarity


def _null_spans(spans: Sequence[Span], ratios: np.ndarray) -> tuple[list[Span], list[float]]:
    """Pairs of unrelated texts for the null links, about NULL_SENTENCES source sentences."""
    if len(spans) >= 2:
        null_spans, null_ratios = [], []
        budget = NULL_SENTENCES
        step = max(1, len(spans) // max(1, min(len(spans), NULL_SENTENCES // 20)))
        for d in range(0, len(spans), step):
            source, target = spans[d], spans[(d + 1) % len(spans)]
            null_spans.append(Span(source.source_start, source.source_count,
                                   target.target_start, target.target_count))
            null_ratios.append(float(ratios[d]))
            budget -= source.source_count
            if budget <= 0:
                break
        return null_spans, null_ratios
    span = spans[0]
    half_source, half_target = span.source_count // 2, span.target_count // 2
    if min(half_source, half_target) < _MIN_NULL_HALF:
        return [], []
    return [
        Span(span.source_start, half_source, span.target_start + half_target,
             span.target_count - half_target),
        Span(span.source_start + half_source, span.source_count - half_source,
             span.target_start, half_target),
    ], [float(ratios[0])] * 2


def _share_at_least(null_similarity: np.ndarray, similarity: np.ndarray) -> np.ndarray:
    """Smoothed share of null links at least as similar: never 0, however far beyond."""
    beyond = len(null_similarity) - np.searchsorted(null_similarity, similarity, side="left")
    return (beyond + 0.5) / (len(null_similarity) + 1.0)


def _context_log_odds(document: np.ndarray, linked: np.ndarray, evidence: np.ndarray, *,
                      slope: float, chance: float, few_links: float) -> np.ndarray:
    """Prior log-odds of each link from its neighbours' median evidence (`few_links` in a
    document of fewer than three links)."""
    context = np.zeros(len(document))
    for d in np.unique(document):
        rows = np.flatnonzero((document == d) & linked)
        if len(rows) < 3:
            context[rows] = few_links
            continue
        padded = np.concatenate([np.full(CONTEXT_LINKS, np.nan), evidence[rows],
                                 np.full(CONTEXT_LINKS, np.nan)])
        windows = np.lib.stride_tricks.sliding_window_view(padded, 2 * CONTEXT_LINKS + 1)
        local = np.nanmedian(windows, axis=1)
        context[rows] = np.clip(slope * (local - chance), CONTEXT_FLOOR, CONFIDENCE_PRIOR_LOG_ODDS)
    return context
