"""The memories resource: list, create, show and delete memories under /api/v1/memories."""
from __future__ import annotations

from flask import Blueprint, request, url_for

from memories import repository, service
from tm_service import auth, params
from tm_service.api import API_PREFIX, no_content
from tm_service.db import get_session

blueprint = Blueprint("memories", __name__, url_prefix=API_PREFIX)

MAX_DESCRIPTION_LENGTH = 2000


def summary_of(summary: repository.MemorySummary) -> dict:
    return {
        "name": summary.name,
        "description": summary.description,
        "source_lang": summary.source_lang,
        "target_lang": summary.target_lang,
        "units": summary.units,
    }


@blueprint.get("/memories")
def list_memories():
    only = auth.readable_memory(None)
    summaries = repository.memory_summaries(get_session())
    return {"memories": [summary_of(s) for s in summaries if only is None or s.name == only]}


@blueprint.post("/memories")
def create_memory():
    auth.require_write(None)
    p = params.json_object(request)
    p.only("name", "description", "source_lang", "target_lang")
    values = {
        "name": p.text("name", required=True, max_length=100),
        "description": p.text("description", default="", max_length=MAX_DESCRIPTION_LENGTH, allow_blank=True),
        "source_lang": p.language("source_lang", default=service.DEFAULT_SOURCE_LANG),
        "target_lang": p.language("target_lang", default=service.DEFAULT_TARGET_LANG),
    }
    p.languages_differ("target_lang", values["source_lang"], values["target_lang"])
    p.check()
    memory = service.create_memory(get_session(), values.pop("name"), **values)
    body = summary_of(
        repository.MemorySummary(memory.name, memory.description, memory.source_lang, memory.target_lang, 0)
    )
    return body, 201, {"Location": url_for(".get_memory", memory_name=memory.name)}


@blueprint.get("/memories/<memory_name>")
def get_memory(memory_name: str):
    auth.readable_memory(memory_name)
    session = get_session()
    return repository.memory_statistics(session, repository.memory_by_name(session, memory_name))


@blueprint.delete("/memories/<memory_name>")
def delete_memory(memory_name: str):
    auth.require_write(memory_name)
    service.delete_memory(get_session(), memory_name)
    return no_content()
