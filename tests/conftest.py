"""Shared fixtures: real SQLite always, real PostgreSQL when TM_TEST_DATABASE_URL names one."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import text

from memories.database import make_engine, make_session_factory, migrate
from tm_service import create_app

SHARED_DATA = Path(os.environ.get("TM_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))


def shared_data(*parts: str) -> Path:
    """Return a path under ../shared/data, or skip the test when the development data is absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"development data not found at {path} (set TM_SHARED_DATA)")
    return path


def _reset_postgres(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request, tmp_path) -> str:
    """A fresh, empty database: a SQLite file, or the CI PostgreSQL with its schema wiped."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'tm.sqlite'}"
    url = os.environ.get("TM_TEST_DATABASE_URL")
    if not url:
        pytest.skip("TM_TEST_DATABASE_URL is not set; PostgreSQL tests run in CI (.ci/run)")
    _reset_postgres(url)
    return url


@pytest.fixture
def engine(database_url):
    engine = make_engine(database_url)
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine):
    session = make_session_factory(engine)()
    yield session
    session.close()


@pytest.fixture
def app(database_url, tmp_path):
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "INDEX_DIR": str(tmp_path / "index")})
    app.instance_path = str(tmp_path / "instance")
    yield app
    app.extensions["tm_engine"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()
