"""The OpenAPI 3.1 document of every route, as data built from the same constants as the views,
plus `GET /openapi.json` and the page that renders it, `GET /docs`.

`tests/tm_service/test_openapi.py` checks that every route of the app is here with its methods
and path parameters, that the document is valid OpenAPI 3.1, and that real answers match the
schemas documented for their status.
"""
from __future__ import annotations

from collections.abc import Mapping
from importlib import resources

from flask import Blueprint, Flask, Response, current_app

import alignment
from memories import transfer
from memories.languages import MAX_TAG_LENGTH
from memories.matching import BANDS, BELOW_BANDS, BY_SIMILARITY, DEFAULT_LIMIT, DEFAULT_MIN_SIMILARITY, MAX_LIMIT, ORDERS
from memories.matching.concordance import MAX_PHRASE_LENGTH
from memories.models import ORIGINS
from memories.service import DEFAULT_SOURCE_LANG, DEFAULT_TARGET_LANG, MAX_TEXT_LENGTH
from tm_service.api import API_PREFIX
from tm_service.api.align import MAX_TITLE_LENGTH
from tm_service.api.memories import MAX_DESCRIPTION_LENGTH
from tm_service.api.transfer import UPLOAD_FIELD
from tm_service.api.suggest import MAX_PAGE
from tm_service.api.score import MAX_SEGMENTS
from tm_service.api.units import MAX_CREATOR_LENGTH, MAX_UNITS_PER_REQUEST
from tm_service.auth import KEY_HEADER
from tm_service.compat.tmserver import MAX_CANDIDATES
from tm_service.errors import PROBLEM_MEDIA_TYPE
from tm_service.limits import MAX_HEADER_BYTES, MAX_URL_BYTES
from tm_service.params import LANGUAGE_TAG_PATTERN, MAX_ID, TEXT_PATTERN
from tm_service.review.flags import FLAG_CODES
from tm_service.review.metrics import METRICS
from tm_service.review.review import DEFAULT_MIN_SIMILARITY as REVIEW_MIN_SIMILARITY

blueprint = Blueprint("openapi", __name__)

OPENAPI_VERSION = "3.1.0"
API_VERSION = "1.0.0"
JSON = "application/json"

# -- building blocks ------------------------------------------------------------------------

_RESPONSE_NAMES = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    409: "Conflict",
    413: "ContentTooLarge",
    414: "URITooLong",
    415: "UnsupportedMediaType",
    431: "RequestHeaderFieldsTooLarge",
    422: "UnprocessableContent",
    429: "TooManyRequests",
    500: "InternalServerError",
    503: "ServiceUnavailable",
}
READ_SECURITY = [{}, {"bearer": []}, {"apiKey": []}]
WRITE_SECURITY = [{"bearer": []}, {"apiKey": []}]
COMPAT_READ_SECURITY = [{}, {"bearer": []}, {"apiKey": []}, {"keyQuery": []}]
COMPAT_WRITE_SECURITY = [{"keyQuery": []}, {"bearer": []}, {"apiKey": []}]


NOT_BLANK = r"\S"
MEMORY_NAME_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$"  # as memories.service checks
_BARE_TAG = LANGUAGE_TAG_PATTERN.strip("^$")


def language(default: str | None = None, description: str = "") -> dict:
    """A language tag as clients send them: `fr`, `fr_CA`, `en-GB`."""
    spec: dict = {"type": "string", "pattern": LANGUAGE_TAG_PATTERN, "maxLength": MAX_TAG_LENGTH}
    if default is not None:
        spec["default"] = default
    if description:
        spec["description"] = description
    return spec


def text(max_length: int, *, stored: bool = False, description: str = "") -> dict:
    """A text that is not blank; a `stored` one may hold no control character but tab and newlines."""
    spec: dict = {"type": "string", "minLength": 1, "maxLength": max_length,
                  "pattern": TEXT_PATTERN if stored else NOT_BLANK}
    if description:
        spec["description"] = description
    return spec


def optional(spec: dict) -> dict:
    """An optional body field: null means the same as leaving it out."""
    kinds = spec.get("type")
    if isinstance(kinds, str):
        spec = {**spec, "type": [kinds, "null"]}
        if "enum" in spec:
            spec["enum"] = [*spec["enum"], None]
        return spec
    return {"anyOf": [spec, {"type": "null"}]}


def ref(kind: str, name: str) -> dict:
    return {"$ref": f"#/components/{kind}/{name}"}


def schema(name: str) -> dict:
    return ref("schemas", name)


def nullable(kind: str, **extra: object) -> dict:
    return {"type": [kind, "null"], **extra}


def json_content(body_schema: dict) -> dict:
    return {JSON: {"schema": body_schema}}


def answer(status: int, description: str, body_schema: dict | None = None, headers: dict | None = None,
           content: dict | None = None) -> dict:
    response: dict = {"description": description}
    if body_schema is not None:
        response["content"] = json_content(body_schema)
    if content is not None:
        response["content"] = content
    if headers:
        response["headers"] = headers
    return {str(status): response}


def problems(*codes: int) -> dict:
    """The error answers an operation gives, by reference; every operation may answer 414 (a URL
    past the limit), 431 (a header past gunicorn's limit), 500, and 503 (the database busy or away)."""
    return {str(code): ref("responses", _RESPONSE_NAMES[code]) for code in sorted({*codes, 414, 431, 500, 503})}


