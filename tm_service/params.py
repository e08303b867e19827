"""Request parameters, read and checked explicitly: every fault is collected, then raised at once.

A parameter that is missing or not of its type is a 400; one that is well formed but breaks a
rule (out of range, too long, not a language tag) is a 422. Numbers past a documented ceiling
are clamped, as amaGama clamps `max_candidates` at 30; nothing is silently turned into None.
"""
from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence

from flask import Request

from memories.errors import InvalidInput
from memories.languages import normalise_tag, primary_language
from tm_service.errors import InvalidParameters

#: What `memories.languages.normalise_tag` accepts, for the OpenAPI document.
LANGUAGE_TAG_PATTERN = r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$"
#: A text the store accepts: something besides whitespace, and no control characters but
#: tab, newline and carriage return (as `memories.service` checks).
_ALLOWED = r"[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
TEXT_PATTERN = rf"^{_ALLOWED}*[^\s\x00-\x08\x0b\x0c\x0e-\x1f\x7f]{_ALLOWED}*$"
#: JSON's "\ud800" escapes give strings that are not Unicode text: they cannot be encoded, so
#: cannot be stored or echoed. No text may hold one, nor NUL (PostgreSQL cannot store it).
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
#: Ids are 32-bit in the database; larger ones cannot name anything.
MAX_ID = 2**31 - 1
_LONGEST_NUMBER = 40

MISSING = "missing"
MALFORMED = "malformed"
INVALID = "invalid"
_MALFORMED_KINDS = (MISSING, MALFORMED)


class Params:
    """Read one request's parameters from `source` (query string, form, JSON object or path).

    `location` is where they came from (query, form, body, path): it names the fault's place in
    the problem's `errors`, and tells whether values arrive as text (query, form, path) or typed
    (a JSON body).
    """

    def __init__(self, source: Mapping[str, object], location: str) -> None:
        self.source = source
        self.location = location
        self.faults: list[tuple[str, dict[str, object]]] = []

    # -- faults ---------------------------------------------------------------------------

    def fault(self, name: str, detail: str, kind: str = INVALID) -> None:
        """Record that parameter `name` is wrong; `check` raises them all."""
        self.faults.append((kind, {"name": name, "in": self.location, "detail": detail}))

    def check(self) -> None:
        """Raise InvalidParameters (400 if anything is missing or malformed, else 422) on faults."""
        if not self.faults:
            return
        status = 400 if any(kind in _MALFORMED_KINDS for kind, _ in self.faults) else 422
        raise InvalidParameters([error for _, error in self.faults], status=status)

    # -- readers --------------------------------------------------------------------------

    def _raw(self, name: str) -> object | None:
        value = self.source.get(name)
        return None if value is None or (self.location != "body" and value == "") else value

    def text(
        self, name: str, *, required: bool = False, default: str | None = None, max_length: int | None = None,
        allow_blank: bool = False,
    ) -> str | None:
        """Return a string parameter; refuse a blank one unless `allow_blank`, and one over `max_length`."""
        value = self._raw(name)
        if value is None:
            if required:
                self.fault(name, "is required", MISSING)
            return default
        if not isinstance(value, str):
            self.fault(name, "must be a string", MALFORMED)
            return default
        if not allow_blank and not value.strip():
            self.fault(name, "is empty")
            return default
        if max_length is not None and len(value) > max_length:
            self.fault(name, f"is longer than {max_length} characters ({len(value)})")
            return default
        problem = text_problem(value)
        if problem:
            self.fault(name, problem)
            return default
        return value

    def only(self, *names: str) -> None:
        """Refuse fields other than `names` (a JSON body's typo should not pass unnoticed)."""
        for name in sorted(set(self.source) - set(names), key=str):
            self.fault(str(name), "is not a known field")

    def integer(
        self, name: str, *, default: int | None = None, minimum: int | None = None, clamp_to: int | None = None,
        maximum: int | None = None, required: bool = False,
    ) -> int | None:
        """Return an integer parameter: outside [minimum, maximum] is refused, above `clamp_to` clamped."""
        value = self._raw(name)
        if value is None:
            if required:
                self.fault(name, "is required", MISSING)
            return default
        number = self._as_integer(value)
        if number is None:
            self.fault(name, "must be an integer", MALFORMED)
            return default
        if minimum is not None and number < minimum:
            self.fault(name, f"must be at least {minimum}")
            return default
        if maximum is not None and number > maximum:
            self.fault(name, f"must be at most {maximum}")
            return default
        return min(number, clamp_to) if clamp_to is not None else number

    def number(self, name: str, *, default: float, minimum: float, maximum: float) -> float:
        """Return a finite number in [minimum, maximum]; anything outside is refused."""
        value = self._raw(name)
        if value is None:
            return default
        number = self._as_number(value)
        if number is None:
            self.fault(name, "must be a number", MALFORMED)
            return default
        if not minimum <= number <= maximum:
            self.fault(name, f"must be from {minimum:g} to {maximum:g}")
            return default
        return number

    def language(self, name: str, *, default: str | None = None, required: bool = False) -> str | None:
        """Return a language tag in canonical form (`fr_ca` -> `fr-CA`)."""
        value = self.text(name, required=required and default is None, default=None)
        if value is None:
            return default
        try:
            return normalise_tag(value)
        except InvalidInput:
            self.fault(name, f"is not a language tag: {value[:40]!r}")
            return default

    def languages_differ(self, name: str, source_lang: str | None, target_lang: str | None) -> None:
        """Refuse a pair of one language (`fr` -> `fr-CA`): a memory pairs two languages."""
        if source_lang and target_lang and primary_language(source_lang) == primary_language(target_lang):
            self.fault(name, "source and target languages must differ")

    def choice(self, name: str, choices: Sequence[str], *, default: str | None = None) -> str | None:
        """Return one of `choices`, spelled exactly so."""
        value = self.text(name, default=None)
        if value is None:
            return default
        if value not in choices:
            self.fault(name, f"must be one of {', '.join(choices)}")
            return default
        return value

    def boolean(self, name: str, *, default: bool) -> bool:
        """Return a boolean: JSON true/false, or true/false/1/0/yes/no as text."""
        value = self._raw(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "1", "yes", "false", "0", "no"):
            return value.lower() in ("true", "1", "yes")
        self.fault(name, "must be true or false", MALFORMED)
        return default

    # -- conversions ------------------------------------------------------------------------

    def _as_integer(self, value: object) -> int | None:
        if isinstance(value, bool):
            return None
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():  # JSON's 5.0 is the integer 5
            return int(value)
        if isinstance(value, str) and self.location != "body":
            text = value.strip()
            if text.lstrip("+-").isdigit() and len(text) <= _LONGEST_NUMBER:
                return int(text)
        return None

    def _as_number(self, value: object) -> float | None:
        if isinstance(value, bool):
            return None
        if isinstance(value, (int, float)):
            number = float(value)
        elif isinstance(value, str) and self.location != "body" and len(value) <= 40:
            try:
                number = float(value)
            except ValueError:
                return None
        else:
            return None
        return number if math.isfinite(number) else None


