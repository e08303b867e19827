"""Two imports of the same file at once store each unit once, and between them say so: one adds
every unit, the other finds them all stored (on SQLite the second waits for the first's lock)."""
from __future__ import annotations

import io
import threading

import pytest

from memories import transfer
from memories.database import make_engine, make_session_factory
from tests.reliability.conftest import BACKENDS, backend_url, seed, snapshot, stored_texts

UNITS = 3000


def tmx_bytes(count: int) -> bytes:
    units = "".join(
        f'<tu tuid="{n}"><tuv xml:lang="fr"><seg>Phrase importée deux fois, numéro {n}.</seg></tuv>'
        f'<tuv xml:lang="en"><seg>Sentence imported twice, number {n}.</seg></tuv></tu>\n'
        for n in range(count)
    )
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="fr"/><body>\n{units}' \
           "</body></tmx>\n".encode()


@pytest.mark.parametrize("backend", BACKENDS)
def test_two_imports_of_the_same_file_at_once(backend, tmp_path):
    url = backend_url(backend, tmp_path)
    seed(url)
    before = snapshot(url)
    data = tmx_bytes(UNITS)
    start = threading.Barrier(2)
    results, errors = [], []

    def run() -> None:
        engine = make_engine(url)  # its own engine and connection, as another process would have
        try:
            with make_session_factory(engine)() as session:
                start.wait()
                results.append(transfer.import_file(session, "news", io.BytesIO(data), file_format="tmx"))
        except Exception as error:  # noqa: BLE001 - a lock error here is the finding
            errors.append(error)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert [result.read for result in results] == [UNITS, UNITS]
    assert sorted(result.added for result in results) == [0, UNITS], results
    assert sorted(result.duplicates for result in results) == [0, UNITS], results

    after = snapshot(url)
    assert after.units("news") == before.units("news") + UNITS
    assert after.memories["other"] == before.memories["other"]
    texts = [(source, target) for _, source, target in stored_texts(url, "news")]
    assert len(texts) == len(set(texts))