def query_parameter(name: str, description: str, param_schema: dict, *, required: bool = False) -> dict:
    """A query parameter; an optional one sent empty (`memory=`) means the same as leaving it out."""
    spec = {"name": name, "in": "query", "required": required, "description": description, "schema": param_schema}
    if not required:
        spec["allowEmptyValue"] = True
    return spec


def path_parameter(name: str, description: str, param_schema: dict | None = None) -> dict:
    return {"name": name, "in": "path", "required": True, "description": description,
            "schema": param_schema or {"type": "string"}}


def operation(operation_id: str, summary: str, tag: str, responses: dict, *, description: str = "",
              parameters: list | None = None, body: dict | None = None, security: list | None = None) -> dict:
    spec: dict = {"operationId": operation_id, "summary": summary, "tags": [tag]}
    if description:
        spec["description"] = description
    if parameters:
        spec["parameters"] = parameters
    if body is not None:
        spec["requestBody"] = body
    spec["responses"] = responses
    spec["security"] = security if security is not None else READ_SECURITY
    return spec


def json_body(body_schema: dict, description: str = "") -> dict:
    return {"required": True, "description": description, "content": json_content(body_schema)}


# -- the document ---------------------------------------------------------------------------


#: Endpoints of the web page (tm_service.web), documented when the app serves them.
PAGE_ENDPOINT, STATIC_ENDPOINT = "web.index", "web.static"


def build_document(config: Mapping[str, object], endpoints: frozenset[str] = frozenset()) -> dict:
    """Return the OpenAPI document for an app with these settings (limits come from them) and
    these endpoints (the web page's routes are documented when it is served)."""
    max_query = int(config["MAX_QUERY_LENGTH"])
    paths = _paths(config, max_query)
    paths.update(_page_paths(endpoints))
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "tm-service",
            "version": API_VERSION,
            "summary": "A French/English translation memory built from parallel news releases.",
            "description": (
                "Fuzzy matches, concordance, memories and units, TMX/TSV transfer and sentence alignment, "
                "plus the tmserver/amaGama and MyMemory wire formats. Every error is application/problem+json "
                "(RFC 9457); 400 and 422 list each fault in `errors`. Writes need a write key "
                f"(`Authorization: Bearer KEY` or `{KEY_HEADER}: KEY`, created by `tm keys create`); reads "
                "need a key only when the server sets READ_KEYS_REQUIRED. A key sent but unknown is refused "
                "with 401 on every route that reads keys."
            ),
        },
        "servers": [{"url": "/"}],
        "tags": [
            {"name": "matching", "description": "Fuzzy matches and concordance."},
            {"name": "memories", "description": "Memories and their units."},
            {"name": "transfer", "description": "Whole memories in and out as TMX 1.4b or TSV."},
            {"name": "alignment", "description": "Sentence alignment of parallel texts."},
            {"name": "review", "description": "Scoring a finished draft against the memory (QA)."},
            {"name": "tmserver", "description": "The tmserver/amaGama API (Virtaal, Weblate, Okapi)."},
            {"name": "mymemory", "description": "The MyMemory API (deep-translator, translate)."},
            {"name": "service", "description": "Health and this document."},
        ],
        "paths": paths,
        "components": _components(config, max_query),
    }


def _lookup_parameters(max_query: int) -> list[dict]:
    return [
        query_parameter("q", "The sentence to translate.", text(max_query), required=True),
        query_parameter("source_lang", "Its language, a BCP 47 tag (`fr`, `fr_CA`, `fr-CA`).",
                        language(DEFAULT_SOURCE_LANG)),
        query_parameter("target_lang", "The language wanted.", language(DEFAULT_TARGET_LANG)),
        query_parameter("memory", "Search this memory only (default: every memory of the pair, or the key's "
                        "memory when reads are keyed).", {"type": "string"}),
        query_parameter("min_similarity", "The lowest similarity returned.",
                        {"type": "number", "minimum": 0, "maximum": 100, "default": DEFAULT_MIN_SIMILARITY}),
        query_parameter("limit", f"Most matches returned; larger values are clamped to {MAX_LIMIT}.",
                        {"type": "integer", "minimum": 1, "default": DEFAULT_LIMIT}),
        query_parameter("context", "The sentence before `q`: an identical match that follows it in its "
                        "document scores 101.", {"type": "string", "maxLength": max_query}),
        query_parameter("order", "`similarity` (the default) ranks by the word-level similarity; `quality` "
                        "keeps the matches whose character-level quality reaches `min_similarity` and ranks by "
                        "it, as the tmserver route does. Either is exactly what a scan of every unit returns.",
                        {"type": "string", "enum": list(ORDERS), "default": BY_SIMILARITY}),
    ]


