"""Sentence and corpus scores from sacrebleu (Post, 2018), each with the signature behind it.

Sentence BLEU uses effective order (Lin & Och, 2004), as sacrebleu recommends for single
sentences; corpus BLEU keeps sacrebleu's defaults. chrF2++ is chrF with word bigrams
(Popović, 2017); TER follows Snover et al. (2006). Metric objects are built per call:
sacrebleu's metrics keep state while scoring, so they are not shared across threads.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sacrebleu.metrics import BLEU, CHRF, TER

METRICS = ("bleu", "chrf", "ter")
#: chrF2++: character n-grams plus word unigrams and bigrams.
CHRF_WORD_ORDER = 2


@dataclass(frozen=True, slots=True)
class Score:
    """A score in sacrebleu's own scale (BLEU and chrF 0-100, TER 0 and up; lower is better)."""

    score: float
    signature: str

    def as_dict(self) -> dict:
        return {"score": self.score, "signature": self.signature}


def sentence_metric(name: str):
    """Return a fresh sacrebleu metric configured for one segment."""
    if name == "bleu":
        return BLEU(effective_order=True)
    if name == "chrf":
        return CHRF(word_order=CHRF_WORD_ORDER)
    if name == "ter":
        return TER()
    raise ValueError(f"unknown metric {name!r}")


def corpus_metric(name: str):
    """Return a fresh sacrebleu metric configured for a whole draft."""
    if name == "bleu":
        return BLEU()
    return sentence_metric(name)


def sentence_scores(draft: str, references: Sequence[str], metrics: Sequence[str]) -> dict[str, Score]:
    """Score one draft segment against its references with each named metric."""
    out = {}
    for name in metrics:
        metric = sentence_metric(name)
        result = metric.sentence_score(draft, list(references))
        out[name] = Score(float(result.score), str(metric.get_signature()))
    return out


def corpus_scores(
    drafts: Sequence[str], references: Sequence[Sequence[str]], metrics: Sequence[str]
) -> dict[str, Score]:
    """Score the drafts that have references as one corpus.

    Segments may have different numbers of references: sacrebleu takes reference streams,
    so the shorter lists are padded with None, which it skips.
    """
    if not drafts:
        return {}
    width = max(len(refs) for refs in references)
    streams = [[refs[k] if k < len(refs) else None for refs in references] for k in range(width)]
    out = {}
    for name in metrics:
        metric = corpus_metric(name)
        result = metric.corpus_score(list(drafts), streams)
        out[name] = Score(float(result.score), str(metric.get_signature()))
    return out
