"""The database for the app: one engine per app, one session per request or CLI command."""
from __future__ import annotations

import os

from flask import Flask, current_app, g
from sqlalchemy.orm import Session

from memories.database import make_engine, make_session_factory, migrate


def init_app(app: Flask) -> None:
    url = app.config["DATABASE_URL"]
    if not url:
        os.makedirs(app.instance_path, exist_ok=True)
        url = "sqlite:///" + os.path.join(app.instance_path, "tm.sqlite")
        app.config["DATABASE_URL"] = url
    engine = make_engine(url)
    if app.config["AUTO_MIGRATE"]:
        migrate(engine)
    app.extensions["tm_engine"] = engine
    app.extensions["tm_sessions"] = make_session_factory(engine)
    app.teardown_appcontext(close_session)


def get_session() -> Session:
    """Return this request's session, opening it on first use."""
    if "tm_session" not in g:
        g.tm_session = current_app.extensions["tm_sessions"]()
    return g.tm_session


def close_session(_error: BaseException | None = None) -> None:
    session = g.pop("tm_session", None)
    if session is not None:
        session.close()
