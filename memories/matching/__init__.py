"""Fuzzy matching and concordance over the translation memory (no Flask).

>>> from memories.matching import Matcher          # one per worker process  # doctest: +SKIP
>>> matcher.suggest(session, "Le projet coûte 89,2 millions de dollars.",  # doctest: +SKIP
...                 source_lang="fr", target_lang="en")
"""
from __future__ import annotations

from memories.matching.concordance import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    ConcordanceHit,
    ConcordancePage,
)
from memories.matching.diff import DiffSpan
from memories.matching.matcher import (
    BY_QUALITY,
    BY_SIMILARITY,
    DEFAULT_LIMIT,
    DEFAULT_MIN_SIMILARITY,
    MAX_LIMIT,
    ORDERS,
    DocumentRef,
    ExhaustiveMatcher,
    Match,
    Matcher,
)
from memories.matching.repair import Repair
from memories.matching.scores import BANDS, BELOW_BANDS, SIGNATURE, band, quality, similarity

__all__ = [
    "BANDS",
    "BY_QUALITY",
    "BY_SIMILARITY",
    "ORDERS",
    "BELOW_BANDS",
    "DEFAULT_LIMIT",
    "DEFAULT_MIN_SIMILARITY",
    "DEFAULT_PAGE_SIZE",
    "MAX_LIMIT",
    "MAX_PAGE_SIZE",
    "SIGNATURE",
    "ConcordanceHit",
    "ConcordancePage",
    "DiffSpan",
    "DocumentRef",
    "ExhaustiveMatcher",
    "Match",
    "Matcher",
    "Repair",
    "band",
    "quality",
    "similarity",
]
