"""API keys on requests: which key is calling, and whether it may read or write a memory.

A key is sent as `Authorization: Bearer KEY` or `X-API-Key: KEY` (and, for the MyMemory and
tmserver routes whose clients cannot set headers, as `key=`). A write key may also read. A key
created with `--memory NAME` serves that memory alone; one created without serves every memory
and is the only kind that may create memories. Writes always need a write key; reads need a key
only when READ_KEYS_REQUIRED is set. A key that is sent but unknown is refused (401) even where
none is needed, so a revoked key never goes unnoticed.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app, g, request

from memories import repository
from tm_service.db import get_session
from tm_service.errors import ApiProblem, InvalidParameters
from tm_service.ratelimit import RateLimiter

KEY_HEADER = "X-API-Key"
READ, WRITE = "read", "write"
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="tm-service"'}
_NO_KEY = object()


@dataclass(frozen=True, slots=True)
class Caller:
    """The key behind a request: its id, scope, and the one memory it serves (None: all)."""

    key_id: int
    scope: str
    memory: str | None


def init_app(app: Flask) -> None:
    app.extensions["tm_write_limiter"] = RateLimiter(
        float(app.config["WRITE_RATE_LIMIT"]), int(app.config["WRITE_BURST"])
    )


def presented_token(query_key: str | None = None) -> str | None:
    """Return the key the request carries (header first, then `query_key`), or None."""
    authorization = request.headers.get("Authorization")
    if authorization:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise ApiProblem(401, "send the key as 'Authorization: Bearer KEY'", headers=_CHALLENGE)
        return token.strip()
    return request.headers.get(KEY_HEADER) or query_key or None


def caller(query_key: str | None = None) -> Caller | None:
    """Return the request's key, None when it carries none; 401 for a key that is not ours."""
    cached = g.get("tm_caller", _NO_KEY)
    if cached is not _NO_KEY:
        return cached
    token = presented_token(query_key)
    found = None
    if token is not None:
        key = repository.key_by_token(get_session(), token)
        if key is None:
            raise ApiProblem(401, "the API key is not valid", headers=_CHALLENGE)
        found = Caller(key.id, key.scope, key.memory.name if key.memory is not None else None)
    g.tm_caller = found
    return found


def readable_memory(memory_name: str | None, *, query_key: str | None = None) -> str | None:
    """Return the memory a read may cover: `memory_name`, or the key's own memory when reads are
    keyed and the key serves one memory. None means every memory."""
    key = caller(query_key)
    if not current_app.config["READ_KEYS_REQUIRED"]:
        return memory_name
    if key is None:
        raise ApiProblem(401, "reading needs an API key", headers=_CHALLENGE)
    if key.memory is None or memory_name in (None, key.memory):
        return memory_name if key.memory is None else key.memory
    raise ApiProblem(403, f"this key serves memory {key.memory!r} only")


def require_write(memory_name: str | None, *, query_key: str | None = None) -> Caller:
    """Check that the request may write to `memory_name` (None: create a memory), and take
    one write from its key's rate limit; 401, 403 or 429 otherwise."""
    key = caller(query_key)
    if key is None:
        raise ApiProblem(401, "writing needs a write key", headers=_CHALLENGE)
    if key.scope != WRITE:
        raise ApiProblem(403, "this key may only read")
    if key.memory is not None and key.memory != memory_name:
        what = "create memories" if memory_name is None else f"write to memory {memory_name!r}"
        raise ApiProblem(403, f"this key serves memory {key.memory!r} only and cannot {what}")
    wait = current_app.extensions["tm_write_limiter"].retry_after(key.key_id)
    if wait:
        raise ApiProblem(429, f"too many writes with this key; retry in {wait} s", headers={"Retry-After": str(wait)})
    return key


def memory_to_write(memory_name: str | None, *, query_key: str | None = None) -> str:
    """Return the memory a write without a memory in its URL goes to: the one named, else the
    key's own (MyMemory's /set names none); 422 when neither says."""
    if memory_name is not None:
        return memory_name
    key = caller(query_key)
    if key is not None and key.memory is not None:
        return key.memory
    if key is None:
        raise ApiProblem(401, "writing needs a write key", headers=_CHALLENGE)
    raise InvalidParameters(
        [{"name": "memory", "in": "query", "detail": "is required with a key that serves every memory"}]
    )
