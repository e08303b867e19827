"""Keys and limits behind gunicorn (2 workers, gunicorn.conf.py), on SQLite and PostgreSQL: who may
write what, keys stored only as hashes and compared in constant time, the write rate limit, and
the longest query a GET can carry (2,000 accented characters: 12 kB of URL, past gunicorn's own
8,190-byte ceiling) next to the answers for longer ones, all problem+json."""
from __future__ import annotations

import hmac
import json
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import MetaData, select

from memories import repository, service
from memories.database import make_engine, make_session_factory
from tests.reliability.conftest import (
    BACKENDS, NEWS_UNITS, backend_url, gunicorn_serving, http_request, seed, snapshot, stored_texts,
)
from tm_service.limits import MAX_URL_BYTES
from tm_service.serving import LIMIT_REQUEST_LINE

PROBLEM = "application/problem+json"
BURST = 3
UNIT = {"source_lang": "fr", "target_lang": "en", "source": "Une phrase de plus.", "target": "One more sentence."}
FRENCH = "Été à Québec : élèves, écoles et hôpitaux – « très » coûteux, déjà prévu aujourd’hui. "


@pytest.fixture(scope="module", params=BACKENDS)
def served(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(f"keys-{request.param}")
    url = backend_url(request.param, folder)
    keys = seed(url)
    settings = {"TM_WRITE_RATE_LIMIT": "1", "TM_WRITE_BURST": str(BURST)}
    with gunicorn_serving(url, folder / "gunicorn.log", workers=2, settings=settings) as server:
        yield server, url, keys


def new_key(url: str, scope: str, memory: str | None) -> str:
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            return service.create_key(session, scope=scope, memory_name=memory)[1]
    finally:
        engine.dispose()


def send(server, method, target, *, token=None, body=None, content_type="application/json", headers=None):
    headers = dict(headers or {})
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if body is not None:
        headers["Content-Type"] = content_type
        body = json.dumps(body).encode() if content_type == "application/json" else body
    return http_request(server.address, method, target, headers=headers, body=body or b"")


def assert_problem(answer, status):
    assert answer.status == status, answer.body
    assert answer.media_type == PROBLEM
    problem = json.loads(answer.body)
    assert problem["status"] == status and problem["title"] and problem["type"]
    return problem


# -- who may write ------------------------------------------------------------------------------


def test_writes_without_a_key_are_401_with_a_challenge(served):
    server, url, _ = served
    before = snapshot(url)
    answer = send(server, "POST", "/api/v1/memories/news/units", body=UNIT)
    assert_problem(answer, 401)
    assert answer.headers["www-authenticate"].startswith("Bearer")
    assert_problem(send(server, "GET", "/set?seg=Oui&tra=Yes&langpair=fr|en&memory=news"), 401)
    assert_problem(send(server, "DELETE", "/api/v1/memories/news"), 401)
    assert snapshot(url) == before


def test_a_read_key_cannot_write(served):
    server, url, keys = served
    before = snapshot(url)
    assert_problem(send(server, "POST", "/api/v1/memories/news/units", token=keys.read, body=UNIT), 403)
    assert_problem(send(server, "GET", f"/set?seg=Oui&tra=Yes&langpair=fr|en&key={keys.read}"), 403)
    assert_problem(send(server, "DELETE", "/api/v1/memories/news", token=keys.read), 403)
    assert snapshot(url) == before


def test_a_key_for_one_memory_cannot_write_another(served):
    server, url, keys = served
    before = snapshot(url)
    token = keys.other  # writes memory `other` only
    unit_id = stored_texts(url, "news")[0][0]
    tsv = (b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.tsv\"\r\n\r\n"
           b"Oui.\tYes.\n\r\n--b--\r\n")
    attempts = [
        send(server, "POST", "/api/v1/memories/news/units", token=token, body=UNIT),
        send(server, "PUT", f"/api/v1/memories/news/units/{unit_id}", token=token,
             body={"source": "Changé.", "target": "Changed."}),
        send(server, "DELETE", f"/api/v1/memories/news/units/{unit_id}", token=token),
        send(server, "DELETE", "/api/v1/memories/news", token=token),
        send(server, "POST", "/api/v1/memories/news/import", token=token, body=tsv,
             content_type="multipart/form-data; boundary=b"),
        send(server, "POST", "/api/v1/align", token=token,
             body={"source": "Bonjour. Merci.", "target": "Hello. Thanks.", "memory": "news"}),
        send(server, "GET", f"/set?seg=Oui&tra=Yes&langpair=fr|en&memory=news&key={token}"),
        send(server, "POST", "/api/v1/memories", token=token, body={"name": "third"}),
    ]
    for answer in attempts:
        assert_problem(answer, 403)
    assert snapshot(url) == before
    # The same key does write its own memory.
    assert send(server, "POST", "/api/v1/memories/other/units", token=token, body=UNIT).status == 201


def test_an_unknown_key_is_401_even_where_none_is_needed(served):
    server, _, keys = served
    assert_problem(send(server, "GET", "/api/v1/suggest?q=Merci", token=keys.write + "x"), 401)
    assert_problem(send(server, "GET", "/api/v1/suggest?q=Merci", headers={"X-API-Key": "tm_guess"}), 401)


# -- how keys are kept --------------------------------------------------------------------------


def test_the_database_holds_no_key_only_its_hash(served):
    server, url, keys = served
    assert send(server, "GET", "/api/v1/suggest?q=Merci", token=keys.write).status == 200
    engine = make_engine(url)
    try:
        metadata = MetaData()
        metadata.reflect(engine)
        with engine.connect() as connection:
            everything = "\n".join(repr(tuple(row)) for table in metadata.sorted_tables
                                   for row in connection.execute(select(table)))
    finally:
        engine.dispose()
    for token in (keys.write, keys.read, keys.all, keys.other):
        assert token not in everything
        secret = token.removeprefix("tm_")
        assert secret not in everything and secret[:16] not in everything
        assert repository.key_hash(token) in everything
    if url.startswith("sqlite"):
        database = url.removeprefix("sqlite:///")
        raw = b"".join(Path(path).read_bytes() for path in (database, database + "-wal") if Path(path).exists())
        assert not any(token.encode() in raw for token in (keys.write, keys.read, keys.all, keys.other))


def test_keys_are_compared_in_constant_time(served, monkeypatch):
    _, url, keys = served
    compared = []
    real = hmac.compare_digest

    def spy(a, b):
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            assert repository.key_by_token(session, keys.write) is not None
            assert repository.key_by_token(session, keys.write[:-1] + "?") is None
    finally:
        engine.dispose()
    # The lookup is by the token's hash, and the stored hash is checked with compare_digest, whose
    # time does not depend on where two strings first differ.
    assert compared == [(repository.key_hash(keys.write), repository.key_hash(keys.write))]


# -- the write rate limit -----------------------------------------------------------------------


def test_writes_past_the_rate_get_429_with_retry_after(served):
    server, url, _ = served
    token, spare = new_key(url, "write", "news"), new_key(url, "write", "news")
    answers = []
    # Each of the 2 workers holds its own buckets: 2 x BURST + 1 writes must overflow one of them.
    for number in range(2 * BURST + 1):
        body = {**UNIT, "source": f"Écriture limitée {number}.", "target": f"Limited write {number}."}
        answers.append(send(server, "POST", "/api/v1/memories/news/units", token=token, body=body))
    limited = [answer for answer in answers if answer.status == 429]
    assert limited and {answer.status for answer in answers} <= {201, 429}
    for answer in limited:
        assert_problem(answer, 429)
        assert 1 <= int(answer.headers["retry-after"]) <= 60
    # Another key is not limited by this one's writes, and reads are never limited.
    assert send(server, "POST", "/api/v1/memories/news/units", token=spare, body=UNIT).status == 201
    assert all(send(server, "GET", "/api/v1/suggest?q=Merci").status == 200 for _ in range(2 * BURST + 1))


# -- the longest query, behind gunicorn ---------------------------------------------------------


def test_a_2000_character_accented_query_works_in_a_get(served):
    server, _, _ = served
    query = ("é" * 1000 + FRENCH * 30)[:2000]
    target = "/api/v1/suggest?source_lang=fr&target_lang=en&q=" + quote(query, safe="")
    assert len(target) > 8190  # more than gunicorn's own ceiling for a request line
    answer = send(server, "GET", target)
    assert (answer.status, answer.media_type) == (200, "application/json"), answer.body[:300]
    assert json.loads(answer.body)["query"] == query
    # The same through tmserver (text in the path) and MyMemory.
    assert send(server, "GET", "/tmserver/fr/en/unit/" + quote(query, safe="")).status == 200
    assert send(server, "GET", "/get?langpair=fr|en&q=" + quote(query, safe="")).status == 200


def test_the_longest_query_and_context_in_four_byte_characters_fit(served):
    server, _, _ = served
    emoji = "😀" * 2000  # 12 bytes each once percent-encoded
    target = f"/api/v1/suggest?q={quote(emoji, safe='')}&context={quote(emoji, safe='')}"
    assert len(target) > 48_000
    answer = send(server, "GET", target)
    assert answer.status == 200, answer.body[:300]


def test_one_character_more_is_a_422_problem(served):
    server, _, _ = served
    problem = assert_problem(send(server, "GET", "/api/v1/suggest?q=" + quote("é" * 2001, safe="")), 422)
    assert problem["errors"][0]["name"] == "q"


def test_a_url_past_the_limit_is_a_414_problem_from_the_app(served):
    server, _, _ = served
    target = ("/api/v1/suggest?q=a&pad=" + "b" * MAX_URL_BYTES)[: MAX_URL_BYTES + 1]
    assert len(f"GET {target} HTTP/1.1") <= LIMIT_REQUEST_LINE  # gunicorn lets it through to the app
    problem = assert_problem(send(server, "GET", target), 414)
    assert str(MAX_URL_BYTES) in problem["detail"]


def test_a_request_line_of_a_megabyte_is_a_414_problem_from_gunicorn(served):
    server, _, _ = served
    answer = send(server, "GET", "/api/v1/suggest?q=" + "a" * 1024 * 1024)
    assert_problem(answer, 414)
    assert answer.headers.get("connection") == "close"
    assert send(server, "GET", "/healthz").status == 200  # and the workers go on serving


def test_a_header_past_gunicorns_limit_is_a_431_problem(served):
    server, _, _ = served
    assert_problem(send(server, "GET", "/healthz", headers={"X-Padding": "a" * 9000}), 431)


def test_a_malformed_request_is_a_400_problem_from_gunicorn(served):
    server, _, _ = served
    assert_problem(http_request(server.address, "GET", "/api/v1/suggest?q=a b"), 400)


def test_suggestions_still_work_afterwards(served):
    server, _, _ = served
    french, english = NEWS_UNITS[1]
    answer = send(server, "GET", "/api/v1/suggest?q=" + quote(french, safe=""))
    assert json.loads(answer.body)["matches"][0]["target"] == english
