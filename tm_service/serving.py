"""gunicorn's own error answers (a request line too long, a malformed request) as problem+json.

gunicorn answers requests it cannot parse itself, before the app sees them, with a small HTML
page. Our clients expect application/problem+json everywhere, so `gunicorn.conf.py` calls
`install()`, which replaces the one function gunicorn writes those answers with.
"""
from __future__ import annotations

import json

from gunicorn import util

from tm_service.errors import PROBLEM_MEDIA_TYPE, PROBLEM_TYPE

#: The longest request line gunicorn accepts (its ceiling): room for a 2,000-character French
#: query percent-encoded in a GET; a longer line gets a problem+json 414.
LIMIT_REQUEST_LINE = 8190


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
    """Make gunicorn write its own error answers as problem+json."""
    util.write_error = write_problem
