"""Errors the memory layer raises; the service turns each into one HTTP problem or CLI line."""
from __future__ import annotations


class TranslationMemoryError(Exception):
    """Base class for every error the memory layer raises on purpose."""


class NotFound(TranslationMemoryError):
    """A memory, document or unit that does not exist."""


class Conflict(TranslationMemoryError):
    """A write that clashes with what is stored (a memory name already taken)."""


class InvalidInput(TranslationMemoryError):
    """Input that breaks the rules of the store (empty text, unknown language tag)."""


class ImportFormatError(InvalidInput):
    """A file that cannot be imported; `location` names the unit or line at fault."""

    def __init__(self, message: str, *, location: str | None = None) -> None:
        self.message = message
        self.location = location
        super().__init__(f"{location}: {message}" if location else message)


class UnsafeXML(ImportFormatError):
    """XML that declares entities or an internal DTD subset, refused before parsing."""
