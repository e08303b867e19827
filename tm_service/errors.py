"""Every error the service answers, in one shape: application/problem+json (RFC 9457).

Every 400 and 422 also has `errors`: one item per fault, with `detail` and, where known, the
parameter's `name` and where it was (`in`: query, path, body, form). Views and the helpers they
call raise; nothing below this module builds an error response.
Domain errors (memories.errors) map to 404/409/422, werkzeug's HTTP errors keep their status,
`ApiProblem` carries what the web layer itself refuses (bad parameters, keys, rate limits), and
anything else is a 500 that names no internals.
"""
from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from http import HTTPStatus

from flask import Flask, Response, current_app, json
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.exc import ObjectDeletedError, StaleDataError
from werkzeug.exceptions import HTTPException

from memories.errors import Conflict, InvalidInput, NotFound, TranslationMemoryError

logger = logging.getLogger(__name__)

PROBLEM_TYPE = "about:blank"
PROBLEM_MEDIA_TYPE = "application/problem+json"
_STATUS_OF = ((NotFound, 404), (Conflict, 409), (InvalidInput, 422))


class ApiProblem(Exception):
    """An error the web layer raises on purpose; the handler below answers it as a problem."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        errors: Sequence[Mapping[str, object]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = list(errors) if errors is not None else None
        self.headers = dict(headers or {})


class InvalidParameters(ApiProblem):
    """Parameters or a body that are missing or malformed (400) or break a rule (422).

    Each item of `errors` names the parameter (`name`), where it was (`in`: query, path, body,
    form) and what is wrong with it (`detail`).
    """

    def __init__(self, errors: Sequence[Mapping[str, object]], *, status: int = 422) -> None:
        detail = "; ".join(f"{error['name']}: {error['detail']}" for error in errors)
        super().__init__(status, detail, errors=errors)


def problem(status: int, title: str | None = None, detail: str | None = None, **extra: object) -> Response:
    """Build an application/problem+json response."""
    body: dict[str, object] = {"type": PROBLEM_TYPE, "title": title or _title(status), "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra)
    return Response(json.dumps(body), status=status, mimetype=PROBLEM_MEDIA_TYPE)


# RFC 9110's names where Python's http module still has the older ones.
_TITLES = {413: "Content Too Large", 422: "Unprocessable Content"}


def _title(status: int) -> str:
    if status in _TITLES:
        return _TITLES[status]
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _api_problem(error: ApiProblem) -> Response:
    extra = {"errors": error.errors} if error.errors is not None else {}
    response = problem(error.status, None, error.detail, **extra)
    response.headers.update(error.headers)
    return response


def _http_error(error: HTTPException) -> Response:
    status = error.code or 500
    extra = {"errors": [{"in": "body", "detail": error.description}]} if status == 400 else {}
    response = problem(status, _TITLES.get(status, error.name), error.description, **extra)
    if error.code == 405 and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    for name, value in (error.get_headers() if error.response is None else []):
        if name.lower() in ("retry-after", "www-authenticate"):
            response.headers[name] = value
    return response


def _domain_error(error: TranslationMemoryError) -> Response:
    status = next((code for kind, code in _STATUS_OF if isinstance(error, kind)), 400)
    extra = {"errors": [{"detail": str(error)}]} if status in (400, 422) else {}
    return problem(status, None, str(error), **extra)


#: Seconds a client is asked to wait when the database is busy or away.
BUSY_RETRY_AFTER = 5


def _database_unavailable(error: OperationalError) -> Response:
    """The database is locked past the busy timeout (a long SQLite import) or unreachable:
    nothing was written, so the client may simply try again."""
    logger.warning("database unavailable: %s", type(error.orig).__name__)
    response = problem(503, "Service Unavailable", "The database is busy or unreachable; nothing was changed. "
                       "Try again shortly.")
    response.headers["Retry-After"] = str(BUSY_RETRY_AFTER)
    return response


def _changed_meanwhile(_error: Exception) -> Response:
    """Another request deleted or rewrote the row between our read and our write."""
    return problem(409, None, "The unit was changed or deleted by another request meanwhile; read it again.")


def _unexpected(error: Exception) -> Response:
    logger.exception("unhandled error")
    detail = repr(error) if current_app.debug else "The server failed to answer; the error is logged."
    return problem(500, "Internal Server Error", detail)


def init_app(app: Flask) -> None:
    app.register_error_handler(ApiProblem, _api_problem)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(TranslationMemoryError, _domain_error)
    app.register_error_handler(OperationalError, _database_unavailable)
    app.register_error_handler(StaleDataError, _changed_meanwhile)
    app.register_error_handler(ObjectDeletedError, _changed_meanwhile)
    app.register_error_handler(Exception, _unexpected)
