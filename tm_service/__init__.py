"""The Flask service over the translation memory: `create_app` is the only entry point."""
from __future__ import annotations

import logging
from collections.abc import Mapping

from flask import Flask

from tm_service.config import DEFAULTS


def create_app(test_config: Mapping[str, object] | None = None) -> Flask:
    """Build the app from defaults, then `TM_*` environment variables or the test mapping."""
    app = Flask(__name__, instance_relative_config=True, static_folder=None)
    app.config.from_mapping(DEFAULTS)
    if test_config is None:
        app.config.from_prefixed_env("TM")
    else:
        app.config.from_mapping(test_config)
    _configure_logging(app)
    # Answers keep their fields in the documented order and their text readable.
    app.json.sort_keys = False
    app.json.ensure_ascii = False

    from tm_service import api, auth, compat, db, errors, limits, matching, openapi, web

    db.init_app(app)
    errors.init_app(app)
    limits.init_app(app)
    matching.init_app(app)
    auth.init_app(app)
    api.init_app(app)
    compat.init_app(app)
    openapi.init_app(app)
    web.init_app(app)
    return app


def _configure_logging(app: Flask) -> None:
    level = str(app.config["LOG_LEVEL"]).upper()
    for name in ("tm_service", "memories", "alignment"):
        logging.getLogger(name).setLevel(level)
    if not logging.getLogger().handlers:
        logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
