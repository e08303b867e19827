"""Sentence alignment over HTTP: POST /api/v1/align, French and English texts in, scored pairs out.

With `memory`, the pairs are stored too, as one document (a second identical request adds
nothing); that needs a write key for the memory.
"""
from __future__ import annotations

from flask import Blueprint, current_app, request

import alignment
from memories import service
from tm_service import auth, params
from tm_service.api import API_PREFIX
from tm_service.db import get_session
from tm_service.ingest import align_texts

blueprint = Blueprint("align", __name__, url_prefix=API_PREFIX)

ALIGN_ORIGIN = "POST /api/v1/align"
MAX_TITLE_LENGTH = 300


def align_params(p: params.Params) -> dict:
    max_length = current_app.config["MAX_ALIGN_LENGTH"]
    p.only("source", "target", "source_lang", "target_lang", "kind", "min_score", "memory", "title")
    values = {
        "source": p.text("source", required=True, max_length=max_length),
        "target": p.text("target", required=True, max_length=max_length),
        "source_lang": p.language("source_lang", default=service.DEFAULT_SOURCE_LANG),
        "target_lang": p.language("target_lang", default=service.DEFAULT_TARGET_LANG),
        "kind": p.choice("kind", alignment.DOCUMENT_KINDS, default="auto"),
        "min_score": p.number("min_score", default=alignment.DEFAULT_MIN_SCORE, minimum=0, maximum=1),
        "memory": p.text("memory", max_length=100),
        "title": p.text("title", default="", max_length=MAX_TITLE_LENGTH, allow_blank=True),
    }
    p.languages_differ("target_lang", values["source_lang"], values["target_lang"])
    p.check()
    return values


def align_and_store(source: str, target: str, *, source_lang: str, target_lang: str, kind: str,
                    min_score: float, memory: str | None, title: str) -> dict:
    """Align the two texts; with `memory`, store the pairs as one document of it."""
    [result] = align_texts([(source, target)], source_lang=source_lang, target_lang=target_lang, kind=kind,
                           min_score=min_score)
    answer = {
        "source_lang": source_lang,
        "target_lang": target_lang,
        "pairs": [{"source": pair.source, "target": pair.target, "score": pair.score} for pair in result.pairs],
        "links_dropped": result.dropped,
        "stored": None,
    }
    if memory is None:
        return answer
    report = service.store_release(get_session(), memory, title=title or result.title, origin=ALIGN_ORIGIN,
                                   source_text=source, target_text=target, pairs=result.pairs,
                                   source_lang=source_lang, target_lang=target_lang)
    answer["stored"] = {"memory": memory, "already_stored": report is None,
                        "added": report.added if report else 0, "duplicates": report.duplicates if report else 0}
    return answer


@blueprint.post("/align")
def align():
    p = params.json_object(request)
    values = align_params(p)
    if values["memory"] is not None:
        auth.require_write(values["memory"])
    else:
        auth.readable_memory(None)
    return align_and_store(**values)
