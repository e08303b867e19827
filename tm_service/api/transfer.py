"""Whole memories in and out as files: POST .../import (multipart upload) and GET .../export (streamed)."""
from __future__ import annotations

from typing import BinaryIO

from flask import Blueprint, Request, Response, current_app, request

from memories import repository, transfer
from tm_service import auth, params
from tm_service.api import API_PREFIX
from tm_service.db import get_session
from tm_service.errors import ApiProblem
from tm_service.streaming import stream_writes

blueprint = Blueprint("transfer", __name__, url_prefix=API_PREFIX)

UPLOAD_FIELD = "file"


def upload_of(request: Request, memory_name: str) -> tuple[BinaryIO, dict]:
    """Return the uploaded file and the import's options; the memory is looked up before the
    upload is read, so a wrong name costs no upload."""
    repository.memory_by_name(get_session(), memory_name)
    if request.mimetype != "multipart/form-data":
        raise ApiProblem(415, f"send the file as multipart/form-data in the field {UPLOAD_FIELD!r}")
    request.max_content_length = current_app.config["MAX_UPLOAD_SIZE"]
    p = params.form(request)
    upload = request.files.get(UPLOAD_FIELD)
    if upload is None:
        p.fault(UPLOAD_FIELD, "is required: a .tmx or .tsv file", params.MISSING)
    declared = p.choice("format", transfer.FORMATS)
    values = {"source_lang": p.language("source_lang"), "target_lang": p.language("target_lang")}
    p.check()
    values["file_format"] = transfer.format_for(upload.filename, declared)
    return upload.stream, values


@blueprint.post("/memories/<memory_name>/import")
def import_file(memory_name: str):
    auth.require_write(memory_name)
    stream, values = upload_of(request, memory_name)
    result = transfer.import_file(get_session(), memory_name, stream, **values)
    return {"memory": memory_name, "format": values["file_format"], "read": result.read, "added": result.added,
            "duplicates": result.duplicates, "skipped": result.skipped}


def export_chunks(memory_name: str, file_format: str):
    """Check the memory exists (a 404 must come before the 200), then stream its file."""
    repository.memory_by_name(get_session(), memory_name)
    sessions = current_app.extensions["tm_sessions"]

    def write(stream: BinaryIO) -> None:
        with sessions() as session:
            transfer.export_file(session, memory_name, stream, file_format=file_format)

    return stream_writes(write, name="tm-export")


@blueprint.get("/memories/<memory_name>/export")
def export_file(memory_name: str):
    p = params.query(request)
    file_format = p.choice("format", transfer.FORMATS, default="tmx")
    p.check()
    memory_name = auth.readable_memory(memory_name)
    disposition = f'attachment; filename="{memory_name}.{file_format}"'
    return Response(export_chunks(memory_name, file_format), mimetype=transfer.MEDIA_TYPES[file_format],
                    headers={"Content-Disposition": disposition})
