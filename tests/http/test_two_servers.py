"""Two app servers on one database: a change made through one is in the other's answers within 2 s.

Each server is its own gunicorn (2 workers, gunicorn.conf.py) with its own TM_INDEX_DIR, as two
machines would be, on one PostgreSQL (TM_TEST_DATABASE_URL) or one SQLite file. A unit is added,
edited and deleted through server A over HTTP; server B is asked through /api/v1/suggest and the
tmserver route every 50 ms. The change counts as visible once STEADY_ROUNDS rounds in a row show
it and both of B's workers are among those that answered (gunicorn picks the worker, so each
request carries an X-Probe header that B's access log pairs with the worker's pid). The only
timing asserted is the contract itself: that steady run starts within 2 s of A's answer to the
write.
"""
from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest

from tests.reliability.conftest import (
    BACKENDS,
    NEWS_UNITS,
    Answer,
    Gunicorn,
    backend_url,
    http_request,
    seed,
    start_gunicorn,
    stop_gunicorn,
)

#: The contract: a change through one server is in the other's answers this soon after the write.
VISIBLE_WITHIN = 2.0
POLL_INTERVAL = 0.05
#: Rounds in a row that must all show a change before it counts as visible.
STEADY_ROUNDS = 10
#: Rounds after which a server that never routed a probe to one of its workers fails the test.
MAX_ROUNDS = 400
WORKERS = 2
START_TIMEOUT = 60.0
#: How long an answered probe may take to reach the access log.
LOG_TIMEOUT = 10.0

MEMORY = "news"
SEEDED = NEWS_UNITS[0]
ADDED = ("Le conseil municipal de Bathurst votera le budget mardi prochain.",
         "Bathurst city council will vote on the budget next Tuesday.")
# Unlike ADDED in every word, so the old source no longer matches the edited unit at all.
EDITED = ("Les inscriptions au programme d’été ouvrent le 3 juin à Shediac.",
          "Registration for the summer program opens June 3 in Shediac.")

Pair = tuple[str, str]


@dataclass
class Server:
    """One gunicorn, with an access log that names the worker (pid) behind each probe."""

    name: str
    gunicorn: Gunicorn
    access_log: Path
    probes: int = 0

    def send(self, method: str, target: str, *, headers: dict | None = None, body: bytes = b"") -> tuple[str, Answer]:
        """Send one request on a fresh connection; return its probe id and the answer."""
        self.probes += 1
        probe = f"{self.name}{self.probes}"
        answer = http_request(self.gunicorn.address, method, target, headers={**(headers or {}), "X-Probe": probe},
                              body=body)
        return probe, answer

    def workers(self, probes: list[str]) -> set[str]:
        """Return the pids of the workers that answered `probes`, once the access log holds them all."""
        wanted, deadline = set(probes), time.monotonic() + LOG_TIMEOUT
        while True:
            lines = self.access_log.read_text().splitlines() if self.access_log.exists() else []
            pids = dict(line.split(" ", 1) for line in lines if " " in line)
            if wanted <= pids.keys():
                return {pids[probe] for probe in wanted}
            if time.monotonic() > deadline:
                pytest.fail(f"server {self.name}'s access log lacks probes {sorted(wanted - pids.keys())}")
            time.sleep(POLL_INTERVAL)


def start_server(name: str, database_url: str, tmp_path: Path) -> Server:
    """Start gunicorn with `WORKERS` workers on `database_url`, with an index folder of its own."""
    folder = tmp_path / f"server-{name}"
    (folder / "index").mkdir(parents=True)
    access_log = folder / "access.log"
    settings = {
        "TM_INDEX_DIR": str(folder / "index"),
        # Which worker answered each probe: gunicorn, not the client, picks it.
        "GUNICORN_CMD_ARGS": f"--access-logfile {access_log} --access-logformat '%({{x-probe}}i)s %(p)s'",
    }
    gunicorn = start_gunicorn(database_url, folder / "server.log", workers=WORKERS, settings=settings,
                              timeout=START_TIMEOUT)
    return Server(name, gunicorn, access_log)


@dataclass
class TwoServers:
    writer: Server  # A: takes the writes
    reader: Server  # B: is asked until it shows them
    write_key: str

    def logs(self) -> str:
        return "\n".join(f"--- server {server.name} (gunicorn stderr) ---\n{server.gunicorn.log_tail(8000)}"
                         for server in (self.writer, self.reader))


@pytest.fixture(params=BACKENDS)
def two_servers(request, tmp_path) -> Iterator[TwoServers]:
    """Servers A and B, each its own gunicorn and index folder, on one freshly seeded database."""
    database_url = backend_url(request.param, tmp_path)
    keys = seed(database_url)
    started: list[Server] = []
    try:
        for name in ("A", "B"):
            started.append(start_server(name, database_url, tmp_path))
        yield TwoServers(*started, write_key=keys.write)
    finally:
        for server in started:
            stop_gunicorn(server.gunicorn)


@contextmanager
def logs_on_failure(servers: TwoServers) -> Iterator[None]:
    """Print both servers' stderr when the block fails (pytest shows it beside the failure)."""
    try:
        yield
    except BaseException:
        print(servers.logs())
        raise


# -- what server B answers ----------------------------------------------------------------------


