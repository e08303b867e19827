"""Replay the requests Weblate's tmserver backend (weblate/machinery/tmserver.py) sends, byte for byte.

Weblate validates a service by fetching `/languages/` and then asking en->de for "test"; it then
looks texts up with `quote(text[:500].replace("\\r", " ").encode(), safe=b"")`, language codes
lower-cased with underscores (`en_gb`), and reads `int(line["quality"])`.
"""
from __future__ import annotations

import http.client
import json
from urllib.parse import quote, urlsplit


def get(live_server, path: str) -> tuple[int, str, object, http.client.HTTPResponse]:
    connection = http.client.HTTPConnection(urlsplit(live_server.url).netloc, timeout=30)
    try:
        connection.request("GET", path, headers={"User-Agent": "Weblate/5.0", "Accept": "application/json"})
        response = connection.getresponse()
        body = response.read().decode("utf-8")
        return response.status, response.getheader("Content-Type"), json.loads(body), response
    finally:
        connection.close()


def weblate_url(*parts: str) -> str:
    """What Weblate's get_api_url builds under a base URL of .../tmserver."""
    return "/".join(["/tmserver", *(quote(part, safe=b"") for part in parts)])


def test_weblate_validation_then_lookups(live_server):
    status, media_type, languages, _ = get(live_server, weblate_url("languages", ""))
    assert (status, media_type) == (200, "application/json")
    supported = [(source, target) for source in languages["sourceLanguages"] for target in languages["targetLanguages"]]
    assert ("fr", "en") in supported and ("en", "fr") in supported

    status, _, probe, _ = get(live_server, weblate_url("en", "de", "unit", "test"))
    assert (status, probe) == (200, [])

    text = "La réunion aura lieu à Fredericton/Moncton."
    path = weblate_url("fr", "en", "unit", text[:500].replace("\r", " ").encode())
    assert "%2F" in path
    status, media_type, payload, response = get(live_server, path)
    assert (status, media_type) == (200, "application/json")
    assert "max-age" in response.getheader("Cache-Control")
    [line] = payload
    assert int(line["quality"]) == 100 and isinstance(line["quality"], float)
    assert (line["source"], line["target"]) == (text, "The meeting will take place in Fredericton/Moncton.")


def test_weblate_regional_codes_and_fuzzy_matches(live_server):
    text = "Le projet coûte 89,2 millions de dollars."
    status, _, payload, _ = get(live_server, weblate_url("fr_ca", "en_gb", "unit", text.encode()))
    assert status == 200
    assert payload[0]["target"] == "The project costs $75 million." and 75 <= int(payload[0]["quality"]) < 100
    ranks = [line["rank"] for line in payload]
    assert ranks == sorted(ranks, reverse=True)


def test_amagama_query_parameters(live_server):
    status, _, payload, _ = get(live_server, "/tmserver/fr/en/unit/?source=Merci%20beaucoup.&max_candidates=100"
                                             "&min_similarity=30")
    assert status == 200 and payload[0]["target"] == "Thank you very much."


def test_errors_are_problem_json_on_the_wire(live_server):
    status, media_type, body, _ = get(live_server, "/tmserver/fr/en/unit/x?max_candidates=lots")
    assert (status, media_type) == (400, "application/problem+json")
    assert body["errors"][0]["name"] == "max_candidates"
