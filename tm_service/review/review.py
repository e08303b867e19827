"""Review a draft segment by segment: find references, score with sacrebleu, flag what strays."""
from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

import alignment
from memories import repository
from memories.languages import primary_language
from memories.matching import MAX_LIMIT, Matcher
from memories.normalise import normalise_text
from tm_service.review.flags import (
    LENGTH_RATIO_MIN_CHARS, Flag, LengthProfile, consistency_flags, segment_flags,
)
from tm_service.review.metrics import METRICS, Score, corpus_scores, sentence_scores

#: A memory match at or above this similarity serves as a reference.
DEFAULT_MIN_SIMILARITY = 75
#: Fewer stored units than this and the memory says nothing reliable about length ratios.
MIN_PROFILE_UNITS = 50


@dataclass(frozen=True, slots=True)
class SegmentInput:
    """A source segment and its draft; `reference` when the reviewer supplies one."""

    source: str
    draft: str
    reference: str | None = None
    pairing: dict | None = None


@dataclass(frozen=True, slots=True)
class References:
    texts: tuple[str, ...] = ()
    origin: str = "none"
    similarity: float | None = None
    unit_ids: tuple[int, ...] = ()
    memory: str | None = None

    @property
    def exact(self) -> bool:
        return self.origin == "memory" and self.similarity is not None and self.similarity >= 100


@dataclass(frozen=True, slots=True)
class SegmentReview:
    source: str
    draft: str
    references: References
    scores: dict[str, Score]
    flags: tuple[Flag, ...]
    pairing: dict | None = None

    def as_dict(self) -> dict:
        out = {
            "source": self.source,
            "draft": self.draft,
            "references": list(self.references.texts),
            "reference_origin": self.references.origin,
            "match_similarity": self.references.similarity,
            "reference_unit_ids": list(self.references.unit_ids),
            "reference_memory": self.references.memory,
        }
        for name in METRICS:
            score = self.scores.get(name)
            out[name] = score.as_dict() if score else None
        out["flags"] = [flag.as_dict() for flag in self.flags]
        if self.pairing is not None:
            out["pairing"] = self.pairing
        return out


@dataclass(frozen=True, slots=True)
class Review:
    source_lang: str
    target_lang: str
    metrics: tuple[str, ...]
    min_similarity: float
    corpus: dict[str, Score]
    segments: list[SegmentReview]
    timings: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "source_lang": self.source_lang,
            "target_lang": self.target_lang,
            "metrics": list(self.metrics),
            "min_similarity": self.min_similarity,
            "corpus": {name: score.as_dict() for name, score in self.corpus.items()},
            "segments": [segment.as_dict() for segment in self.segments],
            "summary": self.summary(),
        }

    def summary(self) -> dict:
        counts: dict[str, int] = {}
        for segment in self.segments:
            for flag in segment.flags:
                counts[flag.code] = counts.get(flag.code, 0) + 1
        return {
            "segments": len(self.segments),
            "with_reference": sum(1 for s in self.segments if s.references.texts),
            "flagged": sum(1 for s in self.segments if s.flags),
            "flags": counts,
        }


def review_segments(
    session: Session,
    matcher: Matcher,
    segments: Sequence[SegmentInput],
    *,
    source_lang: str,
    target_lang: str,
    memory: str | None = None,
    metrics: Sequence[str] = METRICS,
    min_similarity: float = DEFAULT_MIN_SIMILARITY,
    unpaired: Sequence[int] = (),
) -> Review:
    """Review paired segments; `unpaired` lists positions the aligner could not pair."""
    started = time.perf_counter()
    references = [
        _given(segment) or _from_memory(session, matcher, segment.source, source_lang, target_lang, memory, min_similarity)
        for segment in segments
    ]
    profile = length_profile(session, source_lang, target_lang, memory)
    looked_up = time.perf_counter()
    consistency = consistency_flags([s.source for s in segments], [s.draft for s in segments])
    reviews = []
    for index, (segment, refs) in enumerate(zip(segments, references)):
        if index in unpaired:
            side = "draft" if not segment.source.strip() else "source"
            reviews.append(SegmentReview(segment.source, segment.draft, refs, {}, (Flag("unpaired", f"this {side} sentence has no counterpart"),), segment.pairing))
            continue
        flags = segment_flags(
            segment.source, segment.draft, source_lang=source_lang, target_lang=target_lang,
            exact_references=refs.texts if refs.exact else (), profile=profile,
        )
        if index in consistency:
            flags.append(consistency[index])
        scores = sentence_scores(segment.draft, refs.texts, metrics) if refs.texts else {}
        reviews.append(SegmentReview(segment.source, segment.draft, refs, scores, tuple(flags), segment.pairing))
    scored = [r for r in reviews if r.references.texts and r.scores]
    corpus = corpus_scores([r.draft for r in scored], [r.references.texts for r in scored], metrics)
    finished = time.perf_counter()
    timings = {"lookup_seconds": looked_up - started, "scoring_seconds": finished - looked_up}
    return Review(source_lang, target_lang, tuple(metrics), min_similarity, corpus, reviews, timings)


