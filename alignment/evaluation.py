"""Measures of the splitter against known sentences: boundary precision and recall."""
from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from alignment.splitting import sentence_spans


@dataclass(frozen=True)
class BoundaryScores:
    """Boundary precision and recall of a splitter over paragraphs of known sentences."""

    precision: float
    recall: float
    paragraphs: int
    boundaries: int

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def boundary_scores(
    sentences: Sequence[str],
    lang: str,
    *,
    max_sentences: int = 6,
    seed: int = 0,
) -> BoundaryScores:
    """Join consecutive known sentences into paragraphs, split them again, count boundaries.

    Paragraphs take 1 to `max_sentences` sentences (random, reproducible with `seed`). A
    boundary is the character offset where a sentence starts, the paragraph's first excepted.
    """
    rng = random.Random(seed)
    true_positives = predicted = expected = paragraphs = 0
    position = 0
    clean = [" ".join(sentence.split()) for sentence in sentences if sentence.strip()]
    while position < len(clean):
        size = rng.randint(1, max_sentences)
        group = clean[position:position + size]
        position += size
        gold = set()
        offset = 0
        for sentence in group[:-1]:
            offset += len(sentence) + 1
            gold.add(offset)
        text = " ".join(group)
        found = {start for start, _ in sentence_spans(text, lang)[1:]}
        true_positives += len(found & gold)
        predicted += len(found)
        expected += len(gold)
        paragraphs += 1
    return BoundaryScores(
        precision=true_positives / predicted if predicted else 1.0,
        recall=true_positives / expected if expected else 1.0,
        paragraphs=paragraphs,
        boundaries=expected,
    )
