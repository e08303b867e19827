"""Fuzzy matches and concordance: GET /api/v1/suggest and GET /api/v1/concordance."""
from __future__ import annotations

from flask import Blueprint, current_app, request

from memories.matching import BY_SIMILARITY, DEFAULT_LIMIT, DEFAULT_MIN_SIMILARITY, MAX_LIMIT, ORDERS, SIGNATURE
from memories.matching.concordance import MAX_PHRASE_LENGTH
from memories.service import DEFAULT_SOURCE_LANG, DEFAULT_TARGET_LANG
from tm_service import auth, matching, params
from tm_service.api import API_PREFIX
from tm_service.db import get_session

blueprint = Blueprint("suggest", __name__, url_prefix=API_PREFIX)

MAX_PAGE = 1_000_000


def suggest_params(p: params.Params, *, query_name: str = "q") -> dict:
    """Read what a lookup needs; shared with the tmserver and MyMemory front ends' defaults."""
    max_length = current_app.config["MAX_QUERY_LENGTH"]
    values = {
        "query": p.text(query_name, required=True, max_length=max_length),
        "source_lang": p.language("source_lang", default=DEFAULT_SOURCE_LANG),
        "target_lang": p.language("target_lang", default=DEFAULT_TARGET_LANG),
        "memory": p.text("memory"),
        "min_similarity": p.number("min_similarity", default=DEFAULT_MIN_SIMILARITY, minimum=0, maximum=100),
        "limit": p.integer("limit", default=DEFAULT_LIMIT, minimum=1, clamp_to=MAX_LIMIT),
        "context": p.text("context", max_length=max_length, allow_blank=True),
        "order": p.choice("order", ORDERS, default=BY_SIMILARITY),
    }
    p.languages_differ("source_lang", values["source_lang"], values["target_lang"])
    p.check()
    return values


@blueprint.get("/suggest")
def suggest():
    values = suggest_params(params.query(request))
    values["memory"] = auth.readable_memory(values["memory"])
    matches = matching.suggest(**values)
    return {**values, "signature": SIGNATURE, "matches": [match.as_dict() for match in matches]}


def concordance_params(p: params.Params) -> dict:
    values = {
        "text": p.text("q", required=True, max_length=min(MAX_PHRASE_LENGTH, current_app.config["MAX_QUERY_LENGTH"])),
        "lang": p.language("lang", default=DEFAULT_SOURCE_LANG),
        "memory": p.text("memory"),
        "page": p.integer("page", default=1, minimum=1, maximum=MAX_PAGE),
        "page_size": p.integer("page_size", default=current_app.config["PAGE_SIZE"], minimum=1,
                               clamp_to=current_app.config["MAX_PAGE_SIZE"]),
    }
    p.check()
    return values


@blueprint.get("/concordance")
def concordance():
    values = concordance_params(params.query(request))
    values["memory"] = auth.readable_memory(values["memory"])
    page = matching.get_matcher().concordance(get_session(), **values)
    return {"query": values["text"], "lang": values["lang"], "memory": values["memory"], **page.as_dict()}
