"""Fixtures for the HTTP API tests: a memory with units, and keys of each kind."""
from __future__ import annotations

import pytest

from memories import service
from tests.factories import record
from tm_service.db import get_session

NEWS_UNITS = [
    ("Le projet coûte 75 millions de dollars.", "The project costs $75 million."),
    ("Le ministre a annoncé un nouveau programme.", "The minister announced a new program."),
    ("Le programme aidera les familles de la province.", "The program will help families in the province."),
    ("La réunion aura lieu à Fredericton.", "The meeting will take place in Fredericton."),
]


@pytest.fixture
def news(app) -> str:
    """A fr-en memory called news holding NEWS_UNITS; returns its name."""
    with app.app_context():
        session = get_session()
        service.create_memory(session, "news", description="Releases")
        service.add_units(session, "news", [record(fr, en) for fr, en in NEWS_UNITS])
    return "news"


@pytest.fixture
def make_key(app):
    """Create a key: make_key("write", "news") -> the token, as `tm keys create` prints it."""

    def make(scope: str, memory: str | None = None) -> str:
        with app.app_context():
            return service.create_key(get_session(), scope=scope, memory_name=memory)[1]

    return make