def length_profile(session: Session, source_lang: str, target_lang: str, memory: str | None) -> LengthProfile | None:
    """Learn how long translations run for this pair from the memory's own units."""
    memories = repository.memories_for_pair(session, source_lang, target_lang)
    if memory is not None:
        memories = [(m, reversed_) for m, reversed_ in memories if m.name == memory]
    if not memories:
        return None
    lengths = repository.unit_lengths(
        session, [m.id for m, _ in memories], reversed_ids=frozenset(m.id for m, r in memories if r)
    )
    usable = [(s, t) for s, t in lengths if s >= LENGTH_RATIO_MIN_CHARS and t > 0]
    if len(usable) < MIN_PROFILE_UNITS:
        return None
    return LengthProfile.fit(usable)


def _given(segment: SegmentInput) -> References | None:
    if segment.reference and segment.reference.strip():
        return References((segment.reference,), "given")
    return None


def _from_memory(session, matcher, source, source_lang, target_lang, memory, min_similarity) -> References:
    """All stored translations of the closest stored source, if it is close enough."""
    if not source.strip():
        return References()
    matches = matcher.suggest(
        session, source, source_lang=source_lang, target_lang=target_lang, memory=memory,
        min_similarity=min_similarity, limit=MAX_LIMIT,
    )
    if not matches:
        return References()
    best = matches[0]
    key = normalise_text(best.source)
    same_source = [m for m in matches if normalise_text(m.source) == key]
    texts = tuple(dict.fromkeys(m.target for m in same_source))
    return References(texts, "memory", min(best.similarity, 100.0), tuple(m.unit_id for m in same_source), best.memory)


def pair_documents(
    source_document: str, draft_document: str, *, source_lang: str, target_lang: str
) -> tuple[list[SegmentInput], list[int]]:
    """Split and align two whole documents; return segments in order and the unpaired positions.

    Each segment carries its pairing (sentence indices on both sides, link kind, confidence)
    so the reviewer can see how the draft was cut.
    """
    source = alignment.read_document(source_document, kind="auto", lang=primary_language(source_lang))
    draft = alignment.read_document(draft_document, kind="auto", lang=primary_language(target_lang))
    beads = alignment.align(source, draft, source_lang=primary_language(source_lang), target_lang=primary_language(target_lang))
    segments, unpaired = [], []
    for bead in beads:
        if bead.is_deletion:
            unpaired.append(len(segments))
        segments.append(
            SegmentInput(
                " ".join(source.sentences[i] for i in bead.source_indices),
                " ".join(draft.sentences[j] for j in bead.target_indices),
                pairing={
                    "source_sentences": list(bead.source_indices),
                    "draft_sentences": list(bead.target_indices),
                    "link": bead.kind,
                    "alignment_score": round(bead.score, 4),
                },
            )
        )
    return segments, unpaired


def review_documents(
    session: Session,
    matcher: Matcher,
    source_document: str,
    draft_document: str,
    *,
    source_lang: str,
    target_lang: str,
    **options,
) -> Review:
    """Align two whole documents with our aligner, then review the pairs."""
    segments, unpaired = pair_documents(source_document, draft_document, source_lang=source_lang, target_lang=target_lang)
    return review_segments(
        session, matcher, segments, source_lang=source_lang, target_lang=target_lang, unpaired=unpaired, **options
    )
