"""Limits every request keeps before a view sees it: the length of its URL.

A lookup travels in a GET, so its URL must hold the longest query and context percent-encoded
(2 x 2,000 characters, up to 12 bytes each for 4-byte UTF-8); anything much longer is refused
with 414 by the app itself, whatever server runs it. Behind gunicorn the request line is bounded
too (tm_service.serving), just above this, so a longer line never gets into memory whole.
"""
from __future__ import annotations

from urllib.parse import quote

from flask import Flask, request

from tm_service.errors import ApiProblem

#: The longest request target (path and query string, percent-encoded) the app answers, in bytes.
MAX_URL_BYTES = 64 * 1024
#: The longest header field, name and value (gunicorn's default, which answers 431 past it).
MAX_HEADER_BYTES = 8190


def init_app(app: Flask) -> None:
    app.before_request(refuse_long_urls)


def url_bytes(environ: dict) -> int:
    """Return the length of the request target as the client sent it."""
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if raw:
        return len(raw)
    # PATH_INFO holds the decoded path as latin-1 text of its bytes; encode it back.
    path = quote(environ.get("PATH_INFO", "").encode("latin-1"), safe="/")
    query = environ.get("QUERY_STRING", "")
    return len(path) + (len(query) + 1 if query else 0)


def refuse_long_urls() -> None:
    length = url_bytes(request.environ)
    if length > MAX_URL_BYTES:
        raise ApiProblem(414, f"the URL is {length} bytes long; at most {MAX_URL_BYTES} are accepted "
                         "(send long texts in a POST body)")
