"""The tmserver/amaGama and MyMemory shapes, in process (tests/http drives real clients)."""
from __future__ import annotations

from urllib.parse import quote

import pytest

from memories import service
from tests.factories import record
from tests.tm_service.helpers import assert_problem, bearer
from tm_service.compat.tmserver import MAX_CANDIDATES
from tm_service.db import get_session


def test_tmserver_lookup_shape(client, news):
    response = client.get("/tmserver/fr/en/unit/" + quote("Le projet coûte 89,2 millions de dollars.", safe=""))
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "max-age=" in response.headers["Cache-Control"]
    [candidate] = response.json
    assert set(candidate) == {"source", "target", "quality", "rank"}
    assert isinstance(candidate["quality"], float) and isinstance(candidate["rank"], float)
    assert candidate["target"] == "The project costs $75 million."


def test_tmserver_exact_quality_is_the_float_100(client, news):
    [candidate] = client.get("/tmserver/fr/en/unit/" + quote("La réunion aura lieu à Fredericton.", safe="")).json
    assert candidate["quality"] == 100.0 and type(candidate["quality"]) is float
    assert '"quality":100.0' in client.get(
        "/tmserver/fr/en/unit/" + quote("La réunion aura lieu à Fredericton.", safe="")).get_data(as_text=True)


@pytest.mark.parametrize("source_lang, target_lang", [("fr", "en"), ("fr_CA", "en_GB"), ("fr-CA", "en-US"),
                                                      ("FR", "en_us"), ("en", "fr")])
def test_tmserver_language_codes_as_clients_send_them(client, news, source_lang, target_lang):
    text = "Le ministre a annoncé un nouveau programme." if source_lang.lower().startswith("fr") else \
        "The minister announced a new program."
    response = client.get(f"/tmserver/{source_lang}/{target_lang}/unit/{quote(text, safe='')}")
    assert response.status_code == 200 and response.json[0]["quality"] == 100.0


def test_tmserver_source_parameter_and_slashes(app, client, news):
    with app.app_context():
        service.add_units(get_session(), "news", [record("Il vit à Moncton/Dieppe // depuis 2010.",
                                                         "He has lived in Moncton/Dieppe // since 2010."),
                                                  record("/usr/bin est un dossier.", "/usr/bin is a folder.")])
    for text in ("Il vit à Moncton/Dieppe // depuis 2010.", "/usr/bin est un dossier."):
        by_path = client.get("/tmserver/fr/en/unit/" + quote(text, safe=""))
        by_query = client.get("/tmserver/fr/en/unit/", query_string={"source": text})
        assert by_path.status_code == 200, by_path.get_data(as_text=True)
        assert by_path.json[0]["source"] == text
        assert by_query.json == by_path.json


def test_tmserver_pair_not_held_is_an_empty_list(client, news):
    response = client.get("/tmserver/en/de/unit/Hello")
    assert response.status_code == 200 and response.json == []


def test_tmserver_max_candidates_is_clamped(app, client):
    with app.app_context():
        session = get_session()
        service.create_memory(session, "many")
        service.add_units(session, "many", [record(f"Le chat numéro {chr(0x61 + i // 26)}{chr(0x61 + i % 26)} dort.",
                                                   f"Cat {i} sleeps.") for i in range(40)])
    candidates = client.get("/tmserver/fr/en/unit/" + quote("Le chat numéro zz dort.", safe=""),
                            query_string={"max_candidates": 100, "min_similarity": 50}).json
    assert len(candidates) == MAX_CANDIDATES
    assert [c["rank"] for c in candidates] == sorted((c["rank"] for c in candidates), reverse=True)


def test_tmserver_languages(client, news):
    for path in ("/tmserver/languages/", "/tmserver/languages"):
        response = client.get(path)
        assert response.status_code == 200
        assert response.json == {"sourceLanguages": ["en", "fr"], "targetLanguages": ["en", "fr"]}


@pytest.mark.parametrize("path, status", [("/tmserver/fr/en/unit/", 400), ("/tmserver/fr!/en/unit/x", 422),
                                          ("/tmserver/fr/fr/unit/x", 422),
                                          ("/tmserver/fr/en/unit/x?min_similarity=500", 422)])
def test_tmserver_errors(client, news, path, status):
    assert_problem(client.get(path), status)


MYMEMORY_MATCH_KEYS = {"id", "segment", "translation", "source", "target", "quality", "match", "created-by",
                       "create-date", "last-update-date", "usage-count", "reference"}


