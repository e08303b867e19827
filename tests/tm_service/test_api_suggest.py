"""GET /api/v1/suggest and /api/v1/concordance: shapes, defaults, clamping and validation."""
from __future__ import annotations

import pytest

from memories import service
from memories.matching import MAX_LIMIT, SIGNATURE
from tests.tm_service.helpers import assert_problem
from tm_service.db import get_session

MATCH_KEYS = {"source", "target", "similarity", "quality", "band", "diff", "repaired_target", "memory", "unit_id",
              "document"}


def test_suggest_answers_best_first_with_every_field(client, news):
    response = client.get("/api/v1/suggest", query_string={
        "q": "Le projet coûte 89,2 millions de dollars.", "source_lang": "fr", "target_lang": "en",
        "min_similarity": 70, "limit": 5})
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    body = response.json
    assert body["query"] == "Le projet coûte 89,2 millions de dollars."
    assert body["signature"] == SIGNATURE
    [match] = body["matches"]
    assert MATCH_KEYS <= set(match)
    assert match["memory"] == news
    assert match["source"] == "Le projet coûte 75 millions de dollars."
    assert match["similarity"] == 99.0 and match["band"] == "95-99"
    assert match["repaired_target"] == "The project costs $89.2 million."


def test_suggest_serves_the_other_direction_and_regional_tags(client, news):
    response = client.get("/api/v1/suggest", query_string={
        "q": "The minister announced a new program.", "source_lang": "en_GB", "target_lang": "fr-CA"})
    [match] = response.json["matches"]
    assert match["similarity"] == 100.0
    assert match["target"] == "Le ministre a annoncé un nouveau programme."


def test_suggest_orders_matches_and_honours_limit(client, news):
    query = {"q": "Le ministre a annoncé un programme.", "min_similarity": 0, "limit": 2}
    matches = client.get("/api/v1/suggest", query_string=query).json["matches"]
    assert len(matches) == 2
    assert matches[0]["similarity"] >= matches[1]["similarity"]


def test_suggest_clamps_limit(client, news):
    body = client.get("/api/v1/suggest", query_string={"q": "Le projet", "limit": 1000}).json
    assert body["limit"] == MAX_LIMIT


def test_suggest_with_a_memory_that_does_not_exist_is_404(client, news):
    assert_problem(client.get("/api/v1/suggest", query_string={"q": "Le projet", "memory": "nope"}), 404)


def test_suggest_for_a_pair_not_held_is_empty(client, news):
    body = client.get("/api/v1/suggest", query_string={"q": "Hello", "source_lang": "en", "target_lang": "de"}).json
    assert body["matches"] == []


@pytest.mark.parametrize("query, status, names", [
    ({}, 400, ["q"]),
    ({"q": "x", "limit": "many"}, 400, ["limit"]),
    ({"q": "x", "min_similarity": "high"}, 400, ["min_similarity"]),
    ({"q": "x", "min_similarity": "150"}, 422, ["min_similarity"]),
    ({"q": "x", "min_similarity": "nan"}, 400, ["min_similarity"]),
    ({"q": "x", "limit": "0"}, 422, ["limit"]),
    ({"q": "   "}, 422, ["q"]),
    ({"q": "x" * 2001}, 422, ["q"]),
    ({"q": "x", "source_lang": "fr!"}, 422, ["source_lang"]),
    ({"q": "x", "source_lang": "fr", "target_lang": "fr-CA"}, 422, ["source_lang"]),
    ({"limit": "x", "min_similarity": "200"}, 400, ["q", "min_similarity", "limit"]),
])
def test_suggest_validation_lists_every_fault(client, news, query, status, names):
    body = assert_problem(client.get("/api/v1/suggest", query_string=query), status, errors=True)
    assert [error["name"] for error in body["errors"]] == names
    assert all(error["in"] == "query" for error in body["errors"])


def test_query_length_is_a_setting(app, client, news):
    app.config["MAX_QUERY_LENGTH"] = 10
    assert_problem(client.get("/api/v1/suggest", query_string={"q": "Le projet coûte"}), 422)


def test_a_2000_character_query_is_accepted(client, news):
    query = ("Le projet coûte 75 millions de dollars. " * 60)[:2000]
    assert client.get("/api/v1/suggest", query_string={"q": query}).status_code == 200


def test_context_makes_an_in_context_match(app, client):
    with app.app_context():
        session = get_session()
        service.create_memory(session, "releases")
        service.store_release(
            session, "releases", title="t", origin="o", source_text="a", target_text="b",
            pairs=[service.AlignedPair("Bonjour.", "Hello."), service.AlignedPair("Merci beaucoup.", "Thank you.")],
        )
    matches = client.get("/api/v1/suggest", query_string={"q": "Merci beaucoup.", "context": "Bonjour."}).json["matches"]
    assert matches[0]["similarity"] == 101.0 and matches[0]["band"] == "101"
    assert matches[0]["document"]["title"] == "t"


def test_concordance_pages(client, news):
    body = client.get("/api/v1/concordance", query_string={"q": "programme", "lang": "fr", "page_size": 1}).json
    assert body["total"] == 2 and body["has_more"] is True and len(body["items"]) == 1
    assert body["items"][0]["source_spans"]
    second = client.get("/api/v1/concordance", query_string={"q": "programme", "page": 2, "page_size": 1}).json
    assert second["has_more"] is False
    assert second["items"][0]["unit_id"] != body["items"][0]["unit_id"]


def test_concordance_page_size_is_clamped_to_the_setting(app, client, news):
    app.config["MAX_PAGE_SIZE"] = 3
    assert client.get("/api/v1/concordance", query_string={"q": "le", "page_size": 50}).json["page_size"] == 3


@pytest.mark.parametrize("query, status", [({}, 400), ({"q": "le", "page": "0"}, 422), ({"q": "le", "page": "x"}, 400),
                                           ({"q": "le", "memory": "nope"}, 404)])
def test_concordance_errors(client, news, query, status):
    assert_problem(client.get("/api/v1/concordance", query_string=query), status)
