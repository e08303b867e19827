"""POST /api/v1/score: the contract's shape, sacrebleu's numbers, documents, and clear errors."""
from __future__ import annotations

import pytest
from sacrebleu.metrics import BLEU, CHRF, TER

from memories import service
from tests.factories import record
from tm_service.db import get_session


@pytest.fixture
def stored(app):
    with app.app_context():
        session = get_session()
        service.create_memory(session, "news")
        service.add_units(session, "news", [
            record("Le projet coûtera 4,5 millions de dollars.", "The project will cost $4.5 million."),
            record("Les travaux commenceront au printemps prochain.", "Work will begin next spring."),
        ])


def test_segments_against_the_memory(client, stored):
    response = client.post("/api/v1/score", json={
        "source_lang": "fr", "target_lang": "en", "memory": "news", "metrics": ["bleu", "chrf", "ter"],
        "segments": [
            {"source": "Le projet coûtera 4,5 millions de dollars.", "draft": "The project will cost $5.4 million."},
            {"source": "Les travaux commenceront au printemps prochain.", "draft": "Work will begin next spring."},
            {"source": "Autre chose.", "draft": "Something else.", "reference": "Something different."},
        ],
    })
    assert response.status_code == 200, response.json
    body = response.json
    first, second, third = body["segments"]
    assert first["references"] == ["The project will cost $4.5 million."]
    assert (first["reference_origin"], first["match_similarity"]) == ("memory", 100)
    assert {f["code"] for f in first["flags"]} == {"number_mismatch", "differs_from_exact_match"}
    assert second["flags"] == [] and second["bleu"]["score"] == pytest.approx(100)
    assert third["reference_origin"] == "given"
    drafts = [s["draft"] for s in body["segments"]]
    references = [[s["references"][0] for s in body["segments"]]]
    for name, metric in {"bleu": BLEU(), "chrf": CHRF(word_order=2), "ter": TER()}.items():
        assert body["corpus"][name]["score"] == metric.corpus_score(drafts, references).score
        assert body["corpus"][name]["signature"] == str(metric.get_signature())
    sentence = BLEU(effective_order=True)
    assert first["bleu"]["score"] == sentence.sentence_score(drafts[0], references[0][:1]).score
    assert first["bleu"]["signature"] == str(sentence.get_signature())


def test_documents_are_aligned_first(client, stored):
    response = client.post("/api/v1/score", json={
        "source_document": "Le projet coûtera 4,5 millions de dollars. Les travaux commenceront au printemps prochain.",
        "draft_document": "The project will cost $4.5 million. Work will begin next spring.",
    })
    assert response.status_code == 200
    segments = response.json["segments"]
    assert [s["pairing"]["link"] for s in segments] == ["1-1", "1-1"]
    assert response.json["corpus"]["bleu"]["score"] == pytest.approx(100)


@pytest.mark.parametrize(
    "body, status, field",
    [
        ({}, 400, "segments"),
        ({"segments": []}, 400, "segments"),
        ({"segments": [{"source": "x"}]}, 400, "segments[0].draft"),
        ({"segments": [{"source": "x", "draft": "y", "colour": 1}]}, 422, "segments[0].colour"),
        ({"segments": [{"source": "x", "draft": "y"}], "metrics": ["meteor"]}, 422, "metrics"),
        ({"segments": [{"source": "x", "draft": "y"}], "metrics": "bleu"}, 400, "metrics"),
        ({"segments": [{"source": "x", "draft": "y"}], "source_document": "a", "draft_document": "b"}, 400, "segments"),
        ({"segments": [{"source": "x", "draft": "y"}], "source_lang": "fr", "target_lang": "fr-CA"}, 422, "target_lang"),
    ],
)
def test_bad_bodies_are_problems(client, body, status, field):
    response = client.post("/api/v1/score", json=body)
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    assert field in [error["name"] for error in response.json["errors"]]


def test_unknown_memory_is_404(client):
    response = client.post("/api/v1/score", json={"segments": [{"source": "x", "draft": "y"}], "memory": "nope"})
    assert response.status_code == 404 and response.mimetype == "application/problem+json"
