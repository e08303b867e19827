"""Memories, units, import/export and alignment through /api/v1, with a write key."""
from __future__ import annotations

import io

import pytest

from tests.tm_service.conftest import NEWS_UNITS
from tests.tm_service.helpers import assert_problem, bearer

UNIT = {"source_lang": "fr", "target_lang": "en", "source": "Bonjour.", "target": "Hello."}


@pytest.fixture
def writer(make_key) -> dict[str, str]:
    """Headers carrying a write key for every memory."""
    return bearer(make_key("write"))


def test_memories_lifecycle(client, writer):
    response = client.post("/api/v1/memories", json={"name": "news", "description": "Releases"}, headers=writer)
    assert response.status_code == 201
    assert response.headers["Location"].endswith("/api/v1/memories/news")
    assert response.json == {"name": "news", "description": "Releases", "source_lang": "fr", "target_lang": "en",
                             "units": 0}
    assert client.get("/api/v1/memories").json == {"memories": [response.json]}
    assert client.get("/api/v1/memories/news").json["units"] == 0
    assert_problem(client.post("/api/v1/memories", json={"name": "news"}, headers=writer), 409)
    response = client.delete("/api/v1/memories/news", headers=writer)
    assert response.status_code == 204 and response.data == b"" and "Content-Type" not in response.headers
    assert client.get("/api/v1/memories").json == {"memories": []}
    assert_problem(client.delete("/api/v1/memories/news", headers=writer), 404)


@pytest.mark.parametrize("body, status", [
    ({}, 400),
    ({"name": 5}, 400),
    ({"name": "bad name!"}, 422),
    ({"name": "x", "source_lang": "fr", "target_lang": "fr"}, 422),
    ({"name": "x", "target_lang": "not a tag"}, 422),
])
def test_create_memory_validation(client, writer, body, status):
    assert_problem(client.post("/api/v1/memories", json=body, headers=writer), status, errors=True)


def test_bodies_must_be_json_objects(client, writer):
    assert_problem(client.post("/api/v1/memories", data="name=x", headers=writer,
                               content_type="application/x-www-form-urlencoded"), 415)
    assert_problem(client.post("/api/v1/memories", data="{", headers=writer, content_type="application/json"), 400,
                   errors=True)
    assert_problem(client.post("/api/v1/memories", json=["news"], headers=writer), 400, errors=True)


def test_add_one_unit_then_read_replace_delete(client, news, writer):
    response = client.post("/api/v1/memories/news/units", json={**UNIT, "creator": "ana"}, headers=writer)
    assert response.status_code == 201
    [unit_id] = response.json["ids"]
    location = response.headers["Location"]
    assert location.endswith(f"/api/v1/memories/news/units/{unit_id}")
    unit = client.get(location).json
    assert (unit["source"], unit["target"], unit["creator"], unit["origin"]) == ("Bonjour.", "Hello.", "ana", "manual")
    response = client.put(location, json={"source": "Bonjour à tous.", "target": "Hello everyone.", "changer": "bo"},
                          headers=writer)
    assert response.status_code == 200
    assert (response.json["source"], response.json["changer"], response.json["creator"]) == (
        "Bonjour à tous.", "bo", "ana")
    assert response.json["created_at"] == unit["created_at"]
    assert client.get("/api/v1/suggest", query_string={"q": "Bonjour à tous."}).json["matches"][0]["unit_id"] == unit_id
    assert client.delete(location, headers=writer).status_code == 204
    assert_problem(client.get(location), 404)
    assert_problem(client.delete(location, headers=writer), 404)


def test_add_a_batch_all_or_nothing(client, news, writer):
    units = [UNIT, {**UNIT, "source": "Merci.", "target": "Thank you."}]
    response = client.post("/api/v1/memories/news/units", json={"units": units}, headers=writer)
    assert response.status_code == 201 and len(response.json["ids"]) == 2 and "Location" not in response.headers
    again = client.post("/api/v1/memories/news/units", json={"units": units}, headers=writer)
    assert again.json["ids"] == response.json["ids"]  # duplicates answer the stored ids
    bad = [{**UNIT, "source": "Oui."}, {**UNIT, "source": "", "target_lang": "xx yy"}, "not an object"]
    body = assert_problem(client.post("/api/v1/memories/news/units", json={"units": bad}, headers=writer), 400,
                          errors=True)
    assert [e["name"] for e in body["errors"]] == ["units[1].target_lang", "units[1].source", "units[2]"]
    assert client.get("/api/v1/memories/news").json["units"] == len(NEWS_UNITS) + 2


