"""Background word frequencies: a pseudo-count prior on the document frequencies behind idf
weights (additive smoothing of Spärck Jones' 1972 idf), so that a batch of a few sentences
still weighs "the" and "était" as the common words they are when it counts the word pairs of
a seed dictionary (hunalign's dictionary evidence, Varga et al. 2005)."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy as np

#: Sentences of ordinary text the prior stands for: it outweighs a batch of a few sentences
#: and fades in one of thousands.
BACKGROUND_SENTENCES = 100
#: Share of ordinary sentences a listed common word is taken to appear in.
COMMON_WORD_SHARE = 0.25
#: Lists of common words (closed-class words and the commonest verb forms), files under
#: alignment/data, one word a line.
BUNDLED_COMMON_WORDS = {"fr": "common-fr.txt", "en": "common-en.txt"}
_IDF_FLOOR = 0.1


@lru_cache(maxsize=None)
def common_words(lang: str) -> frozenset[str]:
    """The bundled common words of a language (a primary subtag: "fr", "en"); empty if none.

    >>> "the" in common_words("en"), "était" in common_words("fr"), common_words("de")
    (True, True, frozenset())
    """
    name = BUNDLED_COMMON_WORDS.get(lang)
    if name is None:
        return frozenset()
    text = (resources.files("alignment") / "data" / name).read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def idf(document_frequency: np.ndarray, row_count: int, background: np.ndarray | None = None) -> np.ndarray:
    """Inverse document frequency, smoothed; with each feature's `background` share of ordinary
    sentences, BACKGROUND_SENTENCES of ordinary text join the batch's own.

    >>> idf(np.array([1, 1]), 2).round(2).tolist()
    [0.51, 0.51]
    >>> idf(np.array([1, 1]), 2, np.array([COMMON_WORD_SHARE, 0.0])).round(2).tolist()
    [1.44, 4.04]
    """
    if background is None:
        return np.log((row_count + 1.0) / (document_frequency + 1.0)) + _IDF_FLOOR
    return np.log((row_count + 1.0 + BACKGROUND_SENTENCES)
                  / (document_frequency + 1.0 + BACKGROUND_SENTENCES * background)) + _IDF_FLOOR