def text_problem(value: str) -> str | None:
    """Say why `value` cannot be a text of ours (a NUL, a lone surrogate), or return None."""
    if "\x00" in value:
        return "holds a NUL character"
    if _LONE_SURROGATE.search(value):
        return "is not valid Unicode (it holds a lone surrogate)"
    return None


def json_object(request: Request) -> Params:
    """Return the request's JSON body as Params; 415 unless it is JSON, 400 unless an object
    of valid Unicode text."""
    try:
        body = request.get_json()  # werkzeug answers 415 for another media type, 400 for bad JSON
    except RecursionError:  # nested deeper than the parser goes: not a body of ours
        raise InvalidParameters([{"name": "body", "in": "body", "detail": "is nested too deeply"}],
                                status=400) from None
    if not isinstance(body, dict):
        raise InvalidParameters([{"name": "body", "in": "body", "detail": "must be a JSON object"}], status=400)
    if _holds_lone_surrogate(body):
        # Checked once here, keys and values alike, so no later error message can echo one.
        raise InvalidParameters(
            [{"name": "body", "in": "body", "detail": "is not valid Unicode (it holds a lone surrogate)"}], status=400
        )
    return Params(body, "body")


def _holds_lone_surrogate(body: object) -> bool:
    pending = [body]
    while pending:  # iterative: a deeply nested body must not exhaust the stack here either
        value = pending.pop()
        if isinstance(value, str):
            if _LONE_SURROGATE.search(value):
                return True
        elif isinstance(value, dict):
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    return False


def query(request: Request) -> Params:
    return Params(request.args, "query")


def form(request: Request) -> Params:
    return Params(request.form, "form")