@pytest.mark.parametrize("body, status", [
    ({"units": []}, 400),
    ({"units": "x"}, 400),
    ({**UNIT, "source_lang": "de"}, 422),  # not the memory's pair
    ({**UNIT, "document": 999}, 404),
    ({**UNIT, "source": "a\x00b"}, 422),
])
def test_add_units_errors(client, news, writer, body, status):
    assert_problem(client.post("/api/v1/memories/news/units", json=body, headers=writer), status)


def test_units_of_a_missing_memory_are_404(client, writer):
    assert_problem(client.post("/api/v1/memories/nope/units", json=UNIT, headers=writer), 404)
    assert_problem(client.get("/api/v1/memories/nope/units/1"), 404)


def test_replacing_with_another_units_texts_is_409(client, news, writer):
    first, second = client.post("/api/v1/memories/news/units", json={"units": [
        UNIT, {**UNIT, "source": "Merci.", "target": "Thank you."}]}, headers=writer).json["ids"]
    response = client.put(f"/api/v1/memories/news/units/{second}", json={"source": "Bonjour.", "target": "Hello."},
                          headers=writer)
    assert_problem(response, 409)


def test_import_tsv_then_export_both_formats(client, news, writer):
    data = {"file": (io.BytesIO("Oui\tYes\nNon\tNo\nOui\tYes\n".encode()), "pairs.tsv")}
    response = client.post("/api/v1/memories/news/import", data=data, headers=writer)
    assert response.status_code == 200
    assert response.json == {"memory": "news", "format": "tsv", "read": 3, "added": 2, "duplicates": 1, "skipped": 0}
    exported = client.get("/api/v1/memories/news/export", query_string={"format": "tsv"})
    assert exported.status_code == 200 and exported.mimetype == "text/tab-separated-values"
    assert 'filename="news.tsv"' in exported.headers["Content-Disposition"]
    assert exported.get_data(as_text=True).splitlines()[-2:] == ["Oui\tYes", "Non\tNo"]
    tmx = client.get("/api/v1/memories/news/export")
    assert tmx.mimetype == "application/x-tmx+xml"
    assert tmx.data.count(b"<tu>") + tmx.data.count(b"<tu ") == len(NEWS_UNITS) + 2


def test_import_round_trips_an_export(client, news, writer):
    tmx = client.get("/api/v1/memories/news/export").data
    client.post("/api/v1/memories", json={"name": "copy"}, headers=writer)
    data = {"file": (io.BytesIO(tmx), "whatever.bin"), "format": "tmx"}
    assert client.post("/api/v1/memories/copy/import", data=data, headers=writer).json["added"] == len(NEWS_UNITS)


def test_import_is_all_or_nothing(client, news, writer):
    data = {"file": (io.BytesIO(b"Un\tOne\nDeux\tTwo\nTrois\n"), "bad.tsv")}
    body = assert_problem(client.post("/api/v1/memories/news/import", data=data, headers=writer), 422, errors=True)
    assert "line 3" in body["detail"]
    assert client.get("/api/v1/memories/news").json["units"] == len(NEWS_UNITS)


@pytest.mark.parametrize("content, data, status", [
    (None, {"format": "tsv"}, 400),
    ((b"a\tb\n", "pairs.csv"), {}, 422),
    ((b"a\tb\n", "pairs.tsv"), {"format": "xml"}, 422),
    ((b"<tmx", "pairs.tmx"), {}, 422),
])
def test_import_errors(client, news, writer, content, data, status):
    if content is not None:
        data = {**data, "file": (io.BytesIO(content[0]), content[1])}
    response = client.post("/api/v1/memories/news/import", data=data, headers=writer, content_type="multipart/form-data")
    assert_problem(response, status)


def test_import_needs_multipart(client, news, writer):
    assert_problem(client.post("/api/v1/memories/news/import", json={"file": "x"}, headers=writer), 415)


def test_upload_size_is_a_setting(app, client, news, writer):
    app.config["MAX_UPLOAD_SIZE"] = 1000
    data = {"file": (io.BytesIO(b"Oui\tYes\n" * 500), "big.tsv")}
    assert_problem(client.post("/api/v1/memories/news/import", data=data, headers=writer), 413)


