"""Every error is application/problem+json with type, title, status and detail; never an HTML page."""
from __future__ import annotations

import pytest

from tm_service.ratelimit import RateLimiter
from tests.tm_service.helpers import assert_problem, bearer

UNIT = {"source_lang": "fr", "target_lang": "en", "source": "Bonjour.", "target": "Hello."}


@pytest.mark.parametrize("method, path, kwargs, status", [
    ("GET", "/api/v1/suggest", {}, 400),
    ("GET", "/api/v1/nowhere", {}, 404),
    ("GET", "/api/v1/memories/nope", {}, 404),
    ("GET", "/api/v1/memories/news/units/abc", {}, 404),
    ("PATCH", "/api/v1/memories", {}, 405),
    ("DELETE", "/healthz", {}, 405),
    ("POST", "/api/v1/memories", {"json": {"name": "news"}}, 409),
    ("POST", "/api/v1/memories", {"data": "x", "content_type": "text/plain"}, 415),
    ("GET", "/api/v1/suggest", {"query_string": {"q": "x", "min_similarity": 101}}, 422),
    ("POST", "/api/v1/memories/news/units", {"json": {**UNIT, "source": "x" * 300}}, 413),
    ("GET", "/tmserver/fr/en/unit/x", {"query_string": {"max_candidates": "x"}}, 400),
    ("GET", "/get", {"query_string": {"q": "x", "langpair": "fr-en"}}, 400),
    ("GET", "/get", {"query_string": {"q": "x", "langpair": "fr|??"}}, 422),
    ("GET", "/set", {"query_string": {"seg": "x", "tra": "y", "langpair": "fr|en"}}, 422),  # which memory?
])
def test_errors_are_problems(app, client, news, make_key, method, path, kwargs, status):
    app.config["MAX_CONTENT_LENGTH"] = 200
    response = client.open(path, method=method, headers=bearer(make_key("write")), **kwargs)
    body = assert_problem(response, status)
    assert "<html" not in response.get_data(as_text=True).lower()
    if status in (400, 422):
        assert body["errors"] and all("detail" in error for error in body["errors"])
    if status == 405:
        assert response.headers["Allow"]


def test_rate_limit_is_a_problem_with_retry_after(app, client, news, make_key):
    app.extensions["tm_write_limiter"] = RateLimiter(per_minute=1, burst=1)
    headers = bearer(make_key("write", "news"))
    client.post("/api/v1/memories/news/units", json=UNIT, headers=headers)
    response = client.post("/api/v1/memories/news/units", json=UNIT, headers=headers)
    assert_problem(response, 429)
    assert int(response.headers["Retry-After"]) >= 1


def test_500_names_no_internals(app, client, news, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("SELECT secret FROM units")

    monkeypatch.setattr(app.extensions["tm_matcher"], "suggest", broken)
    response = client.get("/api/v1/suggest", query_string={"q": "Bonjour"})
    body = assert_problem(response, 500)
    assert "secret" not in response.get_data(as_text=True) and "errors" not in body


def test_the_rate_limit_settings_reach_the_limiter(database_url):
    from tm_service import create_app

    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "WRITE_RATE_LIMIT": 0})
    assert not app.extensions["tm_write_limiter"].enabled
    app.extensions["tm_engine"].dispose()
