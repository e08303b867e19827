"""What existing clients speak: the tmserver/amaGama and MyMemory wire formats."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from tm_service.compat import mymemory, tmserver

    tmserver.init_app(app)
    app.register_blueprint(mymemory.blueprint)
