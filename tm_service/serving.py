"""gunicorn's request limits and its own error answers (a request line too long, a malformed
request) as problem+json.

gunicorn answers requests it cannot parse itself, before the app sees them, with a small HTML
page. Our clients expect application/problem+json everywhere, so `gunicorn.conf.py` calls
`install()`, which replaces the one function gunicorn writes those answers with.

gunicorn also caps `limit_request_line` at 8,190 bytes, but a 2,000-character French query
percent-encoded in a GET takes up to 12,000 (`é` is `%C3%A9`), and its context as much again.
`install()` lifts that ceiling to LIMIT_REQUEST_LINE, so the line stays bounded (a setting of 0,
"unlimited", would let one client fill a worker's memory) yet holds every URL the app accepts.
"""
from __future__ import annotations

import json

from gunicorn import util
from gunicorn.http import message

from tm_service.errors import PROBLEM_MEDIA_TYPE, PROBLEM_TYPE
from tm_service.limits import MAX_HEADER_BYTES, MAX_URL_BYTES

#: The longest request line gunicorn accepts: the longest URL the app answers (which refuses a
#: longer one itself with a problem+json 414), plus room for the method and the HTTP version.
#: A longer line gets gunicorn's 414, as problem+json too.
LIMIT_REQUEST_LINE = MAX_URL_BYTES + 32
#: The longest header field (name and value); a longer one gets gunicorn's 431, as problem+json.
LIMIT_REQUEST_FIELD_SIZE = MAX_HEADER_BYTES


def write_problem(sock, status_int: int, reason: str, mesg: str) -> None:
    """Write gunicorn's error answer as problem+json (the signature of gunicorn.util.write_error)."""
    body = {"type": PROBLEM_TYPE, "title": reason, "status": status_int}
    if mesg:
        body["detail"] = mesg
    payload = json.dumps(body).encode("utf-8")
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\nContent-Type: {PROBLEM_MEDIA_TYPE}\r\n"
        f"Content-Length: {len(payload)}\r\n\r\n"
    ).encode("latin-1")
    util.write_nonblock(sock, head + payload)


def install() -> None:
    """Make gunicorn write its own error answers as problem+json, and accept request lines up to
    LIMIT_REQUEST_LINE (the workers, forked from the master that runs this, inherit both)."""
    util.write_error = write_problem
    # gunicorn clamps the setting to this module constant when it reads each request.
    message.MAX_REQUEST_LINE = max(message.MAX_REQUEST_LINE, LIMIT_REQUEST_LINE)
