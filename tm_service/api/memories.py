"""The memories resource under /api/v1."""
from __future__ import annotations

from flask import Blueprint

from memories import repository
from tm_service.db import get_session

blueprint = Blueprint("memories", __name__, url_prefix="/api/v1")


@blueprint.get("/memories")
def list_memories():
    summaries = repository.memory_summaries(get_session())
    return {
        "memories": [
            {
                "name": s.name,
                "description": s.description,
                "source_lang": s.source_lang,
                "target_lang": s.target_lang,
                "units": s.units,
            }
            for s in summaries
        ]
    }
