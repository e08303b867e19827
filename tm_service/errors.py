"""Every error the service answers, in one shape: application/problem+json (RFC 9457)."""
from __future__ import annotations

import logging

from flask import Flask, Response, current_app, json
from werkzeug.exceptions import HTTPException

from memories.errors import Conflict, InvalidInput, NotFound, TranslationMemoryError

logger = logging.getLogger(__name__)

PROBLEM_TYPE = "about:blank"
_STATUS_OF = ((NotFound, 404), (Conflict, 409), (InvalidInput, 422))


def problem(status: int, title: str, detail: str | None = None, **extra: object) -> Response:
    """Build an application/problem+json response."""
    body: dict[str, object] = {"type": PROBLEM_TYPE, "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra)
    response = Response(json.dumps(body), status=status, mimetype="application/problem+json")
    return response


def _http_error(error: HTTPException) -> Response:
    response = problem(error.code or 500, error.name, error.description)
    if error.code == 405 and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    for name, value in (error.get_headers() if error.response is None else []):
        if name.lower() in ("retry-after", "www-authenticate"):
            response.headers[name] = value
    return response


def _domain_error(error: TranslationMemoryError) -> Response:
    status = next((code for kind, code in _STATUS_OF if isinstance(error, kind)), 400)
    titles = {404: "Not Found", 409: "Conflict", 422: "Unprocessable Content", 400: "Bad Request"}
    return problem(status, titles[status], str(error))


def _unexpected(error: Exception) -> Response:
    logger.exception("unhandled error")
    detail = repr(error) if current_app.debug else "The server failed to answer; the error is logged."
    return problem(500, "Internal Server Error", detail)


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(TranslationMemoryError, _domain_error)
    app.register_error_handler(Exception, _unexpected)
