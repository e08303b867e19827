"""A live server on loopback for the real-client tests: the app on a real SQLite file, in a thread."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from werkzeug.serving import make_server

from memories import service
from tests.factories import record
from tm_service import create_app
from tm_service.db import get_session

UNITS = [
    ("Le projet coûte 75 millions de dollars.", "The project costs $75 million."),
    ("Le ministre a annoncé un nouveau programme.", "The minister announced a new program."),
    ("La réunion aura lieu à Fredericton/Moncton.", "The meeting will take place in Fredericton/Moncton."),
    ("Merci beaucoup.", "Thank you very much."),
]


@dataclass(frozen=True)
class LiveServer:
    url: str  # http://127.0.0.1:PORT, no trailing slash
    write_key: str


@pytest.fixture(scope="module")
def live_server(tmp_path_factory) -> Iterator[LiveServer]:
    """Serve a fresh app holding UNITS in memory `news` (fr-en) on a free loopback port."""
    database = tmp_path_factory.mktemp("live") / "tm.sqlite"
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{database}"})
    with app.app_context():
        session = get_session()
        service.create_memory(session, "news")
        service.add_units(session, "news", [record(fr, en) for fr, en in UNITS])
        write_key = service.create_key(session, scope="write", memory_name="news")[1]
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", write_key)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        app.extensions["tm_engine"].dispose()
