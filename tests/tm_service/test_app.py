"""The app factory, settings, /healthz, /api/v1/memories and the error shape."""
from __future__ import annotations

import pytest

from memories import service
from tm_service import create_app
from tm_service.db import get_session
from tests.factories import record


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_memories_lists_unit_counts(app, client):
    with app.app_context():
        session = get_session()
        service.create_memory(session, "news", description="Releases")
        service.create_memory(session, "empty")
        service.add_units(session, "news", [record("Un", "One"), record("Deux", "Two")])
    response = client.get("/api/v1/memories")
    assert response.status_code == 200
    assert [(m["name"], m["description"], m["units"]) for m in response.json["memories"]] == [
        ("empty", "", 0),
        ("news", "Releases", 2),
    ]


@pytest.mark.parametrize("method, path, status", [("GET", "/nowhere", 404), ("DELETE", "/healthz", 405)])
def test_errors_are_problem_json(client, method, path, status):
    response = client.open(path, method=method)
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    assert set(response.json) >= {"type", "title", "status", "detail"}
    assert response.json["status"] == status


def test_unexpected_errors_hide_internals(app, client):
    @app.get("/boom")
    def boom():
        raise RuntimeError("secret table name")

    response = client.get("/boom")
    assert response.status_code == 500
    assert response.mimetype == "application/problem+json"
    assert "secret" not in response.get_data(as_text=True)


def test_settings_come_from_tm_environment(monkeypatch, tmp_path):
    url = f"sqlite:///{tmp_path / 'env.sqlite'}"
    monkeypatch.setenv("TM_DATABASE_URL", url)
    monkeypatch.setenv("TM_MAX_QUERY_LENGTH", "123")
    app = create_app()
    assert app.config["DATABASE_URL"] == url
    assert app.config["MAX_QUERY_LENGTH"] == 123
    assert (tmp_path / "env.sqlite").exists()
    app.extensions["tm_engine"].dispose()


def test_sqlite_runs_in_wal_mode_with_busy_timeout(app):
    if not app.config["DATABASE_URL"].startswith("sqlite"):
        pytest.skip("SQLite only")
    with app.extensions["tm_engine"].connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_a_busy_database_is_503_with_retry_after(app, client):
    from sqlalchemy.exc import OperationalError

    @app.get("/busy")
    def busy():
        raise OperationalError("INSERT INTO units ...", {}, Exception("database is locked"))

    response = client.get("/busy")
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert int(response.headers["Retry-After"]) >= 1
    assert "INSERT" not in response.get_data(as_text=True)


def test_a_row_changed_meanwhile_is_409(app, client):
    from sqlalchemy.orm.exc import StaleDataError

    @app.get("/raced")
    def raced():
        raise StaleDataError("UPDATE statement on table 'units' expected to update 1 row(s); 0 were matched.")

    response = client.get("/raced")
    assert response.status_code == 409
    assert response.mimetype == "application/problem+json"
    assert "UPDATE" not in response.get_data(as_text=True)


def test_the_index_lives_beside_a_sqlite_file_or_in_the_instance_folder(tmp_path):
    from tm_service.matching import index_dir

    sqlite = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'tm.sqlite'}"})
    assert index_dir(sqlite) == tmp_path / "tm.sqlite.index"
    in_memory = create_app({"TESTING": True, "DATABASE_URL": "sqlite://"})
    assert index_dir(in_memory) is None
    named = create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "INDEX_DIR": str(tmp_path / "elsewhere")})
    assert index_dir(named) == tmp_path / "elsewhere"
    for app in (sqlite, in_memory, named):
        app.extensions["tm_engine"].dispose()
