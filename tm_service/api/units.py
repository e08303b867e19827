"""Units of a memory: add one or many, read, replace and delete one, under /api/v1/memories/NAME/units."""
from __future__ import annotations

import dataclasses

from flask import Blueprint, request, url_for

from memories import repository, service, transfer
from memories.errors import NotFound
from memories.models import Unit
from memories.records import Segment, UnitRecord
from tm_service import auth, params
from tm_service.api import API_PREFIX, no_content
from tm_service.db import get_session

blueprint = Blueprint("units", __name__, url_prefix=API_PREFIX)

#: Units one POST may carry; larger sets go through the import endpoint.
MAX_UNITS_PER_REQUEST = 10_000
MAX_CREATOR_LENGTH = 200


def unit_of(unit: Unit, memory_name: str) -> dict:
    """Return a stored unit as JSON-ready data."""
    return {
        "id": unit.id,
        "memory": memory_name,
        "source_lang": unit.source_lang,
        "source": unit.source_text,
        "target_lang": unit.target_lang,
        "target": unit.target_text,
        "document": unit.document_id,
        "position": unit.position,
        "origin": unit.origin,
        "alignment_score": unit.alignment_score,
        "creator": unit.creator,
        "changer": unit.changer,
        "created_at": transfer.as_utc(unit.created_at).isoformat(),
        "changed_at": transfer.as_utc(unit.changed_at).isoformat(),
    }


UNIT_FIELDS = ("source_lang", "target_lang", "source", "target", "creator", "document")
REPLACE_FIELDS = ("source_lang", "target_lang", "source", "target", "changer")


def _record(p: params.Params, *, source_lang: str | None = None, target_lang: str | None = None) -> UnitRecord | None:
    """Read one unit's fields; languages default to the given ones (the unit's own, for PUT)."""
    source_lang = p.language("source_lang", default=source_lang, required=True)
    target_lang = p.language("target_lang", default=target_lang, required=True)
    source = p.text("source", required=True, max_length=service.MAX_TEXT_LENGTH)
    target = p.text("target", required=True, max_length=service.MAX_TEXT_LENGTH)
    creator = p.text("creator", max_length=MAX_CREATOR_LENGTH, allow_blank=True)
    p.languages_differ("target_lang", source_lang, target_lang)
    if None in (source_lang, target_lang, source, target):
        return None
    return UnitRecord(Segment(source_lang, source), Segment(target_lang, target), creator=creator, origin="manual")


def records_and_document(body: params.Params) -> tuple[list[UnitRecord], int | None]:
    """Read a POST body: one unit, or {"units": [...]}; `document` (an id) is the request's."""
    document_id = body.integer("document", minimum=1, maximum=params.MAX_ID)
    if "units" in body.source:
        body.only("units", "document")
    items = body.source.get("units") if "units" in body.source else [body.source]
    if not isinstance(items, list) or not items:
        body.fault("units", "must be a non-empty list of unit objects", params.MALFORMED)
        body.check()
    if len(items) > MAX_UNITS_PER_REQUEST:
        body.fault("units", f"holds more than {MAX_UNITS_PER_REQUEST} units; import a file instead")
        body.check()
    records, faults = [], []
    for index, item in enumerate(items):
        prefix = "" if "units" not in body.source else f"units[{index}]."
        if not isinstance(item, dict):
            faults.append((params.MALFORMED, {"name": prefix.rstrip("."), "in": "body", "detail": "must be an object"}))
            continue
        p = params.Params(item, "body")
        p.only(*UNIT_FIELDS)
        records.append(_record(p))
        if "units" in body.source and item.get("document") is not None:
            p.fault("document", "goes beside units, once for the whole request")
        faults.extend((kind, {**error, "name": prefix + str(error["name"])}) for kind, error in p.faults)
    body.faults.extend(faults)
    body.check()
    return records, document_id


def add_units(memory_name: str, records: list[UnitRecord], document_id: int | None) -> list[int]:
    session = get_session()
    document = None
    if document_id is not None:
        memory = repository.memory_by_name(session, memory_name)
        document = repository.document_in_memory(session, memory.id, document_id)
    return service.add_units(session, memory_name, records, document=document)


@blueprint.post("/memories/<memory_name>/units")
def post_units(memory_name: str):
    auth.require_write(memory_name)
    body = params.json_object(request)
    records, document_id = records_and_document(body)
    ids = add_units(memory_name, records, document_id)
    headers = {"Location": url_for(".get_unit", memory_name=memory_name, unit_id=ids[0])} if len(ids) == 1 else {}
    return {"ids": ids}, 201, headers


def existing_id(unit_id: int) -> int:
    """Refuse an id no unit can have (ids are 32-bit) before it reaches the database."""
    if unit_id > params.MAX_ID:
        raise NotFound(f"no unit {unit_id} in this memory")
    return unit_id


def unit_in(memory_name: str, unit_id: int) -> Unit:
    existing_id(unit_id)
    session = get_session()
    return repository.unit_in_memory(session, repository.memory_by_name(session, memory_name).id, unit_id)


UNIT_URL = "/memories/<memory_name>/units/<int:unit_id>"


@blueprint.get(UNIT_URL)
def get_unit(memory_name: str, unit_id: int):
    auth.readable_memory(memory_name)
    return unit_of(unit_in(memory_name, unit_id), memory_name)


def replace_texts(memory_name: str, unit_id: int, body: params.Params) -> Unit:
    """Replace a unit's texts (and languages, if given), keeping its ids, dates and notes."""
    old = transfer.record_of(unit_in(memory_name, unit_id))
    body.only(*REPLACE_FIELDS)
    edited = _record(body, source_lang=old.source.lang, target_lang=old.target.lang)
    changer = body.text("changer", max_length=MAX_CREATOR_LENGTH, allow_blank=True)
    body.check()
    record = dataclasses.replace(old, source=edited.source, target=edited.target, changer=changer, changed_at=None)
    return service.update_unit(get_session(), memory_name, unit_id, record)


@blueprint.put(UNIT_URL)
def put_unit(memory_name: str, unit_id: int):
    auth.require_write(memory_name)
    unit = replace_texts(memory_name, unit_id, params.json_object(request))
    return unit_of(unit, memory_name)


@blueprint.delete(UNIT_URL)
def delete_unit(memory_name: str, unit_id: int):
    auth.require_write(memory_name)
    service.delete_unit(get_session(), memory_name, existing_id(unit_id))
    return no_content()
