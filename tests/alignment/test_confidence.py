"""Confidence: links between translations score high, links the DP is forced to pick between
unrelated texts score low, whatever else is in the batch."""
from __future__ import annotations

import gzip
import json
from collections import defaultdict
from pathlib import Path

import pytest

from alignment import DEFAULT_MIN_SCORE, Bead, align, align_corpus, read_document

from .test_aligner import ENGLISH, FRENCH

UNRELATED_ENGLISH = """\
HALIFAX – The annual jazz festival opened on the waterfront on Friday evening.

Organizers expect more than ten thousand visitors over the weekend, many of them from out of town. Local restaurants have extended their hours for the occasion.

The headline concert features a quartet from Montreal and a choir of schoolchildren.

Tickets remain available at the door, and children under twelve enter free of charge.

Volunteers will run a shuttle between the parking lots and the main stage.

Rain is forecast for Sunday afternoon, but the festival tents are covered.
"""


def _stored_share(beads: list[Bead]) -> float:
    links = [bead for bead in beads if not bead.is_deletion]
    return sum(bead.score >= DEFAULT_MIN_SCORE for bead in links) / max(len(links), 1)


def test_small_unrelated_texts_are_not_stored() -> None:
    french = read_document(FRENCH, lang="fr")
    unrelated = read_document(UNRELATED_ENGLISH, lang="en")
    related = read_document(ENGLISH, lang="en")
    assert _stored_share(align(french, unrelated, source_lang="fr", target_lang="en")) == 0.0
    assert _stored_share(align(french, related, source_lang="fr", target_lang="en")) >= 0.8


def _news_by_year(shared_data: Path) -> dict[str, list[dict]]:
    by_source = defaultdict(list)
    with gzip.open(shared_data / "align-gold" / "synthetic-news-fr-en" / "dev.jsonl.gz", "rt",
                   encoding="utf-8") as lines:
        for line in lines:
            document = json.loads(line)
            by_source[document["source"]].append(document)
    return by_source


@pytest.fixture(scope="module")
def news(shared_data: Path) -> dict[str, list[dict]]:
    return _news_by_year(shared_data)


def test_unrelated_documents_score_low_in_any_batch(news: dict[str, list[dict]]) -> None:
    """French 2009 articles against English 2011 ones, alone, in a batch, and mixed in."""
    unrelated = [(a["fr"], b["en"]) for a, b in zip(news["newstest2009"][:40], news["newstest2011"])]
    real = [(d["fr"], d["en"]) for d in news["newstest2010"][:40]]
    only_unrelated = align_corpus(unrelated, source_lang="fr", target_lang="en")
    assert sum(_stored_share(beads) for beads in only_unrelated) / len(unrelated) < 0.02
    mixed = align_corpus(real + unrelated, source_lang="fr", target_lang="en")
    assert sum(_stored_share(beads) for beads in mixed[:len(real)]) / len(real) > 0.97
    assert sum(_stored_share(beads) for beads in mixed[len(real):]) / len(unrelated) < 0.02
    single = align(*unrelated[0], source_lang="fr", target_lang="en")
    assert _stored_share(single) < 0.1
    assert _stored_share(align(*real[0], source_lang="fr", target_lang="en")) > 0.9