def _paths(config: Mapping[str, object], max_query: int) -> dict:
    memory_name = path_parameter("memory_name", "The memory's name.", {"type": "string", "pattern": MEMORY_NAME_PATTERN})
    unit_id = path_parameter("unit_id", "The unit's id.", {"type": "integer", "minimum": 0, "maximum": MAX_ID})
    key_query = query_parameter("key", "An API key, for clients that cannot send headers.", {"type": "string"})
    tmserver_parameters = [
        path_parameter("source_lang", "Source language as clients send it: `fr`, `fr_CA`, `en-US`.", language()),
        path_parameter("target_lang", "Target language.", language()),
    ]
    tmserver_query = [
        query_parameter("min_similarity", "The lowest `quality` returned (the character-level score amaGama "
                        "reports); candidates come best quality first, ties by `rank`.",
                        {"type": "number", "minimum": 0, "maximum": 100, "default": DEFAULT_MIN_SIMILARITY}),
        query_parameter("max_candidates", f"Most candidates; clamped to {MAX_CANDIDATES}.",
                        {"type": "integer", "minimum": 1, "default": DEFAULT_LIMIT}),
        key_query,
    ]
    cache_control = {"Cache-Control": {"description": "Short client caching.", "schema": {"type": "string"}}}
    langpair = query_parameter("langpair", "Two language tags joined by `|`: `fr|en`, `fr-FR|en-GB`.",
                               {"type": "string", "pattern": f"^{_BARE_TAG}\\|{_BARE_TAG}$"}, required=True)
    return {
        "/healthz": {"get": operation(
            "health", "Tell whether the service and its database answer.", "service",
            {**answer(200, "The database answered.", schema("Health")), **problems()}, security=[{}])},
        "/openapi.json": {"get": operation(
            "openapiDocument", "This document.", "service",
            {**answer(200, "The OpenAPI 3.1 document.", {"type": "object"}), **problems()}, security=[{}])},
        "/docs": {"get": operation(
            "docs", "A page that renders this document.", "service",
            {**answer(200, "An HTML page, self-contained.", content={"text/html": {"schema": {"type": "string"}}}),
             **problems()},
            security=[{}])},
        f"{API_PREFIX}/suggest": {"get": operation(
            "suggest", "Find the stored units closest to a sentence, best first.", "matching",
            {**answer(200, "The matches, best first (possibly none).", schema("SuggestResult")),
             **problems(400, 401, 403, 404, 422)},
            description="Similarity is the CAT-style word score (100 exact, 95-99 when only case, punctuation, "
            "spacing or placeables differ, 101 in context); quality is amaGama's character score.",
            parameters=_lookup_parameters(max_query))},
        f"{API_PREFIX}/concordance": {"get": operation(
            "concordance", "Find the units holding a word or phrase.", "matching",
            {**answer(200, "One page of hits, shortest units first.", schema("ConcordanceResult")),
             **problems(400, 401, 403, 404, 422)},
            parameters=[
                query_parameter("q", "The word or phrase.", text(min(max_query, MAX_PHRASE_LENGTH)), required=True),
                query_parameter("lang", "The language of `q`.", language(DEFAULT_SOURCE_LANG)),
                query_parameter("memory", "Search this memory only.", {"type": "string"}),
                query_parameter("page", "The page, from 1.",
                                {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}),
                query_parameter("page_size", f"Hits per page; clamped to {config['MAX_PAGE_SIZE']}.",
                                {"type": "integer", "minimum": 1, "default": config["PAGE_SIZE"]}),
            ])},
        f"{API_PREFIX}/memories": {
            "get": operation(
                "listMemories", "List the memories with their unit counts.", "memories",
                {**answer(200, "Every memory the caller may read, by name.", schema("MemoryList")), **problems(401)}),
            "post": operation(
                "createMemory", "Create an empty memory.", "memories",
                {**answer(201, "Created.", schema("MemorySummary"),
                          headers={"Location": {"description": "The memory's URL.", "schema": {"type": "string"}}}),
                 **problems(400, 401, 403, 409, 413, 415, 422, 429)},
                description="Needs a write key that serves every memory.",
                body=json_body(schema("MemoryCreate")), security=WRITE_SECURITY),
        },
        f"{API_PREFIX}/memories/{{memory_name}}": {
            "parameters": [memory_name],
            "get": operation(
                "getMemory", "Show a memory's counts and averages.", "memories",
                {**answer(200, "The memory.", schema("MemoryStatistics")), **problems(401, 403, 404)}),
            "delete": operation(
                "deleteMemory", "Delete a memory with its documents, units and keys.", "memories",
                {"204": {"description": "Deleted."}, **problems(401, 403, 404, 429)}, security=WRITE_SECURITY),
        },
        f"{API_PREFIX}/memories/{{memory_name}}/units": {
            "parameters": [memory_name],
            "post": operation(
                "addUnits", "Add one unit, or several at once (all or none).", "memories",
                {**answer(201, "The units' ids, in order; a duplicate gets the id stored already.", schema("UnitIds"),
                          headers={"Location": {"description": "The unit's URL, when one unit was sent.",
                                                "schema": {"type": "string"}}}),
                 **problems(400, 401, 403, 404, 413, 415, 422, 429)},
                body=json_body({"anyOf": [schema("UnitInput"), schema("UnitBatch")]},
                               "One unit, or `{\"units\": [...]}`."),
                security=WRITE_SECURITY),
        },
        f"{API_PREFIX}/memories/{{memory_name}}/units/{{unit_id}}": {
            "parameters": [memory_name, unit_id],
            "get": operation("getUnit", "Read a unit.", "memories",
                             {**answer(200, "The unit.", schema("Unit")), **problems(401, 403, 404)}),
            "put": operation(
                "replaceUnit", "Replace a unit's texts (its dates, notes and origin stay).", "memories",
                {**answer(200, "The unit as stored now.", schema("Unit")),
                 **problems(400, 401, 403, 404, 409, 413, 415, 422, 429)},
                body=json_body(schema("UnitReplace")), security=WRITE_SECURITY),
            "delete": operation("deleteUnit", "Delete a unit.", "memories",
                                {"204": {"description": "Deleted."}, **problems(401, 403, 404, 409, 429)},
                                security=WRITE_SECURITY),
        },
        f"{API_PREFIX}/memories/{{memory_name}}/import": {
            "parameters": [memory_name],
            "post": operation(
                "importFile", "Import a TMX or TSV file, all or nothing.", "transfer",
                {**answer(200, "What the import did.", schema("ImportResult")),
                 **problems(400, 401, 403, 404, 413, 415, 422, 429)},
                description=f"The upload may be {config['MAX_UPLOAD_SIZE']} bytes at most. The format comes from "
                "`format`, else from the file name's suffix.",
                body={"required": True, "content": {"multipart/form-data": {"schema": schema("ImportForm")}}},
                security=WRITE_SECURITY),
        },
        f"{API_PREFIX}/memories/{{memory_name}}/export": {
            "parameters": [memory_name],
            "get": operation(
                "exportFile", "Download a memory as TMX 1.4b or TSV, streamed.", "transfer",
                {**answer(200, "The file.", headers={"Content-Disposition": {"schema": {"type": "string"}}},
                          content={transfer.MEDIA_TYPES[name].split(";")[0]: {"schema": {"type": "string"}}
                                   for name in transfer.FORMATS}),
                 **problems(400, 401, 403, 404, 422)},
                parameters=[query_parameter("format", "The file format.",
                                            {"type": "string", "enum": list(transfer.FORMATS), "default": "tmx"})])},
        f"{API_PREFIX}/align": {"post": operation(
            "align", "Align a French and an English text; optionally store the pairs.", "alignment",
            {**answer(200, "The sentence pairs with their confidence.", schema("AlignResult")),
             **problems(400, 401, 403, 404, 413, 415, 422, 429)},
            description="Without `memory` this only reads (open unless reads are keyed); with `memory` it "
            "stores the pairs as one document and needs a write key for that memory.",
            body=json_body(schema("AlignRequest")),
            security=READ_SECURITY)},
        f"{API_PREFIX}/score": {"post": operation(
            "score", "Review a draft against the memory: references, sacrebleu scores and flags.", "review",
            {**answer(200, "Per-segment and corpus scores, each with its sacrebleu signature, and flags.",
                      schema("ScoreResult")),
             **problems(400, 401, 404, 413, 415, 422)},
            description="Give `segments` (source, draft, optional reference), or `source_document` and "
            "`draft_document`, which are split and aligned first. Segments without a reference get one from "
            "the memory: an exact match, else the best fuzzy match at or above `min_similarity`.",
            body=json_body(schema("ScoreRequest")),
            security=READ_SECURITY)},
        "/tmserver/languages/": {"get": operation(
            "tmserverLanguages", "The languages held, as tmserver clients ask for them.", "tmserver",
            {**answer(200, "Every language serves as source and target.", schema("TmserverLanguages"),
                      headers=cache_control), **problems(401)},
            parameters=[key_query], security=COMPAT_READ_SECURITY)},
        "/tmserver/{source_lang}/{target_lang}/unit/{text}": {
            "parameters": tmserver_parameters,
            "get": operation(
                "tmserverLookup", "amaGama's lookup: the text in the path.", "tmserver",
                {**answer(200, "Candidates, best first; `[]` for a pair not held.", schema("TmserverCandidates"),
                          headers=cache_control), **problems(400, 401, 422)},
                description="Percent-encode the text whole (`/` as `%2F`), as Weblate does with "
                "`quote(text, safe=\"\")`.",
                parameters=[path_parameter("text", "The text to translate.", text(max_query)),
                            *tmserver_query],
                security=COMPAT_READ_SECURITY)},
        "/tmserver/{source_lang}/{target_lang}/unit/": {
            "parameters": tmserver_parameters,
            "get": operation(
                "tmserverLookupQuery", "amaGama's lookup: the text in `source`.", "tmserver",
                {**answer(200, "Candidates, best first; `[]` for a pair not held.", schema("TmserverCandidates"),
                          headers=cache_control), **problems(400, 401, 422)},
                parameters=[query_parameter("source", "The text to translate.", text(max_query), required=True),
                            *tmserver_query],
                security=COMPAT_READ_SECURITY)},
        "/get": {"get": operation(
            "mymemoryGet", "MyMemory's lookup.", "mymemory",
            {**answer(200, "MyMemory's answer; `translatedText` is empty when nothing matched.",
                      schema("MyMemoryAnswer")), **problems(400, 401, 422)},
            parameters=[query_parameter("q", "The text to translate.", text(max_query), required=True),
                        langpair, key_query,
                        query_parameter("de", "The caller's e-mail (accepted, unused).", {"type": "string"})],
            security=COMPAT_READ_SECURITY)},
        "/set": {"get": operation(
            "mymemorySet", "MyMemory's contribution: store one unit.", "mymemory",
            {**answer(200, "Stored (or found stored already).", schema("MyMemorySetAnswer")),
             **problems(400, 401, 403, 404, 422, 429)},
            description="Needs a write key; the unit goes to the key's memory, or to `memory` for a key that "
            "serves every memory.",
            parameters=[
                query_parameter("seg", "The source text.", text(MAX_TEXT_LENGTH, stored=True), required=True),
                query_parameter("tra", "Its translation.", text(MAX_TEXT_LENGTH, stored=True), required=True),
                langpair, key_query,
                query_parameter("memory", "The memory to store in.", {"type": "string"}),
                query_parameter("de", "The contributor's e-mail, stored as the unit's creator.",
                                {"type": "string", "maxLength": 200}),
            ],
            security=COMPAT_WRITE_SECURITY)},
    }


