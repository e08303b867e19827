"""The matcher of this worker process, over the index files shared by every worker of the machine."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy.engine import make_url

from memories.matching import Match, Matcher, store
from tm_service.db import get_session


def init_app(app: Flask) -> None:
    # Cheap to create: the index is opened by `Matcher.start()` (gunicorn.conf.py, as each worker
    # starts) or by the first query, in the process that uses it, never in a parent that forks.
    app.extensions["tm_matcher"] = Matcher(app.extensions["tm_sessions"], index_dir=index_dir(app))


def index_dir(app: Flask) -> Path | None:
    """Where the index files live: INDEX_DIR, or beside a SQLite database file, or in the
    instance folder (one folder per database URL); None for an in-memory database."""
    if app.config["INDEX_DIR"]:
        return Path(app.config["INDEX_DIR"])
    url = make_url(app.config["DATABASE_URL"])
    if url.get_backend_name() == "sqlite":
        if url.database in (None, "", ":memory:"):
            return None
        return Path(url.database + ".index")
    name = hashlib.sha256(url.render_as_string(hide_password=True).encode()).hexdigest()[:12]
    return Path(app.instance_path) / f"index-{name}"


def get_matcher() -> Matcher:
    return current_app.extensions["tm_matcher"]


def update_index(*, full: bool = False) -> store.Summary | None:
    """Bring the index files up to the database after an import (`full`: rebuild them);
    None when the index is in memory."""
    folder = get_matcher().index.folder
    if folder is None:
        return None
    return store.update(get_session(), folder, full=full, jobs=os.cpu_count())


def suggest(
    query: str,
    *,
    source_lang: str,
    target_lang: str,
    memory: str | None,
    min_similarity: float,
    limit: int,
    context: str | None = None,
    order: str = "similarity",
) -> list[Match]:
    """Return the stored units closest to `query`, best first (see `Matcher.suggest`)."""
    return get_matcher().suggest(
        get_session(),
        query,
        source_lang=source_lang,
        target_lang=target_lang,
        memory=memory,
        min_similarity=min_similarity,
        limit=limit,
        context=context,
        order=order,
    )