def test_body_size_is_a_setting(app, client, news, writer):
    app.config["MAX_CONTENT_LENGTH"] = 100
    assert_problem(client.post("/api/v1/memories/news/units", json={**UNIT, "source": "x" * 200}, headers=writer), 413)


def test_export_errors(client, news):
    assert_problem(client.get("/api/v1/memories/nope/export"), 404)
    assert_problem(client.get("/api/v1/memories/news/export", query_string={"format": "csv"}), 422)


FRENCH = "Le ministre a annoncé un nouveau programme. Il aidera les familles.\n\nLa réunion aura lieu demain."
ENGLISH = "The minister announced a new program. It will help families.\n\nThe meeting will take place tomorrow."


def test_align_returns_scored_pairs(client):
    response = client.post("/api/v1/align", json={"source": FRENCH, "target": ENGLISH, "min_score": 0})
    assert response.status_code == 200
    body = response.json
    assert body["stored"] is None
    assert [(p["source"], p["target"]) for p in body["pairs"]][0] == (
        "Le ministre a annoncé un nouveau programme.", "The minister announced a new program.")
    assert all(0 <= p["score"] <= 1 for p in body["pairs"])


def test_align_stores_into_a_memory_once(client, news, writer):
    request = {"source": FRENCH, "target": ENGLISH, "memory": "news", "title": "Release 1", "min_score": 0}
    assert_problem(client.post("/api/v1/align", json=request), 401)
    answer = client.post("/api/v1/align", json=request, headers=writer).json
    stored = answer["stored"]
    assert stored["already_stored"] is False
    assert stored["added"] + stored["duplicates"] == len(answer["pairs"]) >= 2
    assert stored["duplicates"] == 1  # the first sentence pair is in the memory already
    again = client.post("/api/v1/align", json=request, headers=writer).json["stored"]
    assert again == {"memory": "news", "already_stored": True, "added": 0, "duplicates": 0}
    match = client.get("/api/v1/suggest", query_string={"q": "La réunion aura lieu demain."}).json["matches"][0]
    assert match["document"]["title"] == "Release 1"


def test_align_english_to_french_stores_oriented(client, news, writer):
    request = {"source": ENGLISH, "target": FRENCH, "source_lang": "en", "target_lang": "fr", "memory": "news",
               "min_score": 0}
    assert client.post("/api/v1/align", json=request, headers=writer).status_code == 200
    unit = client.get("/api/v1/suggest", query_string={"q": "La réunion aura lieu demain."}).json["matches"][0]
    assert unit["target"] == "The meeting will take place tomorrow."


@pytest.mark.parametrize("body, status", [
    ({"source": "x"}, 400),
    ({"source": "x", "target": "y", "min_score": 2}, 422),
    ({"source": "x", "target": "y", "kind": "pdf"}, 422),
    ({"source": "x", "target": "y", "memory": "nope"}, 404),
    ({"source": "x", "target": "y", "source_lang": "de", "memory": "news"}, 422),
])
def test_align_errors(client, news, writer, body, status):
    assert_problem(client.post("/api/v1/align", json=body, headers=writer), status)


def test_align_length_is_a_setting(app, client):
    app.config["MAX_ALIGN_LENGTH"] = 10
    assert_problem(client.post("/api/v1/align", json={"source": FRENCH, "target": ENGLISH}), 422)


def test_a_batch_names_its_document_once(client, news, writer):
    body = {"units": [{**UNIT, "document": 1}]}
    problem = assert_problem(client.post("/api/v1/memories/news/units", json=body, headers=writer), 422, errors=True)
    assert problem["errors"][0]["name"] == "units[0].document"


def test_export_head_and_an_abandoned_download_stop_the_writer(app, client, news):
    import threading

    assert client.head("/api/v1/memories/news/export").status_code == 200
    response = client.get("/api/v1/memories/news/export", buffered=False)
    next(iter(response.response))  # the client reads one chunk, then goes away
    response.close()
    writers = [thread for thread in threading.enumerate() if thread.name == "tm-export"]
    for thread in writers:
        thread.join(timeout=10)
    assert not any(thread.is_alive() for thread in writers)


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_ids_past_32_bits_are_404_not_500(client, news, writer, method):
    response = client.open(f"/api/v1/memories/news/units/{2**31}", method=method, headers=writer,
                           json={"source": "a", "target": "b"} if method == "PUT" else None)
    assert_problem(response, 404)
    assert_problem(client.get(f"/api/v1/memories/news/units/{10**30}"), 404)
