"""Our JSON API under /api/v1: one blueprint per resource, each view parse -> call -> serialise."""
from __future__ import annotations

from flask import Flask, Response

API_PREFIX = "/api/v1"


def no_content() -> Response:
    """Answer 204 with no body and no media type (werkzeug would otherwise say text/html)."""
    response = Response(status=204)
    del response.headers["Content-Type"]
    return response


def init_app(app: Flask) -> None:
    from tm_service.api import align, health, memories, score, suggest, transfer, units

    for module in (health, suggest, memories, units, transfer, align, score):
        app.register_blueprint(module.blueprint)
