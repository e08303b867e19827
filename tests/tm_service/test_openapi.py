"""/openapi.json is complete and true: every route is in it, and real answers match its schemas."""
from __future__ import annotations

import io
import re
from urllib.parse import quote

import pytest
from flask import request
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from tests.tm_service.helpers import bearer
from tm_service.ratelimit import RateLimiter

_CONVERTED = re.compile(r"<(?:[a-z]+(?:\([^)]*\))?:)?([a-z_]+)>")
METHODS = {"get", "post", "put", "delete", "patch"}


def openapi_path(rule: str) -> str:
    """`/memories/<memory_name>/units/<int(max=9):unit_id>` -> `/memories/{memory_name}/units/{unit_id}`."""
    return _CONVERTED.sub(r"{\1}", rule)


def test_the_document_is_valid_openapi_3_1(client):
    response = client.get("/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.json["openapi"].startswith("3.1")
    validate(response.json)


def test_every_route_is_documented_with_its_methods_and_path_parameters(app, client):
    document = client.get("/openapi.json").json
    routes: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        path = openapi_path(rule.rule)
        routes.setdefault(path, set()).update(m.lower() for m in rule.methods - {"HEAD", "OPTIONS"})
        item = document["paths"].get(path)
        assert item is not None, f"{rule.rule} is not documented"
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            operation = item.get(method.lower())
            assert operation is not None, f"{method} {rule.rule} is not documented"
            declared = {p["name"] for p in [*item.get("parameters", []), *operation.get("parameters", [])]
                        if p["in"] == "path"}
            assert declared == set(rule.arguments) - set(rule.defaults or {}), rule.rule
            assert "500" in operation["responses"]
    documented = {path: {m for m in item if m in METHODS} for path, item in document["paths"].items()}
    assert documented == routes


def test_the_docs_page_renders_the_document_without_a_cdn(client):
    response = client.get("/docs")
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "openapi.json" in page and "<script src" not in page and "https://" not in page


# -- answers against the schemas ---------------------------------------------------------------


@pytest.fixture
def recorded(app):
    """Every answer the app gives to a routed request: (path, method, status, media type, body)."""
    answers = []

    @app.after_request
    def record(response):
        if request.url_rule is not None and not response.is_streamed:
            answers.append((openapi_path(request.url_rule.rule), request.method.lower(), response.status_code,
                            response.mimetype, response.get_json(silent=True)))
        elif request.url_rule is not None:
            answers.append((openapi_path(request.url_rule.rule), request.method.lower(), response.status_code,
                            response.mimetype, None))
        return response

    return answers


def exercise(client, write_key: str, read_key: str, document_paths: dict) -> None:
    """Call every operation, with good and bad requests."""
    w, r = bearer(write_key), bearer(read_key)
    unit = {"source_lang": "fr", "target_lang": "en", "source": "Le projet coûte 75 millions de dollars.",
            "target": "The project costs $75 million."}
    client.get("/healthz")
    client.get("/openapi.json")
    client.get("/docs")
    client.post("/api/v1/memories", json={"name": "news", "description": "Releases"}, headers=w)
    client.post("/api/v1/memories", json={"name": "news"}, headers=w)  # 409
    client.post("/api/v1/memories", json={"name": "x"})  # 401
    client.post("/api/v1/memories", json={"name": "x"}, headers=r)  # 403
    client.post("/api/v1/memories", json={"name": "bad name"}, headers=w)  # 422
    client.post("/api/v1/memories", data="x", content_type="text/plain", headers=w)  # 415
    client.post("/api/v1/memories", data="{", content_type="application/json", headers=w)  # 400
    client.get("/api/v1/memories")
    client.get("/api/v1/memories/news")
    client.get("/api/v1/memories/nope")  # 404
    ids = client.post("/api/v1/memories/news/units", json=unit, headers=w).json["ids"]
    client.post("/api/v1/memories/news/units", json={"units": [unit, {**unit, "source": "Bonjour.", "target": "Hi."}]},
                headers=w)
    client.post("/api/v1/memories/news/units", json={"units": [{"source": ""}]}, headers=w)  # 400
    client.post("/api/v1/memories/news/units", json={**unit, "source_lang": "de"}, headers=w)  # 422
    client.post("/api/v1/memories/news/units", json={**unit, "source": "x" * 5000}, headers=w)  # 413
    client.get(f"/api/v1/memories/news/units/{ids[0]}")
    client.get("/api/v1/memories/news/units/999")  # 404
    client.put(f"/api/v1/memories/news/units/{ids[0]}", json={"source": "Le projet coûte 80 millions de dollars.",
                                                              "target": "The project costs $80 million."}, headers=w)
    client.put(f"/api/v1/memories/news/units/{ids[0]}", json={"source": "Bonjour.", "target": "Hi."}, headers=w)  # 409
    client.get("/api/v1/suggest", query_string={"q": "Le projet coûte 89,2 millions de dollars."})
    client.get("/api/v1/suggest", query_string={"q": "Bonjour!", "memory": "news", "min_similarity": 0})
    client.get("/api/v1/suggest", query_string={"q": "x", "limit": "x"})  # 400
    client.get("/api/v1/suggest", query_string={"q": "x", "memory": "nope"})  # 404
    client.get("/api/v1/suggest", query_string={"q": "x", "min_similarity": 500})  # 422
    client.get("/api/v1/suggest", query_string={"q": "x"}, headers={"X-API-Key": "wrong"})  # 401
    client.get("/api/v1/concordance", query_string={"q": "projet"})
    client.get("/api/v1/concordance", query_string={"q": "projet", "page": 0})
    client.post("/api/v1/memories/news/import", data={"file": (io.BytesIO(b"Oui\tYes\n"), "a.tsv")}, headers=w)
    client.post("/api/v1/memories/news/import", data={"file": (io.BytesIO(b"Oui\n"), "a.tsv")}, headers=w)  # 422
    client.post("/api/v1/memories/news/import", data={"format": "tsv"}, content_type="multipart/form-data",
                headers=w)  # 400
    client.post("/api/v1/memories/news/import", json={}, headers=w)  # 415
    client.get("/api/v1/memories/news/export")
    client.get("/api/v1/memories/news/export", query_string={"format": "tsv"})
    client.get("/api/v1/memories/news/export", query_string={"format": "doc"})  # 422
    client.post("/api/v1/align", json={"source": "Bonjour. Merci.", "target": "Hello. Thanks."})
    client.post("/api/v1/align", json={"source": "Bonjour. Merci.", "target": "Hello. Thanks.", "memory": "news"},
                headers=w)
    client.post("/api/v1/align", json={"source": "x"})  # 400
    client.post("/api/v1/score", json={"segments": [{"source": "Le projet coûte 80 millions de dollars.",
                                                     "draft": "The project costs $8 million."},
                                                    {"source": "Rien.", "draft": "Nothing.", "reference": "Nothing."}]})
    client.post("/api/v1/score", json={"source_document": "Bonjour. Merci.", "draft_document": "Hello. Thanks.",
                                       "metrics": ["chrf"]})
    client.post("/api/v1/score", json={"segments": [{"source": "x"}]})  # 400
    client.post("/api/v1/score", json={"segments": [{"source": "x", "draft": "y"}], "metrics": ["meteor"]})  # 422
    client.post("/api/v1/score", json={"segments": [{"source": "x", "draft": "y"}], "memory": "nope"})  # 404
    client.get("/tmserver/languages/")
    client.get("/tmserver/fr/en/unit/" + quote("Le projet coûte 80 millions de dollars.", safe=""))
    client.get("/tmserver/en/de/unit/Hello")
    client.get("/tmserver/fr/en/unit/", query_string={"source": "Bonjour."})
    client.get("/tmserver/fr/en/unit/")  # 400
    client.get("/tmserver/fr/fr/unit/x")  # 422
    client.get("/get", query_string={"q": "Bonjour.", "langpair": "fr|en"})
    client.get("/get", query_string={"q": "Rien.", "langpair": "fr-FR|en-GB"})
    client.get("/get", query_string={"q": "x"})  # 400
    client.get("/set", query_string={"seg": "Oui.", "tra": "Yes.", "langpair": "fr|en", "memory": "news",
                                     "key": write_key})
    client.get("/set", query_string={"seg": "Oui.", "tra": "Yes.", "langpair": "fr|en"})  # 401
    client.delete(f"/api/v1/memories/news/units/{ids[0]}", headers=w)
    client.delete(f"/api/v1/memories/news/units/{ids[0]}", headers=w)  # 404
    client.delete("/api/v1/memories/news", headers=r)  # 403
    client.delete("/api/v1/memories/news", headers=w)
    if "/" in document_paths:  # the web page, when the app serves it
        client.get("/")
    if "/static/{filename}" in document_paths:
        client.get("/static/no-such-file.css")


def _validator(document: dict, body_schema: dict) -> Draft202012Validator:
    return Draft202012Validator({**body_schema, "components": document["components"]})


def _resolved(document: dict, response: dict) -> dict:
    if "$ref" in response:
        return document["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
    return response


def test_answers_match_their_documented_schemas(app, client, make_key, recorded):
    app.config["MAX_CONTENT_LENGTH"] = 4000
    document = client.get("/openapi.json").json
    exercise(client, make_key("write"), make_key("read"), document["paths"])
    app.extensions["tm_write_limiter"] = RateLimiter(per_minute=1, burst=1)
    key = make_key("write")
    client.post("/api/v1/memories", json={"name": "a"}, headers=bearer(key))
    client.post("/api/v1/memories", json={"name": "b"}, headers=bearer(key))  # 429
    seen = set()
    for path, method, status, mimetype, body in recorded:
        operation = document["paths"][path][method]
        assert str(status) in operation["responses"], f"{method.upper()} {path} answered {status}, undocumented"
        response = _resolved(document, operation["responses"][str(status)])
        content = response.get("content", {})
        assert (mimetype in content or "*/*" in content) if content else mimetype in (None, "text/html"), (
            path, status, mimetype)
        if body is not None and mimetype in content:
            errors = sorted(_validator(document, content[mimetype]["schema"]).iter_errors(body), key=str)
            assert not errors, f"{method.upper()} {path} {status}: {errors[0].message}"
        seen.add((path, method, status))
    operations = {(path, method) for path, item in document["paths"].items() for method in item if method in METHODS}
    assert operations == {(path, method) for path, method, _ in seen}, "every operation is exercised"
    statuses = {status for _, _, status in seen}
    assert {200, 201, 204, 400, 401, 403, 404, 409, 413, 415, 422, 429} <= statuses
