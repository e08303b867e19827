"""The tmserver/amaGama API that Virtaal, Weblate, Pootle and Okapi speak.

`GET /tmserver/<source>/<target>/unit/<text>` (or `.../unit/?source=TEXT`) answers a JSON list
`[{"source", "target", "quality", "rank"}]` as amaGama does: `quality` is the character-level
score, always a float, and the one `min_similarity` filters on and candidates are ordered by
(ties by `rank`), exactly as a scan of every unit would; `rank` is our similarity (101 in
context, 100 exact, 95-99 when only case, punctuation, spacing or numbers differ). Languages arrive as clients send
them (`fr`, `fr_CA`, `en_gb`, `en-US`); a pair we hold no memory for answers `200 []`, which is
how Weblate checks a service (it asks en->de). `max_candidates` is clamped at 30.
"""
from __future__ import annotations

from flask import Blueprint, Flask, current_app, request
from werkzeug.routing import PathConverter

from memories import repository
from memories.languages import normalise_tag, primary_language
from memories.matching import BY_QUALITY, DEFAULT_LIMIT, DEFAULT_MIN_SIMILARITY, MAX_LIMIT, Match
from tm_service import auth, matching, params
from tm_service.db import get_session

blueprint = Blueprint("tmserver", __name__, url_prefix="/tmserver")

MAX_CANDIDATES = MAX_LIMIT


class TextConverter(PathConverter):
    """The rest of the path, whatever it holds: a text may start with '/' or hold '//'."""

    regex = ".+"
    part_isolating = False  # it spans path segments


def init_app(app: Flask) -> None:
    app.url_map.converters["text"] = TextConverter
    app.register_blueprint(blueprint)


def lookup_params(p: params.Params, path: params.Params, text: str | None) -> dict:
    max_length = current_app.config["MAX_QUERY_LENGTH"]
    values = {
        "query": text if text is not None else p.text("source", required=True, max_length=max_length),
        "source_lang": path.language("source_lang", required=True),
        "target_lang": path.language("target_lang", required=True),
        "min_similarity": p.number("min_similarity", default=DEFAULT_MIN_SIMILARITY, minimum=0, maximum=100),
        "limit": p.integer("max_candidates", default=DEFAULT_LIMIT, minimum=1, clamp_to=MAX_CANDIDATES),
    }
    if text is not None and len(text) > max_length:
        path.fault("text", f"is longer than {max_length} characters ({len(text)})")
    elif text is not None and params.text_problem(text):
        path.fault("text", params.text_problem(text))
    path.languages_differ("target_lang", values["source_lang"], values["target_lang"])
    p.faults[:0] = path.faults  # one answer lists the path's faults and the query's
    p.check()
    return values


def candidate_of(match: Match) -> dict:
    return {"source": match.source, "target": match.target, "quality": round(float(match.quality), 2),
            "rank": float(match.similarity)}


def cached(body: object) -> tuple[object, dict[str, str]]:
    """Let clients keep an answer briefly; keyed reads stay out of shared caches."""
    visibility = "private" if current_app.config["READ_KEYS_REQUIRED"] else "public"
    return body, {"Cache-Control": f"{visibility}, max-age={int(current_app.config['TMSERVER_CACHE_SECONDS'])}"}


@blueprint.get("/<source_lang>/<target_lang>/unit/<text:text>", merge_slashes=False)
@blueprint.get("/<source_lang>/<target_lang>/unit/", defaults={"text": None}, strict_slashes=False)
def unit(source_lang: str, target_lang: str, text: str | None):
    path = params.Params({"source_lang": source_lang, "target_lang": target_lang}, "path")
    values = lookup_params(params.query(request), path, text)
    values["memory"] = auth.readable_memory(None, query_key=request.args.get("key"))
    return cached([candidate_of(match) for match in matching.suggest(**values, order=BY_QUALITY)])


def languages_held(memory_name: str | None) -> list[str]:
    """Every language a memory pairs, as bare codes (`fr`) and, for regional tags, as tmserver
    clients spell them (`fr_ca`); each serves as source and target, since units serve both ways."""
    codes: set[str] = set()
    for summary in repository.memory_summaries(get_session()):
        if memory_name is None or summary.name == memory_name:
            for tag in (summary.source_lang, summary.target_lang):
                codes.update({primary_language(tag), normalise_tag(tag).replace("-", "_").lower()})
    return sorted(codes)


@blueprint.get("/languages/", strict_slashes=False)
def languages():
    codes = languages_held(auth.readable_memory(None, query_key=request.args.get("key")))
    return cached({"sourceLanguages": codes, "targetLanguages": codes})
