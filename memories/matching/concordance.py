"""Concordance: the units holding a word or phrase, with the hits highlighted, most relevant first."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlalchemy.orm import Session

from memories import repository
from memories.errors import InvalidInput
from memories.languages import normalise_tag, primary_language
from memories.matching.matcher import _rows_of
from memories.matching.tokens import PLACEABLE, PUNCTUATION, Token, keys, prepare, tokenize

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_PHRASE_LENGTH = 500


@dataclass(frozen=True, slots=True)
class ConcordanceHit:
    """A unit holding the phrase, oriented so that `source` is in the searched language.

    `source_spans` are the (start, end) offsets of each hit in `source`; `target_spans` those
    of the same words or placeable values in `target` (names, numbers), often none.
    """

    unit_id: int
    memory: str
    source: str
    target: str
    source_lang: str
    target_lang: str
    source_spans: tuple[tuple[int, int], ...]
    target_spans: tuple[tuple[int, int], ...]
    document_id: int | None

    def as_dict(self) -> dict:
        return {
            "unit_id": self.unit_id,
            "memory": self.memory,
            "source": self.source,
            "target": self.target,
            "source_lang": self.source_lang,
            "target_lang": self.target_lang,
            "source_spans": [list(span) for span in self.source_spans],
            "target_spans": [list(span) for span in self.target_spans],
            "document_id": self.document_id,
        }


@dataclass(frozen=True, slots=True)
class ConcordancePage:
    items: tuple[ConcordanceHit, ...]
    total: int
    page: int
    page_size: int

    @property
    def has_more(self) -> bool:
        return self.page * self.page_size < self.total

    def as_dict(self) -> dict:
        return {
            "items": [item.as_dict() for item in self.items],
            "total": self.total,
            "page": self.page,
            "page_size": self.page_size,
            "has_more": self.has_more,
        }


def search(
    matcher, session: Session, text: str, *, lang: str, memory: str | None, page: int, page_size: int
) -> ConcordancePage:
    """Return one page of the units whose `lang` side holds the words of `text` in a row.

    Words match whole and case-insensitively (accents count); a placeable matches its value
    however it is written (``1 500`` finds ``1500``). Shorter units come first, as the phrase
    is more of what they say; then newer units.

    Raises InvalidInput for an empty or overlong phrase or a bad page, NotFound for an
    unknown memory.
    """
    if not isinstance(text, str) or not text.strip():
        raise InvalidInput("the phrase to search for is empty")
    if len(text) > MAX_PHRASE_LENGTH:
        raise InvalidInput(f"the phrase is longer than {MAX_PHRASE_LENGTH} characters")
    if isinstance(page, bool) or not isinstance(page, int) or page < 1:
        raise InvalidInput("page must be a positive integer")
    if isinstance(page_size, bool) or not isinstance(page_size, int) or page_size < 1:
        raise InvalidInput("page_size must be a positive integer")
    page_size = min(page_size, MAX_PAGE_SIZE)
    lang = normalise_tag(lang)
    phrase_tokens = [t for t in tokenize(prepare(text), lang) if t.kind != PUNCTUATION]
    words, value_terms = keys(prepare(text), lang)
    if not words:
        raise InvalidInput("the phrase holds no word to search for")
    memory_id = repository.memory_by_name(session, memory).id if memory is not None else None
    unit_ids, sides, lengths = matcher._holding(session, primary_language(lang), words, value_terms, memory_id)
    order = np.lexsort((-unit_ids, lengths))
    total = len(order)
    chosen = order[(page - 1) * page_size : page * page_size]
    wanted = [(int(unit_ids[i]), int(sides[i])) for i in chosen]
    rows = {row.id: row for row in _rows_of(session, {unit_id for unit_id, _ in wanted})} if wanted else {}
    items = []
    for unit_id, side in wanted:
        row = rows.get(unit_id)
        if row is None:
            continue
        source, source_lang, target, target_lang = (
            (row.source_text, row.source_lang, row.target_text, row.target_lang)
            if side == 0
            else (row.target_text, row.target_lang, row.source_text, row.source_lang)
        )
        items.append(
            ConcordanceHit(
                unit_id=unit_id,
                memory=row.name,
                source=source,
                target=target,
                source_lang=source_lang,
                target_lang=target_lang,
                source_spans=spans(phrase_tokens, source, source_lang),
                target_spans=spans(phrase_tokens, target, target_lang),
                document_id=row.document_id,
            )
        )
    return ConcordancePage(tuple(items), total, page, page_size)


def spans(phrase: list[Token], text: str, lang: str) -> tuple[tuple[int, int], ...]:
    """Return the (start, end) offsets of every run of `text`'s words that is `phrase`.

    >>> spans([t for t in tokenize("le projet", "fr") if t.kind != "punctuation"], "Le projet, le projet.", "fr")
    ((0, 9), (11, 20))
    """
    words = [token for token in tokenize(text, lang) if token.kind != PUNCTUATION]
    found, size, index = [], len(phrase), 0
    while index + size <= len(words):
        if all(_same(p, w) for p, w in zip(phrase, words[index : index + size])):
            found.append((words[index].start, words[index + size - 1].end))
            index += size
        else:
            index += 1
    return tuple(found)


def _same(phrase_token: Token, token: Token) -> bool:
    if phrase_token.key != token.key:
        return False
    if phrase_token.kind == PLACEABLE:
        return phrase_token.placeable.value == token.placeable.value
    return True
