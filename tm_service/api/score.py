"""Reviewing a draft over HTTP: POST /api/v1/score, segments or whole documents in, scores and flags out."""
from __future__ import annotations

from flask import Blueprint, current_app, request

from memories.service import DEFAULT_SOURCE_LANG, DEFAULT_TARGET_LANG
from tm_service import auth, matching, params
from tm_service.api import API_PREFIX
from tm_service.db import get_session
from tm_service.review.metrics import METRICS
from tm_service.review.review import DEFAULT_MIN_SIMILARITY, SegmentInput, review_documents, review_segments

blueprint = Blueprint("score", __name__, url_prefix=API_PREFIX)

#: Most segments one request may score.
MAX_SEGMENTS = 5000


def score_params(p: params.Params) -> dict:
    config = current_app.config
    p.only("source_lang", "target_lang", "memory", "metrics", "min_similarity", "segments", "source_document",
           "draft_document")
    values = {
        "source_lang": p.language("source_lang", default=DEFAULT_SOURCE_LANG),
        "target_lang": p.language("target_lang", default=DEFAULT_TARGET_LANG),
        "memory": p.text("memory", max_length=100),
        "metrics": _metrics(p),
        "min_similarity": p.number("min_similarity", default=DEFAULT_MIN_SIMILARITY, minimum=0, maximum=100),
    }
    p.languages_differ("target_lang", values["source_lang"], values["target_lang"])
    has_segments = p.source.get("segments") is not None
    has_documents = p.source.get("source_document") is not None or p.source.get("draft_document") is not None
    if has_segments == has_documents:
        p.fault("segments", "give either segments, or source_document and draft_document", params.MISSING)
    elif has_segments:
        values["segments"] = _segments(p, config["MAX_QUERY_LENGTH"] * 5)
    else:
        values["source_document"] = p.text("source_document", required=True, max_length=config["MAX_ALIGN_LENGTH"])
        values["draft_document"] = p.text("draft_document", required=True, max_length=config["MAX_ALIGN_LENGTH"],
                                          allow_blank=True)
    p.check()
    return values


def _metrics(p: params.Params) -> tuple[str, ...]:
    chosen = p.source.get("metrics", list(METRICS))
    if not isinstance(chosen, list) or not chosen or not all(isinstance(name, str) for name in chosen):
        p.fault("metrics", f"must be a non-empty list drawn from {', '.join(METRICS)}", params.MALFORMED)
        return METRICS
    unknown = sorted(set(chosen) - set(METRICS))
    if unknown:
        p.fault("metrics", f"unknown metric(s) {', '.join(unknown)}; choose from {', '.join(METRICS)}")
        return METRICS
    return tuple(name for name in METRICS if name in chosen)


def _segments(p: params.Params, max_length: int) -> list[SegmentInput]:
    raw = p.source["segments"]
    if not isinstance(raw, list) or not raw:
        p.fault("segments", "must be a non-empty list of objects", params.MALFORMED)
        return []
    if len(raw) > MAX_SEGMENTS:
        p.fault("segments", f"holds {len(raw)} segments; at most {MAX_SEGMENTS}")
        return []
    segments = []
    for number, item in enumerate(raw):
        if not isinstance(item, dict):
            p.fault(f"segments[{number}]", "must be an object", params.MALFORMED)
            continue
        fields = params.Params(item, "body")
        source = fields.text("source", required=True, max_length=max_length)
        draft = fields.text("draft", required=True, max_length=max_length, allow_blank=True)
        reference = fields.text("reference", max_length=max_length, allow_blank=True)
        extra = sorted(set(item) - {"source", "draft", "reference"})
        if extra:
            fields.fault(", ".join(extra), "unknown field(s)")
        for kind, fault in fields.faults:
            p.fault(f"segments[{number}].{fault['name']}", fault["detail"], kind)
        segments.append(SegmentInput(source or "", draft or "", reference))
    return segments


@blueprint.post("/score")
def score():
    values = score_params(params.json_object(request))
    values["memory"] = auth.readable_memory(values["memory"])
    session, matcher = get_session(), matching.get_matcher()
    if "segments" in values:
        review = review_segments(session, matcher, **values)
    else:
        review = review_documents(session, matcher, values.pop("source_document"), values.pop("draft_document"), **values)
    return review.as_dict()
