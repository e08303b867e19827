"""The MyMemory API that deep-translator, `translate` and many CAT plug-ins speak.

`GET /get?q=TEXT&langpair=fr|en` answers MyMemory's shape: `responseData.translatedText` (the
best match's target, with the query's numbers carried over when only they differ) and
`.match` (its similarity in 0-1), `responseStatus` 200, and `matches[]` best first. As on
the tmserver route, matches are those whose character-level `quality` reaches the default
threshold, ordered by quality (ties by similarity), exactly as a scan of every unit would.
`GET /set?seg=&tra=&langpair=&key=` stores a unit in the key's memory (or `memory=`).
Errors are problem+json like everywhere else: MyMemory's clients check the HTTP status.
"""
from __future__ import annotations

from datetime import datetime, timezone

from flask import Blueprint, current_app, request

from memories import service
from memories.matching import BY_QUALITY, DEFAULT_LIMIT, DEFAULT_MIN_SIMILARITY, Match
from memories.records import Segment, UnitRecord
from tm_service import auth, matching, params
from tm_service.db import get_session

blueprint = Blueprint("mymemory", __name__)

MAX_EMAIL_LENGTH = 200
_DATE_FORMAT = "%Y-%m-%d %H:%M:%S"


def language_pair(p: params.Params) -> tuple[str | None, str | None]:
    """Read `langpair=fr|en` (also `fr-FR|en-GB`) into two language tags."""
    pair = p.text("langpair", required=True)
    if pair is None:
        return None, None
    source, bar, target = pair.partition("|")
    if not bar:
        p.fault("langpair", "must be two language tags joined by '|', as in fr|en", params.MALFORMED)
        return None, None
    tags = params.Params({"langpair": source}, p.location), params.Params({"langpair": target}, p.location)
    source_lang, target_lang = (tags[0].language("langpair"), tags[1].language("langpair"))
    p.faults.extend(tags[0].faults + tags[1].faults)
    p.languages_differ("langpair", source_lang, target_lang)
    return source_lang, target_lang


def _date(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime(_DATE_FORMAT)


def match_of(match: Match) -> dict:
    return {
        "id": str(match.unit_id),
        "segment": match.source,
        "translation": match.target,
        "source": match.source_lang,
        "target": match.target_lang,
        "quality": round(match.quality),
        "match": round(min(match.similarity, 100.0) / 100, 2),
        "created-by": match.creator or "",
        "create-date": _date(match.created_at),
        "last-update-date": _date(match.changed_at),
        "usage-count": 0,
        "reference": match.document.title if match.document else None,
    }


def answer(matches: list[Match]) -> dict:
    best = matches[0] if matches else None
    return {
        "responseData": {
            "translatedText": (best.repaired_target or best.target) if best else "",
            "match": round(min(best.similarity, 100.0) / 100, 2) if best else 0,
        },
        "responseStatus": 200,
        "responseDetails": "" if best else "NO MATCH FOUND",
        "quotaFinished": False,
        "mtLangSupported": None,
        "responderId": None,
        "exception_code": None,
        "matches": [match_of(match) for match in matches],
    }


@blueprint.get("/get")
def get():
    p = params.query(request)
    query = p.text("q", required=True, max_length=current_app.config["MAX_QUERY_LENGTH"])
    source_lang, target_lang = language_pair(p)
    p.check()
    memory = auth.readable_memory(None, query_key=request.args.get("key"))
    matches = matching.suggest(query, source_lang=source_lang, target_lang=target_lang, memory=memory,
                               min_similarity=DEFAULT_MIN_SIMILARITY, limit=DEFAULT_LIMIT, order=BY_QUALITY)
    return answer(matches)


def unit_to_set(p: params.Params) -> UnitRecord:
    segment = p.text("seg", required=True, max_length=service.MAX_TEXT_LENGTH)
    translation = p.text("tra", required=True, max_length=service.MAX_TEXT_LENGTH)
    source_lang, target_lang = language_pair(p)
    creator = p.text("de", max_length=MAX_EMAIL_LENGTH, allow_blank=True)
    p.check()
    return UnitRecord(Segment(source_lang, segment), Segment(target_lang, translation), creator=creator,
                      origin="manual")


@blueprint.get("/set")
def set_unit():
    key = request.args.get("key")
    memory = auth.memory_to_write(request.args.get("memory") or None, query_key=key)
    auth.require_write(memory, query_key=key)
    [unit_id] = service.add_units(get_session(), memory, [unit_to_set(params.query(request))])
    return {"responseData": "OK", "responseStatus": 200, "responseDetails": "", "id": unit_id}
