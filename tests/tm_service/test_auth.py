"""API keys: stored hashed, scoped to a memory or to all, read/write scopes, keyed reads, rate limits."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from memories.models import ApiKey
from tm_service import create_app
from tm_service.commands.keys import keys_group
from tm_service.db import get_session
from tm_service.ratelimit import RateLimiter
from tests.tm_service.helpers import assert_problem, bearer

UNIT = {"source_lang": "fr", "target_lang": "en", "source": "Bonjour.", "target": "Hello."}
UNITS = "/api/v1/memories/news/units"


def test_writes_need_a_key(client, news):
    body = assert_problem(client.post(UNITS, json=UNIT), 401)
    assert "write key" in body["detail"]
    assert client.post(UNITS, json=UNIT).headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("headers", [
    {"Authorization": "Bearer tm_not-a-key"},
    {"X-API-Key": "tm_not-a-key"},
    {"Authorization": "Basic dXNlcjpwYXNz"},
])
def test_unknown_keys_are_401_even_for_open_reads(client, news, headers):
    assert_problem(client.post(UNITS, json=UNIT, headers=headers), 401)
    assert_problem(client.get("/api/v1/suggest", query_string={"q": "Bonjour"}, headers=headers), 401)


@pytest.mark.parametrize("header", ["Authorization", "X-API-Key"])
def test_a_write_key_for_the_memory_writes(client, news, make_key, header):
    token = make_key("write", "news")
    headers = bearer(token) if header == "Authorization" else {"X-API-Key": token}
    assert client.post(UNITS, json=UNIT, headers=headers).status_code == 201


def test_a_read_key_cannot_write(client, news, make_key):
    body = assert_problem(client.post(UNITS, json=UNIT, headers=bearer(make_key("read", "news"))), 403)
    assert "only read" in body["detail"]


def test_a_key_for_one_memory_cannot_write_another(client, news, make_key):
    other = bearer(make_key("write"))
    client.post("/api/v1/memories", json={"name": "other"}, headers=other)
    token = bearer(make_key("write", "news"))
    assert_problem(client.post("/api/v1/memories/other/units", json=UNIT, headers=token), 403)
    assert_problem(client.delete("/api/v1/memories/other", headers=token), 403)
    assert_problem(client.post("/api/v1/memories", json={"name": "third"}, headers=token), 403)
    assert client.delete("/api/v1/memories/news", headers=token).status_code == 204


def test_only_a_hash_is_stored(app, make_key):
    token = make_key("write")
    with app.app_context():
        [key] = get_session().scalars(select(ApiKey)).all()
    assert token not in key.key_hash and len(key.key_hash) == 64


def test_deleting_a_memory_deletes_its_keys(client, news, make_key):
    token = make_key("write", "news")
    client.delete("/api/v1/memories/news", headers=bearer(token))
    assert_problem(client.get("/api/v1/memories", headers=bearer(token)), 401)


def test_reads_are_open_by_default(client, news):
    assert client.get("/api/v1/suggest", query_string={"q": "Bonjour"}).status_code == 200
    assert client.get("/api/v1/memories/news/export").status_code == 200


@pytest.fixture
def keyed_app(database_url):
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "READ_KEYS_REQUIRED": True})
    yield app
    app.extensions["tm_engine"].dispose()


def test_keyed_reads(keyed_app):
    from memories import service
    from tests.factories import record

    with keyed_app.app_context():
        session = get_session()
        for name in ("news", "other"):
            service.create_memory(session, name)
            service.add_units(session, name, [record(f"Bonjour {name}.", f"Hello {name}.")])
        news_key = service.create_key(session, scope="read", memory_name="news")[1]
        all_key = service.create_key(session, scope="read")[1]
    client = keyed_app.test_client()
    query = {"q": "Bonjour other.", "min_similarity": 0}
    assert_problem(client.get("/api/v1/suggest", query_string=query), 401)
    assert_problem(client.get("/tmserver/fr/en/unit/Bonjour"), 401)
    # A key for one memory reads that memory only, named or not.
    matches = client.get("/api/v1/suggest", query_string=query, headers=bearer(news_key)).json["matches"]
    assert {m["memory"] for m in matches} == {"news"}
    assert_problem(client.get("/api/v1/suggest", query_string={**query, "memory": "other"},
                              headers=bearer(news_key)), 403)
    assert_problem(client.get("/api/v1/memories/other/export", headers=bearer(news_key)), 403)
    listed = client.get("/api/v1/memories", headers=bearer(news_key)).json["memories"]
    assert [m["name"] for m in listed] == ["news"]
    # MyMemory and tmserver clients send the key as key=.
    answer = client.get("/get", query_string={"q": "Bonjour other.", "langpair": "fr|en", "key": news_key}).json
    assert {m["segment"] for m in answer["matches"]} <= {"Bonjour news."}
    tmserver = client.get("/tmserver/fr/en/unit/Bonjour%20other.", query_string={"key": all_key})
    assert tmserver.json[0]["source"] == "Bonjour other." and "private" in tmserver.headers["Cache-Control"]
    assert len(client.get("/api/v1/memories", headers=bearer(all_key)).json["memories"]) == 2


def test_writes_are_rate_limited_per_key(app, client, news, make_key):
    app.extensions["tm_write_limiter"] = RateLimiter(per_minute=60, burst=2)
    first, second = bearer(make_key("write", "news")), bearer(make_key("write", "news"))
    for source in ("Un.", "Deux."):
        assert client.post(UNITS, json={**UNIT, "source": source}, headers=first).status_code == 201
    response = client.post(UNITS, json={**UNIT, "source": "Trois."}, headers=first)
    assert_problem(response, 429)
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    assert client.post(UNITS, json={**UNIT, "source": "Trois."}, headers=second).status_code == 201
    assert client.get("/api/v1/suggest", query_string={"q": "Un."}).status_code == 200  # reads are not limited


def test_token_bucket_refills():
    now = [0.0]
    limiter = RateLimiter(per_minute=60, burst=2, clock=lambda: now[0])
    assert [limiter.retry_after("k") for _ in range(3)] == [0, 0, 1]
    now[0] = 1.0
    assert limiter.retry_after("k") == 0
    assert RateLimiter(per_minute=0, burst=1).retry_after("k") == 0  # off


def test_tm_keys_create_prints_the_key_alone_on_its_last_line(runner, news, client):
    result = runner.invoke(keys_group, ["create", "--memory", "news", "--scope", "write", "--label", "CAT tool"])
    assert result.exit_code == 0, result.output
    token = result.output.rstrip("\n").splitlines()[-1]
    assert token.startswith("tm_") and " " not in token
    assert client.post(UNITS, json=UNIT, headers=bearer(token)).status_code == 201
    listed = runner.invoke(keys_group, ["list"]).output
    assert "write\tnews" in listed and "CAT tool" in listed and token not in listed
    key_id = listed.split("\t")[0]
    assert runner.invoke(keys_group, ["revoke", key_id]).exit_code == 0
    assert_problem(client.post(UNITS, json=UNIT, headers=bearer(token)), 401)


def test_tm_keys_create_errors(runner):
    result = runner.invoke(keys_group, ["create", "--memory", "nope", "--scope", "read"])
    assert result.exit_code == 1 and result.output.strip() == "Error: no memory named 'nope'"
    assert runner.invoke(keys_group, ["create", "--scope", "admin"]).exit_code == 2
    assert runner.invoke(keys_group, ["revoke", "99"]).output.strip() == "Error: no API key 99"
