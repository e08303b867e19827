"""Which words of a query differ from a match's source, as spans of the query a page can highlight."""
from __future__ import annotations

from dataclasses import dataclass

from memories.matching.scores import Comparison
from memories.matching.tokens import PLACEABLE

REPLACE = "replace"  # query words standing where the source has other words
EXTRA = "extra"  # query words the source lacks
MISSING = "missing"  # source words the query lacks: an empty span where they would go
CASE = "case"  # the same word in another case
PLACEABLE_CHANGED = "placeable"  # the same kind of placeable, written or valued differently


@dataclass(frozen=True, slots=True)
class DiffSpan:
    """`query[start:end]` (`text`) differs from the source's `source_text` by `op`."""

    op: str
    start: int
    end: int
    text: str
    source_text: str

    def as_dict(self) -> dict:
        return {"op": self.op, "start": self.start, "end": self.end, "text": self.text, "source_text": self.source_text}


def diff(query: str, source: str, comparison: Comparison) -> tuple[DiffSpan, ...]:
    """List the query's differing words, left to right; offsets index the prepared query.

    Punctuation and whitespace are not listed: they never change a word.
    """
    query_words, source_words = comparison.query_words, comparison.source_words
    spans: list[DiffSpan] = []
    for tag, i1, i2, j1, j2 in comparison.opcodes:
        if tag == "equal":
            for q, s in zip(query_words[i1:i2], source_words[j1:j2]):
                if q.text == s.text:
                    continue
                op = PLACEABLE_CHANGED if q.kind == PLACEABLE else CASE
                if op == CASE and q.text.casefold() != s.text.casefold():
                    continue  # apostrophes only: punctuation
                spans.append(DiffSpan(op, q.start, q.end, q.text, s.text))
            continue
        source_text = source[source_words[j1].start : source_words[j2 - 1].end] if j2 > j1 else ""
        if i2 > i1:
            start, end = query_words[i1].start, query_words[i2 - 1].end
            spans.append(DiffSpan(REPLACE if j2 > j1 else EXTRA, start, end, query[start:end], source_text))
        else:
            at = query_words[i1 - 1].end if i1 > 0 else 0
            spans.append(DiffSpan(MISSING, at, at, "", source_text))
    return tuple(spans)