@pytest.mark.parametrize("langpair", ["fr|en", "fr-FR|en-GB", "fr-CA|en-US"])
def test_mymemory_get_shape(client, news, langpair):
    response = client.get("/get", query_string={"q": "Le projet coûte 89,2 millions de dollars.", "langpair": langpair})
    assert response.status_code == 200
    body = response.json
    assert body["responseStatus"] == 200 and type(body["responseStatus"]) is int
    assert body["responseData"]["translatedText"] == "The project costs $89.2 million."
    assert body["responseData"]["match"] == 0.99
    [match] = body["matches"]
    assert set(match) == MYMEMORY_MATCH_KEYS
    assert (match["segment"], match["translation"]) == ("Le projet coûte 75 millions de dollars.",
                                                        "The project costs $75 million.")
    assert 0 <= match["match"] <= 1


def test_mymemory_get_without_a_match(client, news):
    body = client.get("/get", query_string={"q": "Rien à voir ici du tout.", "langpair": "fr|en"}).json
    assert body["responseData"] == {"translatedText": "", "match": 0} and body["matches"] == []


def test_mymemory_set_needs_a_write_key_and_stores(client, news, make_key):
    query = {"seg": "Merci beaucoup.", "tra": "Thank you very much.", "langpair": "fr-FR|en-GB", "de": "a@b.ca"}
    assert_problem(client.get("/set", query_string=query), 401)
    assert_problem(client.get("/set", query_string={**query, "key": make_key("read", "news")}), 403)
    response = client.get("/set", query_string={**query, "key": make_key("write", "news")})
    assert response.status_code == 200 and response.json["responseStatus"] == 200
    unit = client.get(f"/api/v1/memories/news/units/{response.json['id']}").json
    assert (unit["source"], unit["creator"]) == ("Merci beaucoup.", "a@b.ca")
    global_key = make_key("write")
    assert client.get("/set", query_string={**query, "memory": "news"}, headers=bearer(global_key)).json["id"] == \
        response.json["id"]
    assert_problem(client.get("/set", query_string={**query, "memory": "nope"}, headers=bearer(global_key)), 404)
    assert_problem(client.get("/set", query_string={"langpair": "fr|en", "key": make_key("write", "news")}), 400)


ORDERS_DISAGREE = [  # (source, quality, similarity) for the query below: the two scores rank them apart
    ("le ministre a annonce un nouveau programme pour les familles", 95.08, 88.0),
    ("Le ministre a annoncé un nouveau programme pour les écoles.", 91.8, 90.0),
    ("La ministre annonce un nouveau programme pour des familles.", 91.8, 60.0),
    ("Le ministre a annoncé un programme pour les familles.", 86.89, 90.0),
]
ORDERS_QUERY = "Le ministre a annoncé un nouveau programme pour les familles."


@pytest.fixture
def disagreeing(client):
    with client.application.app_context():
        service.create_memory(get_session(), "orders")
        service.add_units(get_session(), "orders", [record(source, f"Unit {n}.") for n, (source, _, _) in
                                                   enumerate(ORDERS_DISAGREE)])


def test_tmserver_filters_and_orders_by_quality_ties_by_rank(client, disagreeing):
    answer = client.get("/tmserver/fr/en/unit/" + quote(ORDERS_QUERY, safe="") + "?min_similarity=90").json
    assert [(c["source"], c["quality"], c["rank"]) for c in answer] == [
        (source, quality, similarity) for source, quality, similarity in ORDERS_DISAGREE if quality >= 90
    ]  # the unit of similarity 90 and quality 86.89 is left out; the tie at 91.8 goes to rank 90


def test_mymemory_orders_by_quality(client, disagreeing):
    answer = client.get("/get", query_string={"q": ORDERS_QUERY, "langpair": "fr|en"}).json
    assert [m["segment"] for m in answer["matches"]] == [source for source, _, _ in ORDERS_DISAGREE]
    assert answer["responseData"]["translatedText"] == "Unit 0."


def test_api_suggest_ranks_by_similarity_unless_asked_for_quality(client, disagreeing):
    by_similarity = client.get("/api/v1/suggest", query_string={"q": ORDERS_QUERY, "min_similarity": 80}).json
    assert by_similarity["order"] == "similarity"
    assert [m["similarity"] for m in by_similarity["matches"]] == [90.0, 90.0, 88.0]
    by_quality = client.get("/api/v1/suggest", query_string={"q": ORDERS_QUERY, "min_similarity": 80,
                                                              "order": "quality"}).json
    assert by_quality["order"] == "quality"
    assert [m["quality"] for m in by_quality["matches"]] == [95.08, 91.8, 91.8, 86.89]
    bad = client.get("/api/v1/suggest", query_string={"q": ORDERS_QUERY, "order": "best"})
    assert_problem(bad, 422)