def _page_paths(endpoints: frozenset[str]) -> dict:
    paths = {}
    if PAGE_ENDPOINT in endpoints:
        paths["/"] = {"get": operation(
            "webPage", "The web page for translators and reviewers.", "service",
            {**answer(200, "An HTML page over this API.", content={"text/html": {"schema": {"type": "string"}}}),
             **problems()}, security=[{}])}
    if STATIC_ENDPOINT in endpoints:
        paths["/static/{filename}"] = {"get": operation(
            "webStatic", "The web page's scripts and styles.", "service",
            {**answer(200, "The file.", content={"*/*": {"schema": {"type": "string"}}}),
             "304": {"description": "Not modified since the client's copy."}, **problems(404)},
            parameters=[path_parameter("filename", "The file's path.")], security=[{}])}
    return paths


def _components(config: Mapping[str, object], max_query: int) -> dict:
    string, integer, number = {"type": "string"}, {"type": "integer"}, {"type": "number"}
    timestamp = {"type": "string", "format": "date-time"}
    bands = [name for _, name in BANDS] + [BELOW_BANDS]
    problem_ref = schema("Problem")
    return {
        "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer", "description": "A key from `tm keys create`."},
            "apiKey": {"type": "apiKey", "in": "header", "name": KEY_HEADER},
            "keyQuery": {"type": "apiKey", "in": "query", "name": "key"},
        },
        "responses": {
            "BadRequest": {"description": "A parameter or the body is missing or malformed.",
                           "content": {PROBLEM_MEDIA_TYPE: {"schema": schema("ValidationProblem")}}},
            "Unauthorized": {"description": "No key where one is needed, or a key that is not valid.",
                             "headers": {"WWW-Authenticate": {"schema": string}},
                             "content": {PROBLEM_MEDIA_TYPE: {"schema": problem_ref}}},
            "Forbidden": {"description": "The key may only read, or serves another memory.",
                          "content": {PROBLEM_MEDIA_TYPE: {"schema": problem_ref}}},
            "NotFound": {"description": "No such memory, unit or document.",
                         "content": {PROBLEM_MEDIA_TYPE: {"schema": problem_ref}}},
            "Conflict": {"description": "The name is taken, or the texts duplicate another unit.",
                         "content": {PROBLEM_MEDIA_TYPE: {"schema": problem_ref}}},
            "ContentTooLarge": {"description": f"The body is over {config['MAX_CONTENT_LENGTH']} bytes "
                                f"(uploads: {config['MAX_UPLOAD_SIZE']}).",
                                "content": {PROBLEM_MEDIA_TYPE: {"schema": problem_ref}}},
            "URITooLong": {"description": f"The URL is longer than {MAX_URL_BYTES} bytes; send long texts in a "
                           "POST body.",
                           "content": {PROBLEM_MEDIA_TYPE: {"schema": problem_ref}}},
            "RequestHeaderFieldsTooLarge": {"description": f"A header is longer than {MAX_HEADER_BYTES} "
                                            "bytes (gunicorn's limit).",
                                            "content": {PROBLEM_MEDIA_TYPE: {"schema": problem_ref}}},
            "UnsupportedMediaType": {"description": "The body is not JSON (or, for an import, not multipart).",
                                     "content": {PROBLEM_MEDIA_TYPE: {"schema": problem_ref}}},
            "UnprocessableContent": {"description": "Well formed but against the rules: out of range, too long, "
                                     "not a language tag, an unreadable file.",
                                     "content": {PROBLEM_MEDIA_TYPE: {"schema": schema("ValidationProblem")}}},
            "TooManyRequests": {"description": "Over the key's write rate.",
                                "headers": {"Retry-After": {"description": "Seconds to wait.",
                                                            "schema": {"type": "integer", "minimum": 1}}},
                                "content": {PROBLEM_MEDIA_TYPE: {"schema": problem_ref}}},
            "InternalServerError": {"description": "A fault of ours; logged, with no internals in the answer.",
                                    "content": {PROBLEM_MEDIA_TYPE: {"schema": problem_ref}}},
            "ServiceUnavailable": {"description": "The database is busy past its timeout or unreachable; "
                                   "nothing was changed.",
                                   "headers": {"Retry-After": {"description": "Seconds to wait.",
                                                               "schema": {"type": "integer", "minimum": 1}}},
                                   "content": {PROBLEM_MEDIA_TYPE: {"schema": problem_ref}}},
        },
        "schemas": {
            "Problem": {
                "type": "object", "required": ["type", "title", "status"],
                "properties": {"type": string, "title": string, "status": {"type": "integer"}, "detail": string},
            },
            "ValidationProblem": {
                "allOf": [schema("Problem")],
                "type": "object", "required": ["errors"],
                "properties": {"errors": {"type": "array", "items": {
                    "type": "object", "required": ["detail"],
                    "properties": {"name": string, "in": {"type": "string", "enum": ["query", "path", "body", "form"]},
                                   "detail": string}}}},
            },
            "Health": {"type": "object", "required": ["status"], "properties": {"status": {"const": "ok"}}},
            "DiffSpan": {
                "type": "object", "required": ["op", "start", "end", "text", "source_text"],
                "properties": {"op": {"type": "string", "enum": ["replace", "extra", "missing", "case", "placeable"]},
                               "start": integer, "end": integer, "text": string, "source_text": string},
            },
            "Repair": {
                "type": "object", "required": ["kind", "from", "to", "replaced"],
                "properties": {"kind": string, "from": string, "to": string, "replaced": string},
            },
            "DocumentRef": {"type": ["object", "null"], "required": ["id", "title"],
                            "properties": {"id": integer, "title": string}},
            "Match": {
                "type": "object",
                "required": ["unit_id", "memory", "source", "target", "source_lang", "target_lang", "similarity",
                             "quality", "band", "diff", "repaired_target", "repairs", "document", "created_at",
                             "changed_at", "creator", "origin", "signature"],
                "properties": {
                    "unit_id": integer, "memory": string, "source": string, "target": string,
                    "source_lang": string, "target_lang": string,
                    "similarity": {"type": "number", "minimum": 0, "maximum": 101},
                    "quality": {"type": "number", "minimum": 0, "maximum": 100},
                    "band": {"type": "string", "enum": bands},
                    "diff": {"type": "array", "items": schema("DiffSpan")},
                    "repaired_target": nullable("string"),
                    "repairs": {"type": "array", "items": schema("Repair")},
                    "document": schema("DocumentRef"),
                    "created_at": nullable("string"), "changed_at": nullable("string"),
                    "creator": nullable("string"), "origin": {"type": "string", "enum": list(ORIGINS)},
                    "signature": string,
                },
            },
            "SuggestResult": {
                "type": "object",
                "required": ["query", "source_lang", "target_lang", "memory", "min_similarity", "limit", "context",
                             "order", "signature", "matches"],
                "properties": {
                    "query": string, "source_lang": string, "target_lang": string, "memory": nullable("string"),
                    "min_similarity": number, "limit": integer, "context": nullable("string"),
                    "order": {"type": "string", "enum": list(ORDERS)},
                    "signature": {"type": "string", "description": "The settings behind every score."},
                    "matches": {"type": "array", "items": schema("Match")},
                },
            },
            "ConcordanceHit": {
                "type": "object",
                "required": ["unit_id", "memory", "source", "target", "source_lang", "target_lang", "source_spans",
                             "target_spans", "document_id"],
                "properties": {
                    "unit_id": integer, "memory": string, "source": string, "target": string,
                    "source_lang": string, "target_lang": string,
                    "source_spans": {"type": "array", "items": {"type": "array", "items": integer,
                                                                "minItems": 2, "maxItems": 2}},
                    "target_spans": {"type": "array", "items": {"type": "array", "items": integer,
                                                                "minItems": 2, "maxItems": 2}},
                    "document_id": nullable("integer"),
                },
            },
            "ConcordanceResult": {
                "type": "object",
                "required": ["query", "lang", "memory", "items", "total", "page", "page_size", "has_more"],
                "properties": {
                    "query": string, "lang": string, "memory": nullable("string"),
                    "items": {"type": "array", "items": schema("ConcordanceHit")},
                    "total": integer, "page": integer, "page_size": integer, "has_more": {"type": "boolean"},
                },
            },
            "MemorySummary": {
                "type": "object", "required": ["name", "description", "source_lang", "target_lang", "units"],
                "properties": {"name": string, "description": string, "source_lang": string, "target_lang": string,
                               "units": integer},
            },
            "MemoryList": {"type": "object", "required": ["memories"],
                           "properties": {"memories": {"type": "array", "items": schema("MemorySummary")}}},
            "MemoryCreate": {
                "type": "object", "required": ["name"], "additionalProperties": False,
                "properties": {
                    "name": {"type": "string", "pattern": MEMORY_NAME_PATTERN},
                    "description": optional({"type": "string", "maxLength": MAX_DESCRIPTION_LENGTH}),
                    "source_lang": optional(language(DEFAULT_SOURCE_LANG)),
                    "target_lang": optional(language(DEFAULT_TARGET_LANG)),
                },
            },
            "MemoryStatistics": {
                "type": "object",
                "required": ["name", "description", "source_lang", "target_lang", "units", "units_by_origin",
                             "documents", "average_source_length", "average_target_length", "first_created",
                             "last_changed"],
                "properties": {
                    "name": string, "description": string, "source_lang": string, "target_lang": string,
                    "units": integer, "units_by_origin": {"type": "object", "additionalProperties": integer},
                    "documents": integer, "average_source_length": number, "average_target_length": number,
                    "first_created": nullable("string"), "last_changed": nullable("string"),
                },
            },
            "UnitInput": {
                "type": "object", "required": ["source_lang", "target_lang", "source", "target"],
                "additionalProperties": False,
                "properties": {
                    "source_lang": language(), "target_lang": language(),
                    "source": text(MAX_TEXT_LENGTH, stored=True), "target": text(MAX_TEXT_LENGTH, stored=True),
                    "creator": optional({"type": "string", "maxLength": MAX_CREATOR_LENGTH}),
                    "document": optional({"type": "integer", "minimum": 1, "maximum": MAX_ID,
                                          "description": "The id of a document of this memory the unit comes "
                                          "from (in a batch, give it beside `units`)."}),
                },
            },
            "UnitBatch": {
                "type": "object", "required": ["units"], "additionalProperties": False,
                "properties": {
                    "units": {"type": "array", "minItems": 1, "maxItems": MAX_UNITS_PER_REQUEST,
                              "items": schema("UnitInput")},
                    "document": optional({"type": "integer", "minimum": 1, "maximum": MAX_ID,
                                          "description": "The id of a document of this memory all the units "
                                          "come from."}),
                },
            },
            "UnitIds": {"type": "object", "required": ["ids"],
                        "properties": {"ids": {"type": "array", "items": integer}}},
            "Unit": {
                "type": "object",
                "required": ["id", "memory", "source_lang", "source", "target_lang", "target", "document", "position",
                             "origin", "alignment_score", "creator", "changer", "created_at", "changed_at"],
                "properties": {
                    "id": integer, "memory": string, "source_lang": string, "source": string,
                    "target_lang": string, "target": string, "document": nullable("integer"),
                    "position": nullable("integer"), "origin": {"type": "string", "enum": list(ORIGINS)},
                    "alignment_score": nullable("number"), "creator": nullable("string"),
                    "changer": nullable("string"), "created_at": timestamp, "changed_at": timestamp,
                },
            },
            "UnitReplace": {
                "type": "object", "required": ["source", "target"], "additionalProperties": False,
                "properties": {
                    "source": text(MAX_TEXT_LENGTH, stored=True), "target": text(MAX_TEXT_LENGTH, stored=True),
                    "source_lang": optional(language(description="Default: the unit's.")),
                    "target_lang": optional(language(description="Default: the unit's.")),
                    "changer": optional({"type": "string", "maxLength": MAX_CREATOR_LENGTH}),
                },
            },
            "ImportForm": {
                "type": "object", "required": [UPLOAD_FIELD],
                "properties": {
                    UPLOAD_FIELD: {"type": "string", "contentMediaType": "application/octet-stream",
                                   "description": "A .tmx or .tsv file."},
                    "format": {"type": "string", "enum": list(transfer.FORMATS)},
                    "source_lang": language(description="Default: the memory's."),
                    "target_lang": language(description="Default: the memory's."),
                },
            },
            "ImportResult": {
                "type": "object", "required": ["memory", "format", "read", "added", "duplicates", "skipped"],
                "properties": {"memory": string, "format": {"type": "string", "enum": list(transfer.FORMATS)},
                               "read": integer, "added": integer, "duplicates": integer, "skipped": integer},
            },
            "AlignRequest": {
                "type": "object", "required": ["source", "target"], "additionalProperties": False,
                "properties": {
                    "source": text(int(config["MAX_ALIGN_LENGTH"]),
                                   description="The French text (or `source_lang`'s)."),
                    "target": text(int(config["MAX_ALIGN_LENGTH"])),
                    "source_lang": optional(language(DEFAULT_SOURCE_LANG)),
                    "target_lang": optional(language(DEFAULT_TARGET_LANG)),
                    "kind": optional({"type": "string", "enum": list(alignment.DOCUMENT_KINDS), "default": "auto"}),
                    "min_score": optional({"type": "number", "minimum": 0, "maximum": 1,
                                           "default": alignment.DEFAULT_MIN_SCORE}),
                    "memory": optional({"type": "string", "minLength": 1, "maxLength": 100,
                                        "description": "Store the pairs in this memory."}),
                    "title": optional({"type": "string", "maxLength": MAX_TITLE_LENGTH}),
                },
            },
            "AlignResult": {
                "type": "object", "required": ["source_lang", "target_lang", "pairs", "links_dropped", "stored"],
                "properties": {
                    "source_lang": string, "target_lang": string,
                    "pairs": {"type": "array", "items": {
                        "type": "object", "required": ["source", "target", "score"],
                        "properties": {"source": string, "target": string,
                                       "score": {"type": "number", "minimum": 0, "maximum": 1}}}},
                    "links_dropped": integer,
                    "stored": {"type": ["object", "null"],
                               "required": ["memory", "already_stored", "added", "duplicates"],
                               "properties": {"memory": string, "already_stored": {"type": "boolean"},
                                              "added": integer, "duplicates": integer}},
                },
            },
            "ScoreRequest": {
                "type": "object", "additionalProperties": False,
                "properties": {
                    "source_lang": optional(language(DEFAULT_SOURCE_LANG)),
                    "target_lang": optional(language(DEFAULT_TARGET_LANG)),
                    "segments": {"type": "array", "minItems": 1, "maxItems": MAX_SEGMENTS, "items": {
                        "type": "object", "required": ["source", "draft"], "additionalProperties": False,
                        "properties": {"source": text(max_query * 5), "draft": {"type": "string", "maxLength": max_query * 5},
                                       "reference": {"type": ["string", "null"], "maxLength": max_query * 5}}}},
                    "source_document": text(int(config["MAX_ALIGN_LENGTH"])),
                    "draft_document": {"type": "string", "maxLength": int(config["MAX_ALIGN_LENGTH"])},
                    "memory": optional({"type": "string", "minLength": 1, "maxLength": 100,
                                        "description": "Look references up in this memory only."}),
                    "metrics": {"type": "array", "minItems": 1, "items": {"type": "string", "enum": list(METRICS)}},
                    "min_similarity": optional({"type": "number", "minimum": 0, "maximum": 100,
                                                "default": REVIEW_MIN_SIMILARITY}),
                },
                "oneOf": [{"required": ["segments"]}, {"required": ["source_document", "draft_document"]}],
            },
            "Score": {"type": "object", "required": ["score", "signature"],
                      "properties": {"score": number, "signature": string}},
            "ScoreResult": {
                "type": "object", "required": ["source_lang", "target_lang", "metrics", "corpus", "segments", "summary"],
                "properties": {
                    "source_lang": string, "target_lang": string, "min_similarity": number,
                    "metrics": {"type": "array", "items": string},
                    "corpus": {"type": "object", "additionalProperties": schema("Score")},
                    "segments": {"type": "array", "items": {
                        "type": "object",
                        "required": ["source", "draft", "references", "reference_origin", "match_similarity",
                                     "bleu", "chrf", "ter", "flags"],
                        "properties": {
                            "source": string, "draft": string,
                            "references": {"type": "array", "items": string},
                            "reference_origin": {"type": "string", "enum": ["given", "memory", "none"]},
                            "match_similarity": nullable("number"),
                            "reference_unit_ids": {"type": "array", "items": integer},
                            "reference_memory": nullable("string"),
                            "bleu": {"oneOf": [schema("Score"), {"type": "null"}]},
                            "chrf": {"oneOf": [schema("Score"), {"type": "null"}]},
                            "ter": {"oneOf": [schema("Score"), {"type": "null"}]},
                            "flags": {"type": "array", "items": {
                                "type": "object", "required": ["code", "detail"],
                                "properties": {"code": {"type": "string", "enum": list(FLAG_CODES)},
                                               "detail": string}}},
                            "pairing": {"type": "object"},
                        }}},
                    "summary": {"type": "object"},
                },
            },
            "TmserverCandidates": {"type": "array", "items": {
                "type": "object", "required": ["source", "target", "quality", "rank"],
                "properties": {"source": string, "target": string,
                               "quality": {"type": "number", "minimum": 0, "maximum": 100},
                               "rank": {"type": "number", "minimum": 0, "maximum": 101}}}},
            "TmserverLanguages": {
                "type": "object", "required": ["sourceLanguages", "targetLanguages"],
                "properties": {"sourceLanguages": {"type": "array", "items": string},
                               "targetLanguages": {"type": "array", "items": string}},
            },
            "MyMemoryMatch": {
                "type": "object",
                "required": ["id", "segment", "translation", "source", "target", "quality", "match", "created-by",
                             "create-date", "last-update-date", "usage-count", "reference"],
                "properties": {
                    "id": string, "segment": string, "translation": string, "source": string, "target": string,
                    "quality": {"type": "integer", "minimum": 0, "maximum": 100},
                    "match": {"type": "number", "minimum": 0, "maximum": 1},
                    "created-by": string, "create-date": nullable("string"), "last-update-date": nullable("string"),
                    "usage-count": integer, "reference": nullable("string"),
                },
            },
            "MyMemoryAnswer": {
                "type": "object",
                "required": ["responseData", "responseStatus", "responseDetails", "quotaFinished", "mtLangSupported",
                             "responderId", "exception_code", "matches"],
                "properties": {
                    "responseData": {"type": "object", "required": ["translatedText", "match"],
                                     "properties": {"translatedText": string,
                                                    "match": {"type": "number", "minimum": 0, "maximum": 1}}},
                    "responseStatus": {"const": 200}, "responseDetails": string,
                    "quotaFinished": {"type": "boolean"}, "mtLangSupported": {"type": "null"},
                    "responderId": {"type": "null"}, "exception_code": {"type": "null"},
                    "matches": {"type": "array", "items": schema("MyMemoryMatch")},
                },
            },
            "MyMemorySetAnswer": {
                "type": "object", "required": ["responseData", "responseStatus", "responseDetails", "id"],
                "properties": {"responseData": {"const": "OK"}, "responseStatus": {"const": 200},
                               "responseDetails": string, "id": integer},
            },
        },
    }


# -- the views ------------------------------------------------------------------------------


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint)


def document() -> dict:
    """Return this app's document, built on first use: every blueprint is registered by then."""
    extensions = current_app.extensions
    if "tm_openapi" not in extensions:
        extensions["tm_openapi"] = build_document(current_app.config, frozenset(current_app.view_functions))
    return extensions["tm_openapi"]


@blueprint.get("/openapi.json")
def openapi_json():
    return document()


@blueprint.get("/docs")
def docs():
    page = resources.files("tm_service").joinpath("docs.html").read_text("utf-8")
    return Response(page, mimetype="text/html")
