"""The matcher of this worker process: one per app, its index built from the database on first use."""
from __future__ import annotations

from flask import Flask, current_app

from memories.matching import Match, Matcher
from tm_service.db import get_session


def init_app(app: Flask) -> None:
    # Cheap to create: the index is built by the first query (or `Matcher.build()`), in the
    # worker process that will use it, never in a parent that forks.
    app.extensions["tm_matcher"] = Matcher(app.extensions["tm_sessions"])


def get_matcher() -> Matcher:
    return current_app.extensions["tm_matcher"]


def suggest(
    query: str,
    *,
    source_lang: str,
    target_lang: str,
    memory: str | None,
    min_similarity: float,
    limit: int,
    context: str | None = None,
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
    )
