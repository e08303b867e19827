"""BCP 47 language tags as clients send them: `fr`, `fr_CA`, `EN-us`, `en-GB`."""
from __future__ import annotations

import re
from functools import lru_cache

from memories.errors import InvalidInput

_TAG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$")
#: The longest tag stored (the columns are VARCHAR(35)): RFC 5646 asks implementations to take
#: at least 35 characters, which every registered language-extlang-script-region tag fits.
MAX_TAG_LENGTH = 35


@lru_cache(maxsize=1024)
def normalise_tag(tag: str) -> str:
    """Return `tag` in canonical BCP 47 case: `fr_ca` -> `fr-CA`, `zh-hant-tw` -> `zh-Hant-TW`.

    Raises InvalidInput for anything that is not shaped like a language tag.

    >>> normalise_tag("EN_us")
    'en-US'
    """
    tag = (tag or "").strip()
    if not _TAG.match(tag):
        raise InvalidInput(f"not a language tag: {tag[:40]!r}")
    if len(tag) > MAX_TAG_LENGTH:
        raise InvalidInput(f"a language tag is at most {MAX_TAG_LENGTH} characters: {tag[:40]!r}...")
    parts = tag.replace("_", "-").split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif len(part) in (2, 3) and (part.isalpha() or part.isdigit()):
            out.append(part.upper())
        else:
            out.append(part.lower())
    return "-".join(out)


@lru_cache(maxsize=1024)
def primary_language(tag: str) -> str:
    """Return the primary language subtag: `fr-CA` -> `fr`.

    >>> primary_language("EN_gb")
    'en'
    """
    return normalise_tag(tag).split("-", 1)[0]


def same_language(first: str, second: str) -> bool:
    """Tell whether two tags name the same language, regions aside (`fr-CA` ~ `fr`)."""
    return primary_language(first) == primary_language(second)
