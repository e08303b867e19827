"""Whitespace-normalised forms of unit texts and the content hash that deduplicates units."""
from __future__ import annotations

import hashlib
import unicodedata

from memories.languages import primary_language


def normalise_text(text: str) -> str:
    """Return `text` in NFC with every run of whitespace (no-break spaces too) made one space.

    >>> normalise_text("  89,2\u00a0millions\\n de dollars ")
    '89,2 millions de dollars'
    """
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    # str.split() splits on every Unicode space, as the README promises; faster than a regex.
    return " ".join(text.split())


def content_hash(source_lang: str, source_normalised: str, target_lang: str, target_normalised: str) -> str:
    """Hash what makes two units the same: languages (regions aside) and normalised texts."""
    key = "\x1f".join(
        (primary_language(source_lang), source_normalised, primary_language(target_lang), target_normalised)
    )
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def checksum(text: str) -> str:
    """Return the SHA-256 of a document side, as stored on the document."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