def body_of(server: Server, probe: str, answer: Answer, target: str) -> object:
    if answer.status != 200:
        pytest.fail(f"server {server.name} answered {answer.status} to {target} ({probe}): {answer.body[:500]!r}")
    return json.loads(answer.body)


def suggested(server: Server, query: str) -> tuple[str, list[Pair]]:
    """Ask /api/v1/suggest; return the probe id and the (source, target) of every match."""
    target = "/api/v1/suggest?" + urlencode({"q": query, "source_lang": "fr", "target_lang": "en"})
    probe, answer = server.send("GET", target)
    return probe, [(match["source"], match["target"]) for match in body_of(server, probe, answer, target)["matches"]]


def tmserver_candidates(server: Server, query: str) -> tuple[str, list[Pair]]:
    """Ask the tmserver route; return the probe id and the (source, target) of every candidate."""
    target = "/tmserver/fr/en/unit/" + quote(query, safe="")
    probe, answer = server.send("GET", target)
    return probe, [(candidate["source"], candidate["target"]) for candidate in body_of(server, probe, answer, target)]


LOOKUPS: tuple[Callable[[Server, str], tuple[str, list[Pair]]], ...] = (suggested, tmserver_candidates)


@dataclass(frozen=True)
class Expect:
    """What a query must (or must no longer) find: `unit` among its answers, or not."""

    query: str
    unit: Pair
    present: bool

    def __str__(self) -> str:
        return f"{self.unit!r} {'among' if self.present else 'absent from'} the answers to {self.query!r}"


@dataclass(frozen=True)
class Round:
    """One ask of every expectation through every lookup."""

    started: float
    probes: list[str]
    misses: list[str]


def ask(server: Server, expectations: list[Expect]) -> Round:
    started, probes, misses = time.monotonic(), [], []
    for expect in expectations:
        for lookup in LOOKUPS:
            probe, pairs = lookup(server, expect.query)
            probes.append(probe)
            if (expect.unit in pairs) != expect.present:
                misses.append(f"{lookup.__name__} ({probe}): expected {expect}, got {pairs}")
    return Round(started, probes, misses)


def steady(server: Server, expectations: list[Expect], *, since: float, within: float) -> float:
    """Ask `server` every POLL_INTERVAL until STEADY_ROUNDS rounds in a row, answered by all its
    workers, meet `expectations`; return how long after `since` that run started. Fail if no such
    run has started within `within` seconds, or if a round misses after that."""
    run: list[Round] = []
    last = Round(since, [], ["not asked yet"])
    for _ in range(MAX_ROUNDS):
        if not run and time.monotonic() - since > within:
            pytest.fail(f"server {server.name} does not show the change {within} s after it was made: "
                        + "; ".join(last.misses))
        last = ask(server, expectations)
        run = run + [last] if not last.misses else []
        if len(run) >= STEADY_ROUNDS:
            workers = server.workers([probe for done in run for probe in done.probes])
            if len(workers) >= WORKERS:
                return run[0].started - since
        time.sleep(POLL_INTERVAL)
    pytest.fail(f"after {MAX_ROUNDS} rounds, gunicorn had not routed a steady run to all {WORKERS} workers "
                f"of server {server.name}")


def visible_on_reader(servers: TwoServers, what: str, expectations: list[Expect], written_at: float) -> None:
    seconds = steady(servers.reader, expectations, since=written_at, within=VISIBLE_WITHIN)
    print(f"{what}: steady on server B {seconds:.3f} s after server A's answer")


# -- what server A is told ----------------------------------------------------------------------


def write(servers: TwoServers, method: str, target: str, status: int, fields: dict | None = None) -> tuple[Answer, float]:
    """Send one write to server A; return its answer and when it arrived."""
    headers = {"Authorization": f"Bearer {servers.write_key}"}
    body = b""
    if fields is not None:
        headers["Content-Type"] = "application/json"
        body = json.dumps(fields).encode()
    _, answer = servers.writer.send(method, target, headers=headers, body=body)
    written_at = time.monotonic()
    assert answer.status == status, answer.body[:500]
    return answer, written_at


# -- the contract -------------------------------------------------------------------------------


def test_a_change_through_one_server_reaches_the_other_within_2_s(two_servers):
    with logs_on_failure(two_servers):
        # Every worker of B has its index (holding the seeded units) before anything changes.
        steady(two_servers.reader, [Expect(SEEDED[0], SEEDED, True), Expect(ADDED[0], ADDED, False)],
               since=time.monotonic(), within=START_TIMEOUT)

        units = f"/api/v1/memories/{MEMORY}/units"
        answer, written_at = write(two_servers, "POST", units, 201, {
            "source_lang": "fr", "target_lang": "en", "source": ADDED[0], "target": ADDED[1]})
        [unit_id] = json.loads(answer.body)["ids"]
        visible_on_reader(two_servers, "added", [Expect(ADDED[0], ADDED, True)], written_at)

        _, written_at = write(two_servers, "PUT", f"{units}/{unit_id}", 200, {"source": EDITED[0], "target": EDITED[1]})
        visible_on_reader(two_servers, "edited", [Expect(EDITED[0], EDITED, True), Expect(ADDED[0], ADDED, False)],
                          written_at)

        _, written_at = write(two_servers, "DELETE", f"{units}/{unit_id}", 204)
        visible_on_reader(two_servers, "deleted", [Expect(EDITED[0], EDITED, False)], written_at)
