"""The app served as in production: gunicorn with gunicorn.conf.py and wsgi:app, on loopback.

A 2,000-character French query fits in a GET (gunicorn's default 4,094-byte request line would
refuse it); longer ones get a problem+json answer, from the app or from gunicorn itself.
"""
from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from memories import service
from tests.factories import record
from tm_service import create_app
from tm_service.db import get_session
from tm_service.serving import LIMIT_REQUEST_LINE

ROOT = Path(__file__).resolve().parents[2]
ACCENTED = "Été à Québec : élèves, écoles et hôpitaux – « très » coûteux, déjà prévu aujourd’hui. "
FRENCH = "Le gouvernement du Nouveau-Brunswick a annoncé aujourd’hui un investissement de 89,2 millions de " \
         "dollars pour améliorer les écoles élémentaires de la région. "


BODY_LIMIT = 100_000


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def gunicorn(tmp_path_factory):
    """Start `gunicorn -w 1` from the project root (so gunicorn.conf.py applies); yield host:port."""
    database = tmp_path_factory.mktemp("gunicorn") / "tm.sqlite"
    url = f"sqlite:///{database}"
    app = create_app({"DATABASE_URL": url})
    with app.app_context():
        service.create_memory(get_session(), "news")
        service.add_units(get_session(), "news", [record(FRENCH.strip(), "New Brunswick invests $89.2 million.")])
    app.extensions["tm_engine"].dispose()
    address = f"127.0.0.1:{free_port()}"
    environment = {**os.environ, "TM_DATABASE_URL": url, "TM_MAX_CONTENT_LENGTH": str(BODY_LIMIT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", address, "--workers", "1", "wsgi:app"],
        cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if request(address, "/healthz")[0] == 200:
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"gunicorn did not start: {process.stderr.read().decode()[-2000:]}")
                time.sleep(0.2)
        yield address
    finally:
        process.terminate()
        process.wait(timeout=30)


def request(address: str, target: str, method: str = "GET", body: bytes | None = None,
            headers: dict | None = None) -> tuple[int, str, bytes]:
    connection = http.client.HTTPConnection(address, timeout=60)
    try:
        connection.request(method, target, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type") or "", response.read()
    finally:
        connection.close()


def test_a_2000_character_french_query_works_in_a_get(gunicorn):
    query = (ACCENTED * 40)[:2000]
    target = "/api/v1/suggest?source_lang=fr&target_lang=en&q=" + quote(query, safe="")
    assert len(target) > 4094  # over gunicorn's default request line
    status, media_type, body = request(gunicorn, target)
    assert (status, media_type) == (200, "application/json")
    assert json.loads(body)["query"] == query


def test_a_longer_query_is_a_problem_from_the_app(gunicorn):
    status, media_type, body = request(gunicorn, "/api/v1/suggest?q=" + "a" * 3000)
    assert (status, media_type) == (422, "application/problem+json")
    assert json.loads(body)["errors"][0]["name"] == "q"


def test_2000_accented_characters_fit_past_gunicorns_own_ceiling(gunicorn):
    status, media_type, body = request(gunicorn, "/api/v1/suggest?q=" + quote("é" * 2000, safe=""))
    assert 12 + 6 * 2000 > 8190  # gunicorn's ceiling for limit_request_line, lifted by serving.install()
    assert (status, media_type) == (200, "application/json")
    assert json.loads(body)["query"] == "é" * 2000


def test_a_request_line_past_gunicorns_limit_is_a_problem_too(gunicorn):
    status, media_type, body = request(gunicorn, "/api/v1/suggest?q=" + "a" * LIMIT_REQUEST_LINE)
    assert (status, media_type) == (414, "application/problem+json")
    problem = json.loads(body)
    assert problem["status"] == 414 and problem["title"] and problem["type"]


def test_tmserver_and_mymemory_through_gunicorn(gunicorn):
    status, _, body = request(gunicorn, "/tmserver/fr/en/unit/" + quote(FRENCH.strip(), safe=""))
    assert status == 200 and json.loads(body)[0]["quality"] == 100.0
    status, _, body = request(gunicorn, "/get?langpair=fr|en&q=" + quote(FRENCH.strip(), safe=""))
    assert status == 200 and json.loads(body)["responseData"]["match"] == 1


def test_an_oversized_body_is_a_problem(gunicorn):
    body = json.dumps({"source": "x" * (2 * BODY_LIMIT), "target": "y"}).encode()
    status, media_type, _ = request(gunicorn, "/api/v1/align", "POST", body, {"Content-Type": "application/json"})
    assert (status, media_type) == (413, "application/problem+json")
