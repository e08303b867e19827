"""Liveness: `GET /healthz` answers 200 when the database answers."""
from __future__ import annotations

from flask import Blueprint
from sqlalchemy import text

from tm_service.db import get_session

blueprint = Blueprint("health", __name__)


@blueprint.get("/healthz")
def healthz():
    get_session().execute(text("SELECT 1"))
    return {"status": "ok"}
